import Link from "next/link";
import { operationsByTag } from "@/lib/openapi/reference";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { Contents } from "./Contents";
import styles from "./docs.module.css";
import { Guide } from "./Guide";
import { Operation } from "./Operation";

/** The readable API reference, rendered on the server from the OpenAPI document. */
export function ApiReference({ doc }: { doc: OpenApiDocument }) {
  const groups = operationsByTag(doc);


  return (
    <div className={styles.page}>
      <a href="#content" className={styles.skipLink}>
        Skip to content
      </a>
      <header className={styles.header}>
        <div className={styles.headerInner}>
          <p className={styles.kicker}>
            <Link href="/">Telemed Portal</Link> · API {doc.info.version} · OpenAPI {doc.openapi}
          </p>
          <h1 className={styles.title}>{doc.info.title}</h1>
          {doc.info.summary ? <p className={styles.lead}>{doc.info.summary}</p> : null}
          <p className={styles.headerLinks}>
            Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>
          </p>
        </div>
      </header>

      <div className={styles.layout}>
        {/* A sidebar on wide screens; a menu that opens above the content on phones. Only one is displayed. */}
        <nav className={styles.tocSide} aria-labelledby="toc-title">
          <h2 id="toc-title" className={styles.tocTitle}>
            On this page
          </h2>
          <Contents groups={groups} />
        </nav>
        <details className={styles.tocMenu}>
          <summary>On this page</summary>
          <nav aria-label="On this page">
            <Contents groups={groups} />
          </nav>
        </details>

        <main id="content" className={styles.main} tabIndex={-1}>
          <Guide doc={doc} />

          {groups.map((group) => (
            <section key={group.tag} aria-labelledby={`tag-${group.tag}`} className={styles.section}>
              <h2 id={`tag-${group.tag}`}>{group.tag}</h2>
              {group.description ? <p className={styles.muted}>{group.description}</p> : null}
              {group.operations.map((op) => (
                <Operation key={op.id} doc={doc} op={op} />
              ))}
            </section>
          ))}
        </main>
      </div>
    </div>
  );
}
