import { Fragment } from "react";
import type { operationsByTag } from "@/lib/openapi/reference";
import styles from "./docs.module.css";
import { GUIDE } from "./Guide";
import { MethodBadge } from "./Operation";


/** A path that may break after each slash on a narrow screen. */
function BreakablePath({ path }: { path: string }) {
  const parts = path.split("/");
  return parts.map((part, index) => (
    <Fragment key={index}>
      {part}
      {index < parts.length - 1 ? (
        <>
          /<wbr />
        </>
      ) : null}
    </Fragment>
  ));
}

export function Contents({ groups }: { groups: ReturnType<typeof operationsByTag> }) {
  return (
    <>
      <p className={styles.tocGroup}>Guide</p>
      <ol className={styles.tocList}>
        {GUIDE.map((item) => (
          <li key={item.id}>
            <a href={`#${item.id}`}>{item.title}</a>
          </li>
        ))}
      </ol>
      {groups.map((group) => (
        <Fragment key={group.tag}>
          <p className={styles.tocGroup}>{group.tag}</p>
          <ol className={styles.tocList}>
            {group.operations.map((op) => (
              <li key={op.id}>
                <a href={`#op-${op.id}`} className={styles.tocOperation}>
                  <MethodBadge method={op.method} />
                  <span className={styles.tocPath}>
                    <BreakablePath path={op.path} />
                  </span>
                </a>
              </li>
            ))}
          </ol>
        </Fragment>
      ))}
    </>
  );
}
