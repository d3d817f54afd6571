"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AddGuestState } from "@/components/dashboard/GuestsPanel";
import { staffAction } from "@/lib/auth/staff-action";
import { appSealer, appUrl } from "@/lib/config";
import { addGuest, addGuestSchema } from "@/lib/consultations/guests";
import { formText } from "@/lib/forms/read";

// The guest form's fields as typed; addGuestSchema (the API's) checks name and kind.
const guestForm = z.object({ consultationId: formText, name: formText, kind: formText });

/** Staff add a companion or an interpreter to a consultation: the same rule as `POST /api/consultations/{id}/guests`, audited. */
export const addGuestAction = staffAction("consultations.manage", guestForm, async (values, { staff, audited }): Promise<AddGuestState> => {
  const input = addGuestSchema.parse({ name: values.name, kind: values.kind });
  const added = await audited(
    (tx) => addGuest(tx, { organizationId: staff.organizationId, appUrl: appUrl(), sealer: appSealer() }, values.consultationId, input),
    (guest) => ({ action: "consultation.guest_added", target: { type: "consultation", id: values.consultationId }, detail: { participantId: guest.participantId, kind: guest.kind } }),
  );
  revalidatePath(`/dashboard/consultations/${values.consultationId}`);
  return { added };
});
