/** The CLI's flags: parsing them into messages that name the flag, and printing answers. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Database } from "@/db/client";
import { isStorable, UNSTORABLE_MESSAGE } from "@/lib/validation/text";

/** Bad input: printed as one line naming the flag, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Values = Record<string, string | boolean | undefined>;

export type Command = {
  summary: string;
  usage: string;
  options: Options;
  /** Checks the flags before any database work; returns what `run` needs. */
  validate: (values: Values) => unknown;
  run: (db: Database, input: never) => Promise<void>;
};

export function print(text: string): void {
  process.stdout.write(text + "\n");
}

export function requiredString(values: Values, flag: string, what: string): string {
  const value = values[flag];
  if (typeof value !== "string" || !value.trim()) throw new UsageError(`--${flag} is required (${what})`);
  return value.trim();
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Turns node:util parseArgs' messages into ones that name the flag. */
export function parseFlags(name: string, command: Command, args: string[]): Values {
  try {
    const { values } = parseArgs({ args, options: { ...command.options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false });
    // What PostgreSQL cannot store (a NUL, an unpaired surrogate) is bad input for any flag, not a database error.
    for (const [flag, value] of Object.entries(values)) {
      if (typeof value === "string" && !isStorable(value)) throw new UsageError(`--${flag} ${UNSTORABLE_MESSAGE}`);
    }
    return values as Values;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    const known = Object.keys(command.options).map((o) => `--${o}`).join(", ") || "none";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown flag ${flag ?? message} for ${name} (its flags: ${known})`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`${flag ?? "a flag"} needs a value`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new UsageError(`unexpected argument ${JSON.stringify(/'([^']*)'/.exec(message)?.[1] ?? "")} for ${name} (flags take the form --flag value)`);
    throw new UsageError(message);
  }
}
