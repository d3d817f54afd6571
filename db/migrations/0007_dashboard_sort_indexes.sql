CREATE INDEX "consultations_org_type_starts_idx" ON "consultations" USING btree ("organization_id","consultation_type","starts_at","id");--> statement-breakpoint
CREATE INDEX "consultations_org_duration_starts_idx" ON "consultations" USING btree ("organization_id","duration_minutes","starts_at","id");--> statement-breakpoint
CREATE INDEX "consultations_org_created_idx" ON "consultations" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "patients_organization_name_sort_idx" ON "patients" USING btree ("organization_id",("name" collate "und-x-icu"),"id");