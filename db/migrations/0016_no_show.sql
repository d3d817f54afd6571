CREATE TYPE "public"."no_show" AS ENUM('patient', 'provider', 'both');--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "no_show" "no_show";--> statement-breakpoint
CREATE INDEX "consultations_org_no_show_starts_idx" ON "consultations" USING btree ("organization_id","no_show","starts_at","id") WHERE no_show is not null;--> statement-breakpoint
-- Consultations that ended before no-shows were recorded: who never joined, from their stays, by
-- the rule of lib/rooms/no-show.ts. A cancelled one is nobody's no-show: the clinic called it off.
UPDATE "consultations" c SET "no_show" = (
  SELECT CASE
    WHEN coalesce(bool_or(p.role = 'patient'), false) AND coalesce(bool_or(p.role = 'provider'), false) THEN NULL
    WHEN coalesce(bool_or(p.role = 'patient'), false) THEN 'provider'
    WHEN coalesce(bool_or(p.role = 'provider'), false) THEN 'patient'
    ELSE 'both'
  END::no_show
  FROM "room_attendances" a JOIN "room_participants" p ON p.id = a.participant_id
  WHERE a.room_id = (SELECT r.id FROM "rooms" r WHERE r.consultation_id = c.id))
WHERE c.status = 'Completed' OR (c.status = 'Expired' AND c.completion_reason IS DISTINCT FROM 'cancelled');
