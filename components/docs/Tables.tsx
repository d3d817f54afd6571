import { Fragment } from "react";
import type { FieldRow, ParameterRow } from "@/lib/openapi/reference-fields";
import styles from "./tables.module.css";
import { Inline } from "./Prose";

/**
 * A table in a box that scrolls sideways on its own when it is wider than the screen.
 * A `compact` table instead folds its type and required columns into the first one on
 * phones, so it fits without scrolling.
 */
export function TableBox({
  label,
  children,
  minWidth,
  compact = false,
}: {
  label: string;
  children: React.ReactNode;
  minWidth?: string;
  compact?: boolean;
}) {
  return (
    <div className={styles.tableBox} role="region" aria-label={label} tabIndex={0}>
      <table className={`${styles.table} ${compact ? styles.compact : ""}`} style={minWidth ? { minWidth } : undefined}>
        <caption className={styles.srOnly}>{label}</caption>
        {children}
      </table>
    </div>
  );
}

function Rules({ rules, description }: { rules: string[]; description?: string }) {
  return (
    <div className={styles.wideCell}>
      {description ? (
        <p className={styles.cellText}>
          <Inline text={description} />
        </p>
      ) : null}
      {rules.length > 0 ? (
        <ul className={styles.rules}>
          {rules.map((rule) => (
            <li key={rule}>
              <Inline text={rule} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const REQUIRED_LABEL = { yes: "Required", no: "Optional", conditional: "Conditional" } as const;
type Required = keyof typeof REQUIRED_LABEL;

function RequiredMark({ required }: { required: Required }) {
  return (
    <span className={styles.required} data-required={required}>
      {REQUIRED_LABEL[required]}
    </span>
  );
}

/** Type and required-ness under the name, shown only where those columns are folded away. */
function NarrowMeta({ type, required, place }: { type: string; required: Required; place?: string }) {
  return (
    <span className={styles.narrowMeta}>
      {place ? `${place}, ` : ""}
      <span className={styles.metaType}>{type}</span>, <RequiredMark required={required} />
    </span>
  );
}

/** A dotted path whose parents are muted and may wrap after each dot. */
function FieldPath({ path }: { path: string }) {
  const cut = path.lastIndexOf(".") + 1;
  return (
    <code>
      {cut > 0 ? (
        <span className={styles.parent}>
          {path
            .slice(0, cut)
            .split(".")
            .filter(Boolean)
            .map((part, index) => (
              <Fragment key={index}>
                {part}.<wbr />
              </Fragment>
            ))}
        </span>
      ) : null}
      <CamelBreaks name={path.slice(cut)} />
    </code>
  );
}

/** A camelCase name that may wrap before each capital (where the cell allows wrapping). */
function CamelBreaks({ name }: { name: string }) {
  return name.split(/(?=[A-Z])/).map((part, index) => (
    <Fragment key={index}>
      {index > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

/** Field, type, required, rules: one row per (nested) field. */
export function FieldTable({ rows, label }: { rows: FieldRow[]; label: string }) {
  return (
    <TableBox label={label} compact>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col" className={styles.wideOnly}>
            Type
          </th>
          <th scope="col" className={styles.wideOnly}>
            Required
          </th>
          <th scope="col">Rules and description</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path}>
            <th scope="row" className={styles.fieldName} style={{ paddingInlineStart: `${0.75 + row.depth * 0.9}rem` }}>
              <FieldPath path={row.path} />
              <NarrowMeta type={row.type} required={row.required} />
            </th>
            <td className={`${styles.type} ${styles.wideOnly}`}>{row.type}</td>
            <td className={styles.wideOnly}>
              <RequiredMark required={row.required} />
            </td>
            <td>
              <Rules rules={row.rules} description={row.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </TableBox>
  );
}

export function ParameterTable({ rows, label }: { rows: ParameterRow[]; label: string }) {
  return (
    <TableBox label={label} compact>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" className={styles.wideOnly}>
            In
          </th>
          <th scope="col" className={styles.wideOnly}>
            Type
          </th>
          <th scope="col" className={styles.wideOnly}>
            Required
          </th>
          <th scope="col">Rules and description</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const required: Required = row.required ? "yes" : "no";
          return (
            <tr key={`${row.in}:${row.name}`}>
              <th scope="row" className={styles.fieldName}>
                <code>
                  <CamelBreaks name={row.name} />
                </code>
                <NarrowMeta type={row.type} required={required} place={row.in} />
              </th>
              <td className={styles.wideOnly}>{row.in}</td>
              <td className={`${styles.type} ${styles.wideOnly}`}>{row.type}</td>
              <td className={styles.wideOnly}>
                <RequiredMark required={required} />
              </td>
              <td>
                <Rules rules={row.rules} description={row.description} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </TableBox>
  );
}
