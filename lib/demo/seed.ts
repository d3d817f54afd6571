import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { medicalSpecialties, organizations, providers } from "@/db/schema";
import { issueApiCredential } from "@/lib/auth/api-keys";
import { createOrganization } from "@/lib/organizations";
import { createStaffMember } from "@/lib/staff";

export const DEMO_SLUG = "demo-clinic";
export const DEMO_ADMIN_EMAIL = "admin@demo-clinic.example";

/**
 * Seeds the demo organization on first start: a few providers and one API credential,
 * printed once (only its hash is kept, so it cannot be shown again).
 */
export async function seedDemo(db: Database, options: { appUrl: string; print: (text: string) => void }): Promise<boolean> {
  return db.transaction(async (tx) => {
    // One starter at a time, so two processes never seed twice.
    await tx.execute("select pg_advisory_xact_lock(7351002)");
    const [existing] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, DEMO_SLUG));
    if (existing) return false;

    const organization = await createOrganization(tx, { name: "Demo Clinic", slug: DEMO_SLUG, timezone: "America/Bogota", language: "es" });
    const [cardiology] = await tx.select({ id: medicalSpecialties.id }).from(medicalSpecialties).where(eq(medicalSpecialties.code, "CA003"));
    await tx.insert(providers).values([
      {
        organizationId: organization.id,
        name: "Dra. Ana Martínez",
        documentType: "CC",
        documentNumber: "9876543210",
        professionalType: "MedicoGeneral",
        phone: "+573009876543",
        email: "ana.martinez@demo-clinic.example",
      },
      {
        organizationId: organization.id,
        name: "Dr. Juan Pérez",
        documentType: "CC",
        documentNumber: "1234567890",
        professionalType: "MedicoEspecialista",
        medicalSpecialtyId: cardiology?.id ?? null,
        phone: "+573001234567",
        email: "juan.perez@demo-clinic.example",
        professionalLicense: "12345",
      },
      {
        organizationId: organization.id,
        name: "Ps. Laura Gómez Ríos",
        documentType: "CC",
        documentNumber: "5566778899",
        professionalType: "Psicologo",
        phone: "+573104445566",
        email: "laura.gomez@demo-clinic.example",
      },
    ]);
    const credential = await issueApiCredential(tx, organization.id, "Demo credential");
    const adminPassword = randomBytes(15).toString("base64url");
    const admin = await createStaffMember(tx, organization.id, { email: DEMO_ADMIN_EMAIL, name: "Demo Admin", role: "admin", password: adminPassword });
    options.print(
      [
        "",
        "================================================================",
        " Demo Clinic is ready (timezone America/Bogota).",
        " Its API credential, shown this once (only a hash is stored):",
        `   X-API-Key:     ${credential.keyId}`,
        `   X-API-Secret:  ${credential.secret}`,
        `   or Authorization: Bearer ${credential.bearerToken}`,
        ` Try: curl -H "Authorization: Bearer ${credential.bearerToken}" ${options.appUrl}/api/providers`,
        ` API reference: ${options.appUrl}/docs/api`,
        "",
        " The clinic dashboard, as its admin (password shown this once):",
        `   ${options.appUrl}/signin`,
        `   email:     ${admin.email}`,
        `   password:  ${adminPassword}`,
        " More staff: npm run cli -- staff:create --org demo-clinic --email … --name … --role scheduler",
        "================================================================",
        "",
      ].join("\n"),
    );
    return true;
  });
}
