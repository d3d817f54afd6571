import { sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import { isSealed, type Sealer } from "@/lib/crypto";

/** A text column an older version wrote in plain text, and the key that names its rows. */
export type PlainColumn = { table: PgTable; column: PgColumn; key: PgColumn[] };

/**
 * Seals the values of `column` still in plain text (JSON: they start with `{`), walking the
 * table in key order in batches. Only rows still plain are written: another instance may be
 * sealing them at the same time. Returns how many it sealed.
 */
export async function sealPlainColumn(db: Database, sealer: Sealer, { table, column, key }: PlainColumn, batch = 500): Promise<number> {
  const value = sql.identifier(column.name);
  const keys = sql.join(
    key.map((k) => sql.identifier(k.name)),
    sql`, `,
  );
  let sealed = 0;
  let after: string[] | undefined;
  for (;;) {
    const bound = after && sql.join(after.map((v, i) => sql`${v}::${sql.raw(key[i]!.getSQLType())}`), sql`, `);
    const rows = await db.execute<Record<string, string>>(sql`
      select ${keys}, ${value} as plain_value from ${table}
      where ${value} like '{%' ${bound ? sql`and (${keys}) > (${bound})` : sql``}
      order by ${keys} limit ${batch}`);
    const plain = rows.filter((r) => !isSealed(r.plain_value!));
    if (plain.length > 0) {
      const values = plain.map((r) => ({ ...Object.fromEntries(key.map((k) => [k.name, r[k.name]])), plain_value: sealer.seal(r.plain_value!) }));
      const record = sql.join([...key.map((k) => sql`${sql.identifier(k.name)} ${sql.raw(k.getSQLType())}`), sql`plain_value text`], sql`, `);
      const sameRow = sql.join(
        key.map((k) => sql`t.${sql.identifier(k.name)} = v.${sql.identifier(k.name)}`),
        sql` and `,
      );
      await db.execute(sql`
        update ${table} t set ${value} = v.plain_value
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(${record})
        where ${sameRow} and t.${value} like '{%'`);
      sealed += plain.length;
    }
    if (rows.length < batch) return sealed;
    const last = rows.at(-1)!;
    after = key.map((k) => last[k.name]!);
  }
}
