import { responsesOf, type ReferenceOperation } from "@/lib/openapi/reference";
import { curlExample, formatJson } from "@/lib/openapi/reference-curl";
import { fieldRows, jsonContent, parameterRows } from "@/lib/openapi/reference-fields";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { CodeBlock } from "./CodeBlock";
import docs from "./docs.module.css";
import styles from "./operation.module.css";
import { Inline, Prose } from "./Prose";
import { FieldTable, ParameterTable, TableBox } from "./Tables";
import tables from "./tables.module.css";

const BODY_FILE = "request.json";

export function MethodBadge({ method }: { method: string }) {
  return (
    <span className={styles.method} data-method={method}>
      {method.toUpperCase()}
    </span>
  );
}

/** One endpoint: what it does, what it takes, what it answers, with examples. */
export function Operation({ doc, op }: { doc: OpenApiDocument; op: ReferenceOperation }) {
  const name = `${op.method.toUpperCase()} ${op.path}`;
  const headingId = `op-${op.id}`;
  const parameters = parameterRows(doc, op.operation);
  const body = jsonContent(op.operation.requestBody);
  const responses = responsesOf(doc, op.operation);
  const bodyDescription = body ? resolveDescription(doc, body.schema) : "";
  // Error envelopes are summarised by code; any other answer (a 200, the health check's 503) is shown in full.
  const bodies = responses.filter((response) => response.codes.length === 0 && (response.fields.length > 0 || response.examples.length > 0));
  const errors = responses
    .filter((response) => response.codes.length > 0)
    .flatMap((response) => response.examples.map(([key, example]) => ({ status: response.status, key, value: example.value })));

  return (
    <section className={styles.operation} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.operationTitle}>
        {op.operation.summary}
      </h3>
      <p className={styles.endpoint}>
        <MethodBadge method={op.method} /> <code>{op.path}</code>
      </p>
      <p className={styles.access}>
        {op.isPublic
          ? "Public: no credential needed."
          : op.isParticipant
            ? "Needs the participant session cookie a right PIN sets (see Enter the PIN at a join link)."
            : "Needs an API credential (either header style; see Authentication)."}
      </p>
      <Prose text={op.operation.description} className={styles.prose} />

      {parameters.length > 0 ? (
        <>
          <h4>Parameters</h4>
          <ParameterTable rows={parameters} label={`Parameters of ${name}`} />
        </>
      ) : null}

      {body ? (
        <>
          <h4>Request body</h4>
          <p>
            JSON (<code>Content-Type: application/json</code>){op.operation.requestBody?.required ? ", required" : ""}.{" "}
            {bodyDescription ? <Inline text={bodyDescription} /> : null}
          </p>
          <FieldTable rows={fieldRows(doc, body.schema)} label={`Request body fields of ${name}`} />
          {Object.entries(body.examples ?? {}).map(([key, example]) => (
            <div key={key} className={styles.example}>
              <h5>Example: {example.summary ?? key}</h5>
              {example.description ? (
                <p>
                  <Inline text={example.description} />
                </p>
              ) : null}
              <CodeBlock code={formatJson(example.value)} label={`Request example for ${name}: ${example.summary ?? key}`} />
            </div>
          ))}
        </>
      ) : null}

      <h4>Example request</h4>
      {body ? (
        <p>
          With one of the examples above saved as <code>{BODY_FILE}</code>:
        </p>
      ) : null}
      <CodeBlock code={curlExample(doc, op, { bodyFile: body ? BODY_FILE : undefined })} label={`curl example for ${name}`} language="shell" />

      <h4>Responses</h4>
      <TableBox label={`Responses of ${name}`} minWidth="44rem">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Meaning</th>
            <th scope="col">Error codes</th>
            <th scope="col">Headers</th>
          </tr>
        </thead>
        <tbody>
          {responses.map((response) => (
            <tr key={response.status}>
              <th scope="row">
                <span className={tables.status} data-ok={response.status.startsWith("2")}>
                  {response.status}
                </span>
              </th>
              <td>
                <Inline text={response.description} />
              </td>
              <td>
                {response.codes.length > 0 ? (
                  <ul className={`${tables.codes} ${tables.wideCell}`}>
                    {response.codes.map(({ code, meaning }) => (
                      <li key={code}>
                        <code>{code}</code>
                        {meaning ? (
                          <>
                            {": "}
                            <Inline text={meaning} />
                          </>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className={docs.muted}>None</span>
                )}
              </td>
              <td>
                <ul className={tables.headerList}>
                  {response.headers.map((header) => (
                    <li key={header.name}>
                      <code>{header.name}</code>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>

      {bodies.map((response) => (
        <div key={response.status} className={styles.response}>
          <h5>
            {response.status} response{" "}
            <span className={docs.muted}>
              {response.enveloped ? (
                <>
                  ({response.list ? "each item of" : "fields of"} <code>data</code> in the success envelope)
                </>
              ) : (
                "(the bare body, no envelope)"
              )}
            </span>
          </h5>
          {response.fields.length > 0 ? (
            <FieldTable rows={response.fields} label={`${response.status} response fields of ${name}`} />
          ) : null}
          {response.examples.map(([key, example]) => (
            <details key={key} className={styles.details}>
              <summary>
                Example {response.status}: {example.summary ?? key}
              </summary>
              {example.description ? (
                <p>
                  <Inline text={example.description} />
                </p>
              ) : null}
              <CodeBlock code={formatJson(example.value)} label={`${response.status} example for ${name}: ${example.summary ?? key}`} />
            </details>
          ))}
        </div>
      ))}

      {errors.length > 0 ? (
        <details className={styles.details}>
          <summary>Error examples ({errors.length})</summary>
          {errors.map(({ status, key, value }) => (
            <div key={key} className={styles.example}>
              <p className={styles.exampleLabel}>
                <span className={tables.status}>{status}</span> <code>{key}</code>
              </p>
              <CodeBlock code={formatJson(value)} label={`${status} ${key} example for ${name}`} />
            </div>
          ))}
        </details>
      ) : null}
    </section>
  );
}

function resolveDescription(doc: OpenApiDocument, schema: { $ref?: string; description?: string }): string {
  if (schema.description) return schema.description;
  const name = schema.$ref?.slice(schema.$ref.lastIndexOf("/") + 1);
  return (name && doc.components.schemas[name]?.description) || "";
}
