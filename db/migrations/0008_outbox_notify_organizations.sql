-- The outbox NOTIFY now names the organizations whose events committed (comma-separated), so
-- the dashboard wakes only their pages; the webhook fan-out ignores the payload. Empty means
-- "any": too many organizations for one notification's 8000 bytes.
CREATE OR REPLACE FUNCTION "notify_outbox_events"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE organizations text;
BEGIN
  SELECT string_agg(DISTINCT organization_id::text, ',') INTO organizations FROM new_events;
  PERFORM pg_notify('outbox_events', CASE WHEN length(coalesce(organizations, '')) > 7900 THEN '' ELSE coalesce(organizations, '') END);
  RETURN NULL;
END $$;--> statement-breakpoint
DROP TRIGGER "outbox_events_notify" ON "outbox_events";--> statement-breakpoint
CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events" REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION "notify_outbox_events"();
