import { medicalSpecialties, professionalTypes, providers } from "@/db/schema";
import type { ProviderView } from ".";

/** What a provider's view is read from (with professionalTypes and medicalSpecialties joined); see providerViewOf. */
export const providerViewColumns = {
  providerId: providers.id,
  name: providers.name,
  documentType: providers.documentType,
  documentNumber: providers.documentNumber,
  professionalType: providers.professionalType,
  professionalTypeName: professionalTypes.name,
  specialtyId: medicalSpecialties.id,
  specialtyCode: medicalSpecialties.code,
  specialtyName: medicalSpecialties.name,
  phone: providers.phone,
  email: providers.email,
  professionalLicense: providers.professionalLicense,
  active: providers.active,
};

type ProviderViewRow = Omit<ProviderView, "specialty"> & { specialtyId: string | null; specialtyCode: string | null; specialtyName: string | null };

export function providerViewOf({ specialtyId, specialtyCode, specialtyName, ...rest }: ProviderViewRow): ProviderView {
  return { ...rest, specialty: specialtyId && specialtyCode && specialtyName ? { specialtyId, specialtyCode, specialtyName } : null };
}
