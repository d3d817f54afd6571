import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { providers } from "@/db/schema";
import { createConsultation } from "@/lib/consultations/create";
import { Sealer } from "@/lib/crypto";
import { scheduleConsultation } from "@/lib/consultations/schedule";
import { createTenant, refusal } from "@/test/api";
import { formatLocal } from "@/lib/time";
import { setupTestDatabase } from "@/test/db";
import {
  createProvider,
  getProvider,
  listBookableProviders,
  listProviderChoices,
  listProviderTable,
  parseProviderTableQuery,
  pendingConsultationsOf,
  providerBodyFromForm,
  setProviderActive,
  updateProvider,
} from ".";

const ctx = setupTestDatabase();
const sealer = new Sealer("a test secret of at least thirty-two characters");

/** A valid form, as the dashboard submits it. */
const form = (overrides: Record<string, string> = {}) => ({
  name: "Dra. Camila Restrepo",
  documentType: "CC",
  documentNumber: "52000001",
  professionalType: "MedicoGeneral",
  medicalSpecialtyCode: "",
  phone: "+57 300 111 2233",
  email: "camila@clinic.example",
  professionalLicense: "",
  ...overrides,
});

const fieldsOf = (error: { details: { field: string; message: string }[] }) => Object.fromEntries(error.details.map((d) => [d.field, d.message]));

describe("adding a provider", () => {
  test("stores the record as the API would (phone in E.164, no licence when blank)", async () => {
    const { organization } = await createTenant(ctx.db);
    const made = await createProvider(ctx.db, organization.id, providerBodyFromForm(form()));
    expect(made).toMatchObject({
      name: "Dra. Camila Restrepo",
      documentType: "CC",
      documentNumber: "52000001",
      professionalType: "MedicoGeneral",
      professionalTypeName: "Médico General",
      specialty: null,
      phone: "+573001112233",
      professionalLicense: null,
      active: true,
    });
  });

  test("names every field at fault with the API's own messages", async () => {
    const { organization } = await createTenant(ctx.db);
    const bad = await refusal(
      createProvider(
        ctx.db,
        organization.id,
        providerBodyFromForm(form({ name: "Dr. Corto", documentNumber: "1234", phone: "3001234", email: "not-an-email", professionalType: "" })),
      ),
    );
    expect([bad.status, bad.code]).toEqual([400, "validation_error"]);
    expect(fieldsOf(bad)).toEqual({
      name: "must be at least 10 characters",
      documentNumber: "must be at least 8 characters",
      phone: "must be a valid phone number in international format, e.g. +573001234567",
      email: "must be a valid email address",
      professionalType: "is required",
    });
  });

  test("asks for a catalog specialty exactly when the professional type requires one", async () => {
    const { organization } = await createTenant(ctx.db);
    const missing = await refusal(createProvider(ctx.db, organization.id, providerBodyFromForm(form({ professionalType: "MedicoEspecialista" }))));
    expect(missing.details).toEqual([expect.objectContaining({ field: "medicalSpecialtyCode", code: "specialty_required" })]);
    const unknown = await refusal(
      createProvider(ctx.db, organization.id, providerBodyFromForm(form({ professionalType: "MedicoEspecialista", medicalSpecialtyCode: "XX999" }))),
    );
    expect(unknown.details).toEqual([expect.objectContaining({ field: "medicalSpecialtyCode", code: "unknown_specialty" })]);
    const notAllowed = await refusal(createProvider(ctx.db, organization.id, providerBodyFromForm(form({ professionalType: "Psicologo", medicalSpecialtyCode: "CA003" }))));
    expect(notAllowed.details).toEqual([expect.objectContaining({ field: "medicalSpecialtyCode", code: "specialty_not_allowed" })]);
    const badType = await refusal(createProvider(ctx.db, organization.id, providerBodyFromForm(form({ professionalType: "Chaman" }))));
    expect(badType.details).toEqual([expect.objectContaining({ field: "professionalType", code: "unknown_professional_type" })]);

    const specialist = await createProvider(
      ctx.db,
      organization.id,
      providerBodyFromForm(form({ professionalType: "MedicoEspecialista", medicalSpecialtyCode: "PE002", professionalLicense: "RM-778" })),
    );
    expect(specialist).toMatchObject({ specialty: { specialtyCode: "PE002", specialtyName: "Pediatría" }, professionalLicense: "RM-778" });
  });

  test("refuses a document another provider of the organization has, naming who; another organization may have it", async () => {
    const mine = await createTenant(ctx.db);
    const other = await createTenant(ctx.db);
    const first = await createProvider(ctx.db, mine.organization.id, providerBodyFromForm(form({ documentNumber: "52000010" })));
    const taken = await refusal(createProvider(ctx.db, mine.organization.id, providerBodyFromForm(form({ name: "Dr. Otro Nombre Largo", documentNumber: "52000010" }))));
    expect([taken.status, taken.code]).toEqual([409, "provider_document_taken"]);
    expect(taken.details).toEqual([
      { field: "documentNumber", code: "document_taken", message: "is already used by Dra. Camila Restrepo", params: { holder: "Dra. Camila Restrepo", active: "true" } },
    ]);
    // The same number under another document type is another person.
    await createProvider(ctx.db, mine.organization.id, providerBodyFromForm(form({ documentType: "CE", documentNumber: "52000010" })));
    await createProvider(ctx.db, other.organization.id, providerBodyFromForm(form({ documentNumber: "52000010" })));

    await setProviderActive(ctx.db, mine.organization.id, first.providerId, false);
    const takenByInactive = await refusal(createProvider(ctx.db, mine.organization.id, providerBodyFromForm(form({ documentNumber: "52000010" }))));
    expect(takenByInactive.details[0]?.message).toBe("is already used by Dra. Camila Restrepo (deactivated)");
  });
});

