-- Double booking is refused by the database itself: one live consultation per provider
-- and per patient at any instant. Written by hand: drizzle-kit cannot express EXCLUDE.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_provider_no_overlap"
  EXCLUDE USING gist ("provider_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('Pending', 'InProgress'));
--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_patient_no_overlap"
  EXCLUDE USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('Pending', 'InProgress'));
--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_duration_allowed"
  CHECK ("duration_minutes" IN (10, 15, 20, 25, 30, 35, 40, 45, 50, 60) AND "ends_at" > "starts_at");
--> statement-breakpoint
INSERT INTO "professional_types" ("code", "name", "requires_specialty", "sort_order") VALUES
  ('MedicoGeneral', 'Médico General', false, 1),
  ('MedicoEspecialista', 'Médico Especialista', true, 2),
  ('Psicologo', 'Psicólogo', false, 3),
  ('Nutricionista', 'Nutricionista', false, 4),
  ('Fisioterapeuta', 'Fisioterapeuta', false, 5),
  ('Enfermero', 'Enfermero', false, 6),
  ('Odontologo', 'Odontólogo', false, 7)
ON CONFLICT ("code") DO NOTHING;
--> statement-breakpoint
INSERT INTO "consultation_types" ("code", "name", "sort_order") VALUES
  ('ConsultaGeneral', 'Consulta general', 1),
  ('ConsultaUrgencias', 'Consulta de urgencias', 2),
  ('ConsultaPrimeraVez', 'Consulta de primera vez', 3),
  ('ConsultaControl', 'Consulta de control', 4),
  ('ConsultaSeguimiento', 'Consulta de seguimiento', 5),
  ('ConsultaEspecialista', 'Consulta con especialista', 6),
  ('ConsultaPsicologia', 'Consulta de psicología', 7),
  ('ConsultaNutricion', 'Consulta de nutrición', 8)
ON CONFLICT ("code") DO NOTHING;
--> statement-breakpoint
INSERT INTO "medical_specialties" ("code", "name") VALUES
  ('CA003', 'Cardiología'),
  ('DE004', 'Dermatología'),
  ('EN005', 'Endocrinología'),
  ('GA006', 'Gastroenterología'),
  ('GI007', 'Ginecología y obstetricia'),
  ('MI001', 'Medicina interna'),
  ('NE008', 'Neurología'),
  ('OF009', 'Oftalmología'),
  ('OR010', 'Ortopedia y traumatología'),
  ('OT011', 'Otorrinolaringología'),
  ('PE002', 'Pediatría'),
  ('PS012', 'Psiquiatría'),
  ('UR013', 'Urología'),
  ('NM014', 'Neumología')
ON CONFLICT ("code") DO NOTHING;
