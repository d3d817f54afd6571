import { API_VERSION } from "@/lib/config";

/**
 * The examples of ../shared/seeds/create-consultation-api.txt, as the document shows them.
 * Two things differ from the seed page: dates are moved into the future (next year, same
 * day and hour), and the e-mail addresses, which the seed page shows as "[email protected]"
 * (the page's e-mail obfuscation, not an address), are filled in with real-looking ones.
 */

export function exampleYear(now: Date): number {
  return now.getUTCFullYear() + 1;
}

export function scheduledSpecialistRequest(year: number) {
  return {
    provider: {
      name: "Dr. Juan Pérez",
      documentType: "CC",
      documentNumber: "1234567890",
      professionalType: "MedicoEspecialista",
      medicalSpecialtyCode: "CA003",
      phone: "+573001234567",
      email: "juan.perez@example.com",
      professionalLicense: "12345",
    },
    patient: {
      documentType: "CC",
      documentNumber: "1234567890",
      name: "María García López",
      phone: "+573009876543",
      email: "maria.garcia@example.com",
    },
    consultationType: "ConsultaGeneral",
    scheduledAt: `${year}-12-15 14:30`,
    durationMinutes: 30,
  };
}

export function immediateGeneralRequest() {
  return {
    provider: {
      name: "Dr. Ana Martínez",
      documentType: "CC",
      documentNumber: "9876543210",
      professionalType: "MedicoGeneral",
      phone: "+573009876543",
      email: "ana.martinez@example.com",
    },
    patient: {
      documentType: "CC",
      documentNumber: "1234567890",
      name: "María García López",
      phone: "+573009876543",
      email: "maria.garcia@example.com",
    },
    consultationType: "ConsultaUrgencias",
    durationMinutes: 20,
  };
}

export function exampleMetadata(year: number, time = "15:30:00") {
  return { requestId: "a1b2c3d4e5f60718", timestamp: `${year}-12-15T${time}Z`, version: API_VERSION };
}

function access(serverUrl: string, patientToken: string, providerToken: string) {
  return {
    patientUrl: `${serverUrl}/join/${patientToken}?type=patient`,
    providerUrl: `${serverUrl}/join/${providerToken}?type=provider`,
  };
}

/** The seed's 200 response, with the fields this API adds (`consultationType`, `immediate`, `noShow`). */
export function seedConsultationResponse(serverUrl: string, year: number) {
  return {
    success: true,
    data: {
      consultationId: "550e8400-e29b-41d4-a716-446655440001",
      accessPin: "123456",
      participantAccess: access(serverUrl, "abc123def456", "ghi789jkl012"),
      expiredAt: `${year}-12-15 15:00`,
      provider: { name: "Dr. Ana Martínez", professionalType: "Médico General" },
      patient: { documentType: "CC", documentNumber: "1234567890", name: "María García López" },
      consultationType: "ConsultaGeneral",
      scheduledAt: `${year}-12-15 14:30`,
      immediate: false,
      durationMinutes: 30,
      status: "Pending",
      createdAt: `${year}-12-15 10:30`,
      noShow: null,
    },
    metadata: exampleMetadata(year),
  };
}

/** The answer to the scheduled specialist request: the provider carries the specialty fields. */
export function scheduledSpecialistResponse(serverUrl: string, year: number) {
  return {
    success: true,
    data: {
      consultationId: "7d9f3b2a-4c1e-4f6a-9b8d-2e5c7a1f0b34",
      accessPin: "482913",
      participantAccess: access(serverUrl, "Q2xpbmljUGF0aWVudFRva2VuRXhhbXBsZTAwMDAwMDE", "Q2xpbmljUHJvdmlkZXJUb2tlbkV4YW1wbGUwMDAwMDA"),
      expiredAt: `${year}-12-15 15:00`,
      provider: {
        name: "Dr. Juan Pérez",
        professionalType: "Médico Especialista",
        specialtyId: "0c4b2f8e-6a1d-4e3b-8f2a-5d9c7e1b3a60",
        specialtyCode: "CA003",
        specialtyName: "Cardiología",
      },
      patient: { documentType: "CC", documentNumber: "1234567890", name: "María García López" },
      consultationType: "ConsultaGeneral",
      scheduledAt: `${year}-12-15 14:30`,
      immediate: false,
      durationMinutes: 30,
      status: "Pending",
      createdAt: `${year}-12-15 10:30`,
      noShow: null,
    },
    metadata: exampleMetadata(year),
  };
}

/** The answer to the immediate request: it starts when it is created. */
export function immediateGeneralResponse(serverUrl: string, year: number) {
  return {
    success: true,
    data: {
      consultationId: "b1e2c3d4-5f60-4718-8a9b-0c1d2e3f4a5b",
      accessPin: "905127",
      participantAccess: access(serverUrl, "SW1tZWRpYXRlUGF0aWVudFRva2VuRXhhbXBsZTAwMDE", "SW1tZWRpYXRlUHJvdmlkZXJUb2tlbkV4YW1wbGUwMDE"),
      expiredAt: `${year}-12-15 10:50`,
      provider: { name: "Dr. Ana Martínez", professionalType: "Médico General" },
      patient: { documentType: "CC", documentNumber: "1234567890", name: "María García López" },
      consultationType: "ConsultaUrgencias",
      scheduledAt: `${year}-12-15 10:30`,
      immediate: true,
      durationMinutes: 20,
      status: "Pending",
      createdAt: `${year}-12-15 10:30`,
      noShow: null,
    },
    metadata: exampleMetadata(year),
  };
}
