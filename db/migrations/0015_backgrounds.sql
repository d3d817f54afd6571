CREATE TABLE "organization_backgrounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"alias" text NOT NULL,
	"storage_key" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_backgrounds_alias_unique" UNIQUE("alias"),
	CONSTRAINT "organization_backgrounds_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "organization_backgrounds_alias" CHECK ("organization_backgrounds"."alias" ~ '^[0-9a-f]{32}$')
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "default_background_id" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "end_call_redirect_url" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "end_call_redirect_timeout_ms" integer DEFAULT 5000 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "user_details_provider_url" text;--> statement-breakpoint
ALTER TABLE "organization_backgrounds" ADD CONSTRAINT "organization_backgrounds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_backgrounds_org_created_idx" ON "organization_backgrounds" USING btree ("organization_id","created_at");--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_default_background_id_organization_backgrounds_id_fk" FOREIGN KEY ("default_background_id") REFERENCES "public"."organization_backgrounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_end_call_redirect_timeout" CHECK ("organizations"."end_call_redirect_timeout_ms" between 0 and 60000);