CREATE TYPE "public"."chat_session_origin" AS ENUM('api', 'call');--> statement-breakpoint
CREATE TYPE "public"."chat_session_state" AS ENUM('created', 'started', 'accepted', 'rejected', 'finished');--> statement-breakpoint
CREATE TABLE "chat_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"chat_session_id" uuid,
	"room_id" uuid,
	"uploaded_by_user_id" uuid,
	"uploaded_by_participant_id" uuid,
	"storage_key" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"file_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "chat_files_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "chat_files_belongs" CHECK (chat_session_id is not null or room_id is not null),
	CONSTRAINT "chat_files_uploader" CHECK (uploaded_by_user_id is not null or uploaded_by_participant_id is not null)
);
--> statement-breakpoint
CREATE TABLE "chat_session_participants" (
	"chat_session_id" uuid NOT NULL,
	"room_user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"last_seen_message_id" bigint DEFAULT 0 NOT NULL,
	"seen_at" timestamp with time zone,
	CONSTRAINT "chat_session_participants_chat_session_id_room_user_id_pk" PRIMARY KEY("chat_session_id","room_user_id")
);
--> statement-breakpoint
ALTER TABLE "chat_sessions" DROP CONSTRAINT "chat_sessions_room_id_unique";--> statement-breakpoint
ALTER TABLE "chat_messages" DROP CONSTRAINT "chat_messages_body_length";--> statement-breakpoint
DROP INDEX "chat_messages_client_idx";--> statement-breakpoint
ALTER TABLE "chat_messages" ALTER COLUMN "room_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_messages" ALTER COLUMN "sender_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_messages" ALTER COLUMN "body" SET DEFAULT '';--> statement-breakpoint
ALTER TABLE "chat_sessions" ALTER COLUMN "room_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD COLUMN "sender_user_id" uuid;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD COLUMN "file_id" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "origin" "chat_session_origin" DEFAULT 'api' NOT NULL;--> statement-breakpoint
-- Every session so far is a call's own chat, made with its first message.
UPDATE "chat_sessions" SET "origin" = 'call';--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "state" "chat_session_state" DEFAULT 'created' NOT NULL;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "started_by" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "accepted_by" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "rejected_by" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "reject_reason" text;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "finished_by" uuid;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "finish_reason" text;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "room_users" ADD COLUMN "staff_user_id" uuid;--> statement-breakpoint
ALTER TABLE "chat_files" ADD CONSTRAINT "chat_files_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_files" ADD CONSTRAINT "chat_files_chat_session_id_chat_sessions_id_fk" FOREIGN KEY ("chat_session_id") REFERENCES "public"."chat_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_files" ADD CONSTRAINT "chat_files_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_files" ADD CONSTRAINT "chat_files_uploaded_by_user_id_room_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_files" ADD CONSTRAINT "chat_files_uploaded_by_participant_id_room_participants_id_fk" FOREIGN KEY ("uploaded_by_participant_id") REFERENCES "public"."room_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_session_participants" ADD CONSTRAINT "chat_session_participants_chat_session_id_chat_sessions_id_fk" FOREIGN KEY ("chat_session_id") REFERENCES "public"."chat_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_session_participants" ADD CONSTRAINT "chat_session_participants_room_user_id_room_users_id_fk" FOREIGN KEY ("room_user_id") REFERENCES "public"."room_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_session_participants" ADD CONSTRAINT "chat_session_participants_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_files_session_idx" ON "chat_files" USING btree ("chat_session_id");--> statement-breakpoint
CREATE INDEX "chat_files_room_idx" ON "chat_files" USING btree ("room_id");--> statement-breakpoint
CREATE INDEX "chat_session_participants_user_idx" ON "chat_session_participants" USING btree ("room_user_id","chat_session_id");--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_sender_user_id_room_users_id_fk" FOREIGN KEY ("sender_user_id") REFERENCES "public"."room_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_file_id_chat_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."chat_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_created_by_room_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_started_by_room_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_accepted_by_room_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_rejected_by_room_users_id_fk" FOREIGN KEY ("rejected_by") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_finished_by_room_users_id_fk" FOREIGN KEY ("finished_by") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_users" ADD CONSTRAINT "room_users_staff_user_id_users_id_fk" FOREIGN KEY ("staff_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_messages_session_idx" ON "chat_messages" USING btree ("chat_session_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_user_client_idx" ON "chat_messages" USING btree ("chat_session_id","sender_user_id","client_id") WHERE client_id is not null and sender_user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_sessions_call_room_idx" ON "chat_sessions" USING btree ("room_id") WHERE origin = 'call';--> statement-breakpoint
CREATE INDEX "chat_sessions_linked_room_idx" ON "chat_sessions" USING btree ("room_id") WHERE origin = 'api' and room_id is not null;--> statement-breakpoint
CREATE INDEX "chat_sessions_org_created_idx" ON "chat_sessions" USING btree ("organization_id","created_at","id") WHERE origin = 'api';--> statement-breakpoint
CREATE UNIQUE INDEX "room_users_staff_user_idx" ON "room_users" USING btree ("organization_id","staff_user_id") WHERE staff_user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_messages_client_idx" ON "chat_messages" USING btree ("sender_id","client_id") WHERE client_id is not null and sender_id is not null;--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_sender" CHECK ("chat_messages"."sender_id" is not null or "chat_messages"."sender_user_id" is not null);--> statement-breakpoint
ALTER TABLE "chat_messages" ADD CONSTRAINT "chat_messages_body_length" CHECK (char_length("chat_messages"."body") <= 1000 and (char_length("chat_messages"."body") >= 1 or "chat_messages"."file_id" is not null));--> statement-breakpoint
ALTER TABLE "chat_sessions" ADD CONSTRAINT "chat_sessions_call_has_room" CHECK (origin = 'api' or room_id is not null);