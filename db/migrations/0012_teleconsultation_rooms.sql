CREATE TYPE "public"."call_type" AS ENUM('audio_video', 'audio_upgradable', 'audio_only');--> statement-breakpoint
CREATE TYPE "public"."participant_privilege" AS ENUM('plus', 'basic');--> statement-breakpoint
ALTER TYPE "public"."participant_role" ADD VALUE 'guest';--> statement-breakpoint
ALTER TYPE "public"."participant_role" ADD VALUE 'member';--> statement-breakpoint
CREATE TABLE "room_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"full_name" text NOT NULL,
	"groups" text[] NOT NULL,
	"language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_users_external_id_key" UNIQUE("organization_id","external_id")
);
--> statement-breakpoint
ALTER TABLE "room_participants" ALTER COLUMN "access_token_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "room_participants" ALTER COLUMN "access_token_sealed" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "room_participants" ADD COLUMN "privilege" "participant_privilege" DEFAULT 'basic' NOT NULL;--> statement-breakpoint
ALTER TABLE "room_participants" ADD COLUMN "room_user_id" uuid;--> statement-breakpoint
ALTER TABLE "room_participants" ADD COLUMN "group_name" text;--> statement-breakpoint
ALTER TABLE "room_participants" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "status" "consultation_status";--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "starts_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "completed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "completion_reason" text;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "call_type" "call_type" DEFAULT 'audio_video' NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "live" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "links_valid_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "ready_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "trashed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "rooms" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "room_groups" jsonb;--> statement-breakpoint
ALTER TABLE "room_users" ADD CONSTRAINT "room_users_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "room_users_org_name_idx" ON "room_users" USING btree ("organization_id","full_name");--> statement-breakpoint
ALTER TABLE "room_participants" ADD CONSTRAINT "room_participants_room_user_id_room_users_id_fk" FOREIGN KEY ("room_user_id") REFERENCES "public"."room_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "room_participants_room_user_idx" ON "room_participants" USING btree ("room_id","room_user_id") WHERE room_user_id is not null;--> statement-breakpoint
CREATE INDEX "rooms_org_standalone_starts_idx" ON "rooms" USING btree ("organization_id","starts_at","id") WHERE consultation_id is null and trashed_at is null;--> statement-breakpoint
CREATE INDEX "rooms_standalone_live_idx" ON "rooms" USING btree ("starts_at") WHERE consultation_id is null and trashed_at is null and status in ('Pending', 'InProgress');--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_standalone_schedule" CHECK (consultation_id is not null or (status is not null and starts_at is not null));--> statement-breakpoint
-- A consultation's provider hosts its call.
UPDATE "room_participants" SET "privilege" = 'plus' WHERE "role" = 'provider';
