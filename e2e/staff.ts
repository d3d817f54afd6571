import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { connect } from "../db/client";
import { DEMO_SLUG } from "../lib/demo/seed";
import { issueApiCredential } from "../lib/auth/api-keys";
import { createOrganization } from "../lib/organizations";
import { createStaffMember, type StaffRole } from "../lib/staff";
import { specDatabase } from "./call";

/** Staff of the demo clinic for the dashboard specs: made per test, signed in through the form. */

export const PASSWORD = "a long staff password";

export async function demoOrganization() {
  const sql = specDatabase();
  try {
    const [org] = await sql<{ id: string }[]>`select id from organizations where slug = ${DEMO_SLUG}`;
    return org!.id;
  } finally {
    await sql.end();
  }
}

/** A staff member of the demo clinic, made for this test. */
export async function staff(role: StaffRole, providerId?: string): Promise<{ email: string; name: string }> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const email = `${role}-${randomBytes(4).toString("hex")}@demo-clinic.example`;
    const name = `${role[0]!.toUpperCase()}${role.slice(1)} ${email.slice(role.length + 1, role.length + 5)}`;
    await createStaffMember(db, await demoOrganization(), { email, name, role, providerId, password: PASSWORD });
    return { email, name };
  } finally {
    await db.$client.end();
  }
}

/** A consultation of a second clinic, made through the API with that clinic's own credential. */
export async function otherClinicConsultation(request: APIRequestContext): Promise<string> {
  const db = connect(process.env.E2E_SPEC_DATABASE_URL!, { max: 1 });
  try {
    const organization = await createOrganization(db, { name: `Other clinic ${randomBytes(3).toString("hex")}`, timezone: "America/Lima" });
    const credential = await issueApiCredential(db, organization.id, "e2e");
    const response = await request.post("/api/consultations", {
      headers: { authorization: `Bearer ${credential.bearerToken}` },
      data: {
        provider: { name: "Dr. Otro Médico", documentType: "CC", documentNumber: "5550001111", professionalType: "MedicoGeneral", phone: "+573009876543", email: "otro@example.com" },
        patient: { documentType: "CC", documentNumber: "5550002222", name: "Paciente Ajeno", phone: "+573001234567", email: "ajeno@example.com" },
        consultationType: "ConsultaGeneral",
        durationMinutes: 20,
      },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).data.consultationId;
  } finally {
    await db.$client.end();
  }
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

