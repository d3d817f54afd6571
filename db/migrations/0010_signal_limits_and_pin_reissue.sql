CREATE TABLE "signal_usage" (
	"participant_id" uuid NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"signals" integer NOT NULL,
	"bytes" bigint NOT NULL,
	CONSTRAINT "signal_usage_participant_id_window_start_pk" PRIMARY KEY("participant_id","window_start")
);
--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "pin_issued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "signal_usage" ADD CONSTRAINT "signal_usage_participant_id_room_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."room_participants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "signal_usage_window_idx" ON "signal_usage" USING btree ("window_start");