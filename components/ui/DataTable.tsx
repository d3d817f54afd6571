"use client";

import { tableFeatures, useTable, type ColumnDef, type RowData } from "@tanstack/react-table";
import Link from "next/link";
import styles from "./ui.module.css";

/**
 * Every dashboard table: rows come sorted and paged by the server, so no client row models.
 *
 * A column's `cell` is a render function, called here (it must not call hooks; it renders
 * components that do). TanStack's FlexRender would mount it as a component, so a column rebuilt
 * with new props (the page's server actions after a live refresh) would remount every cell and
 * drop what an open row shows: its links, a PIN just revealed.
 */
export const serverTableFeatures = tableFeatures({});
export type TableColumn<Row extends RowData> = ColumnDef<typeof serverTableFeatures, Row>;

export type TableSorting = {
  /** The column ids that can be sorted, each with the link that sorts by it (the next direction). */
  links: Record<string, string>;
  column: string;
  direction: "asc" | "desc";
};

export function DataTable<Row extends RowData>({
  caption,
  columns,
  rows,
  rowId,
  sorting,
  empty,
}: {
  caption: string;
  columns: TableColumn<Row>[];
  rows: Row[];
  rowId: (row: Row) => string;
  sorting?: TableSorting;
  empty: React.ReactNode;
}) {
  const table = useTable({ features: serverTableFeatures, columns, data: rows, getRowId: (row) => rowId(row) });
  return (
    <div className={styles.tableWrap} role="region" aria-label={caption} tabIndex={0}>
      <table className={styles.table}>
        <caption className={styles.visuallyHidden}>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sortLink = sorting?.links[header.column.id];
                const sorted = sorting?.column === header.column.id ? sorting.direction : undefined;
                return (
                  <th key={header.id} scope="col" aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}>
                    {sortLink ? (
                      <Link href={sortLink} className={styles.sortLink}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true" className={styles.sortMark}>
                          {sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}
                        </span>
                      </Link>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className={styles.empty}>
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <tr key={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} data-label={typeof cell.column.columnDef.header === "string" ? cell.column.columnDef.header : undefined}>
                    {typeof cell.column.columnDef.cell === "function" ? cell.column.columnDef.cell(cell.getContext()) : <table.FlexRender cell={cell} />}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
