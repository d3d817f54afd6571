/**
 * What leaves the database layer when a query fails. Drizzle's `DrizzleQueryError` puts the
 * statement's parameters in its message and properties, and PostgreSQL's own error repeats
 * values in its `detail` ("Key (document_number)=(1234567890) already exists", "Failing row
 * contains (…)") and, for bad input, in its message ("invalid input syntax for type uuid:
 * "…""). Any of them printed is patient data in the server's log. So every failed query is
 * rethrown as a DatabaseError that keeps what code needs (the SQLSTATE `code`, `severity`,
 * `constraint_name`, `table_name`, `column_name`; lib/errors `postgresErrorOf` still finds
 * them) and never a value.
 */
export class DatabaseError extends Error {
  override name = "DatabaseError";
  declare readonly code?: string;
  declare readonly severity?: string;
  declare readonly constraint_name?: string;
  declare readonly table_name?: string;
  declare readonly column_name?: string;
  declare readonly schema_name?: string;
  declare readonly data_type_name?: string;
  declare readonly routine?: string;

  constructor(message: string, fields: Partial<Pick<DatabaseError, "code" | "severity" | "constraint_name" | "table_name" | "column_name" | "schema_name" | "data_type_name" | "routine">> = {}) {
    super(message);
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
  }
}

/**
 * SQLSTATE classes whose server messages name only objects of the schema (tables, columns,
 * constraints, types), never a value: their message is kept. Others, such as 22 (data
 * exception: "invalid input syntax for type inet: "…"") or P0 (raised by a function), are not.
 */
const MESSAGE_KEPT_FOR_CLASSES = new Set(["08", "0A", "23", "25", "28", "2D", "3D", "3F", "40", "42", "53", "54", "55", "57", "58"]);

/** Names for the codes whose message is dropped, so the log still says what happened. */
const CONDITION_NAMES: Record<string, string> = {
  "22001": "string_data_right_truncation",
  "22003": "numeric_value_out_of_range",
  "22007": "invalid_datetime_format",
  "22008": "datetime_field_overflow",
  "22012": "division_by_zero",
  "22021": "character_not_in_repertoire",
  "22023": "invalid_parameter_value",
  "22P02": "invalid_text_representation",
  "22P05": "untranslatable_character",
  P0001: "raise_exception",
};

type PostgresFields = { code: string; severity?: unknown; message?: unknown } & Record<string, unknown>;

function postgresFieldsOf(error: unknown): PostgresFields | undefined {
  let current = error;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const candidate = current as { code?: unknown; severity?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && candidate.severity !== undefined) return candidate as PostgresFields;
    current = candidate.cause;
  }
  return undefined;
}

/** Drizzle's wrapper (its message and `params` hold the values) taken off: what the driver threw. */
function driverErrorOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && "params" in current && current.cause !== undefined; depth++) current = current.cause;
  return current;
}

/** postgres.js's own connection errors (CONNECTION_CLOSED, CONNECT_TIMEOUT, …) and the system's (ECONNREFUSED) name the server at most. */
const CONNECTION_CODE = /^(CONNECTION_[A-Z_]+|CONNECT_TIMEOUT|E[A-Z]+)$/;

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * Any error from running a query, as a DatabaseError without parameter values. With `frames`,
 * the new error takes the original's stack frames (code locations only, never its message):
 * for errors settled from a socket callback, whose own stack would show nothing of the caller.
 */
export function toDatabaseError(error: unknown, options: { frames?: boolean } = {}): DatabaseError {
  const driver = driverErrorOf(error);
  if (driver instanceof DatabaseError) return driver;
  const made = describe(error, driver);
  const original = driver instanceof Error ? driver.stack : undefined;
  if (options.frames && original) {
    const at = original.indexOf("\n    at ");
    if (at >= 0) made.stack = `${made.name}: ${made.message}${original.slice(at)}`;
  }
  return made;
}

function describe(error: unknown, driver: unknown): DatabaseError {
  const pg = postgresFieldsOf(error);
  if (pg) {
    const fields = {
      code: pg.code,
      severity: text(pg.severity),
      constraint_name: text(pg.constraint_name),
      table_name: text(pg.table_name),
      column_name: text(pg.column_name),
      schema_name: text(pg.schema_name),
      data_type_name: text(pg.data_type_name),
      routine: text(pg.routine),
    };
    const said = MESSAGE_KEPT_FOR_CLASSES.has(pg.code.slice(0, 2)) ? text(pg.message) : CONDITION_NAMES[pg.code];
    const where = [fields.table_name && `table ${fields.table_name}`, fields.column_name && `column ${fields.column_name}`, fields.constraint_name && `constraint ${fields.constraint_name}`]
      .filter(Boolean)
      .join(", ");
    return new DatabaseError(`Query failed: SQLSTATE ${pg.code}${said ? ` ${said}` : ""}${where ? ` (${where})` : ""}`, fields);
  }
  const code = typeof (driver as { code?: unknown })?.code === "string" ? (driver as { code: string }).code : undefined;
  // Any other message (a serializer's TypeError, …) may quote a value: only its kind is said.
  const said = driver instanceof Error ? (code && CONNECTION_CODE.test(code) ? driver.message : driver.name) : typeof driver;
  return new DatabaseError(`Query failed: ${said}${code ? ` (${code})` : ""}`, { code });
}
