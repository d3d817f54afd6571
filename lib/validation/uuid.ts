const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from paths and cursors are checked before a query: a uuid column refuses other text with an error, not "not found". */
export function isUuid(value: string | undefined): value is string {
  return value !== undefined && UUID.test(value);
}
