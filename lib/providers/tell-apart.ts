/**
 * Two providers can share a name (two "Dr. Pedro Ruiz · Médico General" in one clinic). A list
 * that offers them as choices adds what tells them apart: the document's type and last four
 * digits ("CC ···3210"), only where names collide, and never the whole number.
 */
export type Distinguishable = { name: string; documentType: string; documentNumber: string };

/** The same name as people read it: case, accents and spacing aside. */
function nameKey(name: string): string {
  return name.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase("es").replace(/\s+/g, " ").trim();
}

/** Each choice with `tellApart`: "CC ···3210" where another choice has the same name, else null; the document itself is dropped. */
export function tellApart<T extends Distinguishable>(choices: T[]): (Omit<T, "documentType" | "documentNumber"> & { tellApart: string | null })[] {
  const counts = new Map<string, number>();
  for (const c of choices) counts.set(nameKey(c.name), (counts.get(nameKey(c.name)) ?? 0) + 1);
  return choices.map(({ documentType, documentNumber, ...rest }) => ({
    ...rest,
    tellApart: (counts.get(nameKey(rest.name)) ?? 0) > 1 ? `${documentType} ···${documentNumber.slice(-4)}` : null,
  }));
}

/** A choice as a list shows it: "Dr. Pedro Ruiz · CC ···3210" where needed, else the name. */
export function withTellApart(choice: { name: string; tellApart: string | null }): string {
  return choice.tellApart ? `${choice.name} · ${choice.tellApart}` : choice.name;
}