describe("editing a provider", () => {
  test("replaces the record, reports the changed fields, and keeps the document unique", async () => {
    const { organization } = await createTenant(ctx.db);
    const a = await createProvider(ctx.db, organization.id, providerBodyFromForm(form({ documentNumber: "52000020", professionalLicense: "L-1" })));
    const b = await createProvider(ctx.db, organization.id, providerBodyFromForm(form({ name: "Dr. Mateo Londoño", documentNumber: "52000021" })));

    const edited = await updateProvider(
      ctx.db,
      organization.id,
      a.providerId,
      providerBodyFromForm(form({ documentNumber: "52000020", professionalType: "MedicoEspecialista", medicalSpecialtyCode: "CA003", phone: "+573009998877" })),
    );
    expect(edited.changed).toEqual(["professionalType", "medicalSpecialtyCode", "phone", "professionalLicense"]);
    expect(edited.provider).toMatchObject({ professionalType: "MedicoEspecialista", specialty: { specialtyCode: "CA003" }, phone: "+573009998877", professionalLicense: null });
    expect(edited.provider.updatedAt.getTime()).toBeGreaterThanOrEqual(a.updatedAt.getTime());

    const same = await updateProvider(ctx.db, organization.id, a.providerId, providerBodyFromForm(form({ documentNumber: "52000020", professionalType: "MedicoEspecialista", medicalSpecialtyCode: "CA003", phone: "+573009998877" })));
    expect(same.changed).toEqual([]);

    const bad = await refusal(updateProvider(ctx.db, organization.id, a.providerId, providerBodyFromForm(form({ documentNumber: "52000020", professionalType: "MedicoEspecialista", phone: "12" }))));
    expect(Object.keys(fieldsOf(bad)).sort()).toEqual(["medicalSpecialtyCode", "phone"]);

    const clash = await refusal(updateProvider(ctx.db, organization.id, a.providerId, providerBodyFromForm(form({ documentNumber: "52000021" }))));
    expect([clash.status, clash.details[0]?.field, clash.details[0]?.message]).toEqual([409, "documentNumber", "is already used by Dr. Mateo Londoño"]);
    expect((await getProvider(ctx.db, organization.id, b.providerId))?.documentNumber).toBe("52000021");
  });
});

