import type { z } from "zod";
import type { Database, Transaction } from "@/db/client";
import { database } from "@/db/runtime";
import { formObject } from "@/lib/forms/read";
import { refusedForm, type FormState, type Wording } from "@/lib/forms/form-state";
import type { OrganizationRow } from "@/lib/organizations";
import type { Capability, StaffAudit, StaffMember } from "@/lib/staff";
import { requireStaff, staffOrganization } from "./current-staff";
import { auditedStaffAction } from "./staff-auth";

/** What a dashboard page or action works with: who is signed in, the database, their organization. */
export type StaffRequest = {
  staff: StaffMember;
  db: Database;
  organization: OrganizationRow;
  /** `work` and the audit row `audit` describes, in one transaction, done by this staff member (see auditedStaffAction). */
  audited: <T>(work: (tx: Transaction) => Promise<T>, audit: (result: NoInfer<T>) => StaffAudit | null) => Promise<T>;
};

/**
 * The dashboard's doorway: every page and action starts here. No session goes to the sign-in
 * page, a role without the capability gets 403 (see requireStaff).
 */
export async function staffRequest(capability?: Capability): Promise<StaffRequest> {
  const staff = await requireStaff(capability);
  const [db, organization] = await Promise.all([database(), staffOrganization(staff.organizationId)]);
  return { staff, db, organization, audited: (work, audit) => auditedStaffAction(staff, work, audit) };
}

/**
 * A form's server action: the signed-in member with `capability`, the form read with `schema`,
 * then `work`. A refusal (AppError, ZodError) comes back as the form's state with what was typed,
 * said in the request's language (see refusedForm and `wording`); anything else (a server fault, a
 * redirect) is thrown on. For example:
 *
 *   export const saveName = staffAction("settings.manage", z.object({ name: formText }), async (values, { audited }) => {
 *     await audited((tx) => rename(tx, values.name), () => ({ action: "organization.updated" }));
 *     return { values };
 *   });
 */
export function staffAction<Values, State extends FormState<unknown>>(
  capability: Capability,
  schema: z.ZodType<Values>,
  work: (values: Values, request: StaffRequest) => Promise<State>,
  wording?: Wording,
): (previous: State, form: FormData) => Promise<State> {
  return async (_previous, form) => {
    const request = await staffRequest(capability);
    const parsed = schema.safeParse(formObject(form));
    if (!parsed.success) return (await refusedForm(parsed.error, wording)) as State;
    try {
      return await work(parsed.data, request);
    } catch (error) {
      return { values: parsed.data, ...(await refusedForm(error, wording)) } as State;
    }
  };
}
