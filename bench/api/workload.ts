import { formatLocal } from "@/lib/time";

/**
 * The create-consultation bodies the benchmark sends: the seed's two examples, alternated,
 * each with a provider and a patient document number never used before (so neither the
 * upserts nor the double-booking constraints ever meet an existing row: no 409s).
 */
export function consultationBodies(tag: string, timeZone: string): (serial: number) => string {
  if (!/^[A-Za-z0-9]{1,8}$/.test(tag)) throw new Error(`bad workload tag ${tag}`);
  // Three days ahead: far beyond the 15-minute minimum notice, whenever the request is sent.
  const scheduledAt = formatLocal(new Date(Date.now() + 3 * 24 * 60 * 60_000), timeZone);
  return (serial) => {
    // 8 to 20 letters and digits, as documentNumberSchema wants.
    const n = String(serial).padStart(8, "0");
    const provider = `P${tag}${n}`;
    const patient = `Q${tag}${n}`;
    const body =
      serial % 2 === 0
        ? {
            provider: {
              name: "Dr. Juan Pérez",
              documentType: "CC",
              documentNumber: provider,
              professionalType: "MedicoEspecialista",
              medicalSpecialtyCode: "CA003",
              phone: "+573001234567",
              email: "juan.perez@example.com",
              professionalLicense: "12345",
            },
            patient: { documentType: "CC", documentNumber: patient, name: "María García López", phone: "+573009876543", email: "maria.garcia@example.com" },
            consultationType: "ConsultaGeneral",
            scheduledAt,
            durationMinutes: 30,
          }
        : {
            provider: {
              name: "Dr. Ana Martínez",
              documentType: "CC",
              documentNumber: provider,
              professionalType: "MedicoGeneral",
              phone: "+573009876543",
              email: "ana.martinez@example.com",
            },
            patient: { documentType: "CC", documentNumber: patient, name: "María García López", phone: "+573009876543", email: "maria.garcia@example.com" },
            consultationType: "ConsultaUrgencias",
            durationMinutes: 20,
          };
    return JSON.stringify(body);
  };
}
