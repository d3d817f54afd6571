import { SPECIALIST_PROFESSIONAL_TYPES } from "../schemas";

/** What a consultation's full view and its list summary share. */
const CONSULTATION_FIELDS = {
  provider: `Who attends. Only specialists (${SPECIALIST_PROFESSIONAL_TYPES.join(", ")}) carry \`specialtyId\`, \`specialtyCode\` and \`specialtyName\`.`,
  "provider.name": "The provider's full name.",
  "provider.specialtyId": "Specialists only: the specialty's id.",
  "provider.specialtyCode": "Specialists only: the specialty's catalog code.",
  "provider.specialtyName": "Specialists only: the specialty's name.",
  patient: "Who is attended.",
  "patient.documentType": "The patient's identity document type.",
  "patient.documentNumber": "The patient's identity document number.",
  "patient.name": "The patient's full name.",
  consultationType: "Consultation type code.",
  immediate: "True when the consultation was created without `scheduledAt`.",
  durationMinutes: "Duration in minutes.",
  createdAt: "When it was created, `yyyy-MM-dd HH:mm` in the organization's timezone.",
};

/** Field-by-field prose of the consultation contract, added to the generated schemas (which carry the rules). */
export const CONSULTATION_DESCRIPTIONS = {
  CreateConsultationRequest: {
    provider: "The provider (doctor, psychologist, …). Matched by document type and number: a known provider is updated with the data sent.",
    patient: "The patient. Matched by document type and number: a known patient is updated with the data sent.",
    consultationType: "Consultation type code from the catalog (`GET /api/catalogs`), e.g. `ConsultaGeneral`, `ConsultaUrgencias`.",
    durationMinutes: "Duration in minutes, from the fixed list of durations.",
  },
  ProviderInput: {
    name: "Full name (surrounding spaces are trimmed before the length is checked).",
    documentType: "Identity document type.",
    documentNumber: "Identity document number, letters and digits only.",
    professionalType: "Professional type code from the catalog, e.g. `MedicoGeneral`, `MedicoEspecialista`, `Psicologo`.",
    medicalSpecialtyCode: `Medical specialty code from the catalog, e.g. \`CA003\` (Cardiología). Required when \`professionalType\` is ${SPECIALIST_PROFESSIONAL_TYPES.map((t) => `\`${t}\``).join(" or ")}; for any other type leave it out or send null (otherwise 400 \`specialty_not_allowed\`).`,
    phone: "Phone in international format, with + and country code (e.g. `+573001234567`). Checked as a real number and stored in E.164.",
    email: "E-mail address.",
    professionalLicense: "Professional license number.",
  },
  PatientInput: {
    documentType: "Identity document type.",
    documentNumber: "Identity document number, letters and digits only.",
    name: "Full name.",
    phone: "Phone in international format, with + and country code (e.g. `+573009876543`).",
    email: "E-mail address.",
  },
  Consultation: {
    ...CONSULTATION_FIELDS,
    consultationId: "The consultation's id.",
    accessPin: "6-digit PIN both participants type after opening their link.",
    participantAccess: "One join link for the patient and one for the provider. Each link is personal: do not swap them.",
    "participantAccess.patientUrl": "Send to the patient. Opens the call in the browser; no account needed.",
    "participantAccess.providerUrl": "Send to the provider.",
    status: "`Pending` until someone joins, `InProgress` during the call, then `Completed`; `Expired` if nobody joined in time.",
  },
  ConsultationSummary: {
    ...CONSULTATION_FIELDS,
    consultationId: "The consultation's id; `GET /api/consultations/{consultationId}` returns it with its PIN and links.",
    status: "Where the consultation is in its lifecycle.",
  },
} satisfies Record<string, Record<string, string>>;
