/**
 * Whom a person waits for, or is seen by: the patient, the provider, everyone else in a room, or
 * someone by name. The catalogs choose the words (`{who, select, …}`), so a language can say
 * "al paciente" or "degli altri" where English says "the patient" and "the others".
 */
export type Counterpart = { kind: "patient" | "provider" | "others" } | { kind: "name"; name: string };

/** The arguments of a `{who, select, patient {…} provider {…} others {…} other {…{name}…}}` message. */
export function counterpartArgs(counterpart: Counterpart): { who: string; name: string } {
  return counterpart.kind === "name" ? { who: "name", name: counterpart.name } : { who: counterpart.kind, name: "" };
}