describe("organization scoping", () => {
  test("another organization can neither read, edit, deactivate nor reactivate a provider", async () => {
    const mine = await createTenant(ctx.db);
    const other = await createTenant(ctx.db);
    const provider = await createProvider(ctx.db, mine.organization.id, providerBodyFromForm(form({ documentNumber: "52000030" })));

    expect(await getProvider(ctx.db, other.organization.id, provider.providerId)).toBeUndefined();
    expect(await getProvider(ctx.db, mine.organization.id, "not-a-uuid")).toBeUndefined();
    const edit = await refusal(updateProvider(ctx.db, other.organization.id, provider.providerId, providerBodyFromForm(form({ name: "Nombre Cambiado Por Otro" }))));
    expect([edit.status, edit.code]).toEqual([404, "not_found"]);
    const off = await refusal(setProviderActive(ctx.db, other.organization.id, provider.providerId, false));
    expect(off.status).toBe(404);
    expect((await refusal(setProviderActive(ctx.db, mine.organization.id, "not-a-uuid", false))).status).toBe(404);

    const [row] = await ctx.db.select().from(providers).where(eq(providers.id, provider.providerId));
    expect([row!.name, row!.active]).toEqual(["Dra. Camila Restrepo", true]);

    await setProviderActive(ctx.db, mine.organization.id, provider.providerId, false);
    expect((await refusal(setProviderActive(ctx.db, other.organization.id, provider.providerId, true))).status).toBe(404);
    expect((await getProvider(ctx.db, mine.organization.id, provider.providerId))?.active).toBe(false);
  });
});

describe("deactivating a provider", () => {
  test("takes them out of the booking choices; the API and the dashboard refuse them; reactivating brings them back", async () => {
    const { organization } = await createTenant(ctx.db, { timezone: "America/Bogota" });
    const org = { organizationId: organization.id, timeZone: "America/Bogota", appUrl: "http://localhost:3000", sealer };
    const provider = await createProvider(ctx.db, organization.id, providerBodyFromForm(form({ documentNumber: "52000040" })));
    const patient = { documentType: "CC", documentNumber: "1122334455", name: "María García López", phone: "+573001112233", email: "maria@x.example" };
    await scheduleConsultation(ctx.db, org, { providerId: provider.providerId, patient, consultationType: "ConsultaGeneral", durationMinutes: "20", when: "now" });
    expect(await pendingConsultationsOf(ctx.db, organization.id, provider.providerId)).toBe(1);

    const off = await setProviderActive(ctx.db, organization.id, provider.providerId, false);
    expect([off.changed, off.provider.active]).toEqual([true, false]);
    expect((await setProviderActive(ctx.db, organization.id, provider.providerId, false)).changed).toBe(false);
    expect((await listBookableProviders(ctx.db, organization.id)).map((p) => p.id)).not.toContain(provider.providerId);
    // The consultations filter still names them, marked inactive.
    expect(await listProviderChoices(ctx.db, organization.id)).toContainEqual({ id: provider.providerId, name: provider.name, active: false, tellApart: null });
    // Their consultation is kept.
    expect(await pendingConsultationsOf(ctx.db, organization.id, provider.providerId)).toBe(1);

    const fromDashboard = await refusal(
      scheduleConsultation(ctx.db, org, { providerId: provider.providerId, patient: { ...patient, documentNumber: "1122334466" }, consultationType: "ConsultaGeneral", durationMinutes: "20", when: "now" }),
    );
    expect(fromDashboard.details[0]?.field).toBe("providerId");
    const apiBody = {
      provider: { name: provider.name, documentType: "CC", documentNumber: "52000040", professionalType: "MedicoGeneral", phone: provider.phone, email: provider.email },
      patient: { ...patient, documentNumber: "1122334477" },
      consultationType: "ConsultaGeneral",
      durationMinutes: 20,
      // Tomorrow: the provider's immediate consultation above holds the present.
      scheduledAt: formatLocal(new Date(Date.now() + 86_400_000), "America/Bogota"),
    };
    const fromApi = await refusal(createConsultation(ctx.db, org, apiBody));
    expect([fromApi.status, fromApi.code]).toEqual([409, "provider_inactive"]);

    const on = await setProviderActive(ctx.db, organization.id, provider.providerId, true);
    expect([on.changed, on.provider.active]).toEqual([true, true]);
    expect((await listBookableProviders(ctx.db, organization.id)).map((p) => p.id)).toContain(provider.providerId);
    expect((await createConsultation(ctx.db, org, apiBody)).provider.name).toBe(provider.name);
  });
});

