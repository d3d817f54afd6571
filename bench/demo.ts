/**
 * What benches that run against the demo clinic (SEED_DEMO=true) share: a credential that is
 * never throttled, and an immediate consultation made through the API as an integrator would.
 */
import { randomInt } from "node:crypto";
import { connect } from "@/db/client";
import { issueApiCredential, setRateLimit } from "@/lib/auth/api-keys";
import { DEMO_SLUG } from "@/lib/demo/seed";
import { findOrganization } from "@/lib/organizations";

/** A credential of the demo organization (seeded by the app at start), never throttled. */
export async function demoCredential(databaseUrl: string, label: string): Promise<string> {
  const db = connect(databaseUrl, { max: 1 });
  try {
    const organization = await findOrganization(db, DEMO_SLUG);
    if (!organization) throw new Error(`the demo organization (${DEMO_SLUG}) is missing: did SEED_DEMO=true reach the app?`);
    const credential = await issueApiCredential(db, organization.id, label);
    await setRateLimit(db, credential.id, 2_147_483_647);
    return `Bearer ${credential.bearerToken}`;
  } finally {
    await db.$client.end({ timeout: 5 });
  }
}

export type Consultation = { patientPath: string; providerPath: string; pin: string };

/** A link's path and query, opened against the bench's server. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

/** An immediate consultation of the demo clinic with a provider and a patient of its own (as e2e/call.ts makes them). */
export async function createConsultation(baseUrl: string, authorization: string): Promise<Consultation> {
  const doc = () => String(randomInt(1_000_000_000, 9_999_999_999));
  const response = await fetch(`${baseUrl}/api/consultations`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({
      provider: { name: "Dr. Ana Martínez", documentType: "CC", documentNumber: doc(), professionalType: "MedicoGeneral", phone: "+573009876543", email: "ana@example.com" },
      patient: { documentType: "CC", documentNumber: doc(), name: "María García López", phone: "+573001234567", email: "maria@example.com" },
      consultationType: "ConsultaGeneral",
      durationMinutes: 20,
    }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`POST /api/consultations answered ${response.status}: ${text}`);
  const { data } = JSON.parse(text) as { data: { participantAccess: { patientUrl: string; providerUrl: string }; accessPin: string } };
  return { patientPath: pathOf(data.participantAccess.patientUrl), providerPath: pathOf(data.participantAccess.providerUrl), pin: data.accessPin };
}