describe("listing providers", () => {
  test("offers every active provider for booking, not a first page of them", async () => {
    const { organization } = await createTenant(ctx.db);
    await ctx.db.insert(providers).values(
      Array.from({ length: 130 }, (_, i) => ({
        organizationId: organization.id,
        name: `Dr. Proveedor ${String(i).padStart(3, "0")}`,
        documentType: "CC" as const,
        documentNumber: String(60_000_000 + i),
        professionalType: "MedicoGeneral",
        phone: "+573001112233",
        email: `p${i}@x.example`,
        active: i !== 7,
      })),
    );
    const choices = await listBookableProviders(ctx.db, organization.id);
    expect(choices).toHaveLength(129);
    expect(choices.at(-1)?.name).toBe("Dr. Proveedor 129");
    expect(choices.map((c) => c.name)).not.toContain("Dr. Proveedor 007");
  });

  test("pages the table, searches by name or document, and hides inactive providers unless asked", async () => {
    const { organization } = await createTenant(ctx.db);
    const names = ["Dr. Álvaro Especial", "Dr. Alberto Gómez Ruiz", "Dr. Zoilo Martínez P", "Dra. Beatriz Salcedo"];
    const made = [];
    for (const [i, name] of names.entries()) made.push(await createProvider(ctx.db, organization.id, providerBodyFromForm(form({ name, documentNumber: `7100000${i}` }))));
    await setProviderActive(ctx.db, organization.id, made[3]!.providerId, false);

    const all = await listProviderTable(ctx.db, organization.id, { inactive: false, page: 1 }, 2);
    // By name as people read it: "Álvaro" beside "Alberto", not after "Zoilo".
    expect([all.total, all.pageCount, all.rows.map((r) => r.name)]).toEqual([3, 2, ["Dr. Alberto Gómez Ruiz", "Dr. Álvaro Especial"]]);
    const second = await listProviderTable(ctx.db, organization.id, { inactive: false, page: 2 }, 2);
    expect(second.rows.map((r) => r.name)).toEqual(["Dr. Zoilo Martínez P"]);
    const withInactive = await listProviderTable(ctx.db, organization.id, { inactive: true, page: 1 });
    expect(withInactive.rows.map((r) => [r.name, r.active])).toContainEqual(["Dra. Beatriz Salcedo", false]);
    expect((await listProviderTable(ctx.db, organization.id, { q: "gómez", inactive: false, page: 1 })).rows.map((r) => r.name)).toEqual(["Dr. Alberto Gómez Ruiz"]);
    expect((await listProviderTable(ctx.db, organization.id, { q: "7100000", inactive: false, page: 1 })).total).toBe(3);
    expect((await listProviderTable(ctx.db, organization.id, { q: "salcedo", inactive: false, page: 1 })).total).toBe(0);
    expect((await listProviderTable(ctx.db, organization.id, { q: "salcedo", inactive: true, page: 1 })).total).toBe(1);
    expect((await listProviderTable(ctx.db, organization.id, { q: "%", inactive: true, page: 1 })).total).toBe(0);
    // Another organization's table never shows them.
    const other = await createTenant(ctx.db);
    expect((await listProviderTable(ctx.db, other.organization.id, { inactive: true, page: 1 })).total).toBe(0);
  });

  test("reads the table's query from the URL, dropping what it does not understand", () => {
    expect(parseProviderTableQuery({ q: " ana ", inactive: "1", page: "2" })).toEqual({ query: { q: "ana", inactive: true, page: 2 }, invalid: [] });
    expect(parseProviderTableQuery({ q: "", inactive: "maybe", page: "-1" })).toEqual({
      query: { q: undefined, inactive: false, page: 1 },
      invalid: [
        { param: "inactive", message: "must be 1 or 0" },
        { param: "page", message: "must be 1 or more" },
      ],
    });
  });
});
