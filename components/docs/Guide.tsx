import { MINIMUM_NOTICE_MINUTES } from "@/lib/consultations/schema";
import { errorCatalog, operationsOf, type ReferenceOperation } from "@/lib/openapi/reference";
import { curlExample, formatJson } from "@/lib/openapi/reference-curl";
import { fieldRows, jsonContent, resolveHeader } from "@/lib/openapi/reference-fields";
import type { OpenApiDocument, ParameterObject } from "@/lib/openapi/types";
import { CodeBlock } from "./CodeBlock";
import styles from "./docs.module.css";
import { Inline } from "./Prose";
import { FieldTable, TableBox } from "./Tables";
import tables from "./tables.module.css";

/** The guide's sections, in page order (the table of contents lists them too). */
export 
const GUIDE = [
  { id: "overview", title: "Overview" },
  { id: "authentication", title: "Authentication" },
  { id: "envelopes", title: "Responses and envelopes" },
  { id: "errors", title: "Errors" },
  { id: "rate-limits", title: "Rate limits" },
  { id: "idempotency", title: "Idempotency" },
  { id: "times", title: "Times and timezones" },
] as const;

/** The guide before the endpoints: what holds for every call, with examples taken from the document. */
export function Guide({ doc }: { doc: OpenApiDocument }) {
  const server = doc.servers[0]?.url ?? "";
  const operations = operationsOf(doc);
  const byId = (id: string): ReferenceOperation => {
    const found = operations.find((op) => op.id === id);
    if (!found) throw new Error(`No operation ${id} in the document`);
    return found;
  };
  const exampleOf = (id: string, status: string, key?: string) => {
    const examples = jsonContent(byId(id).operation.responses[status])?.examples ?? {};
    return (key ? examples[key] : Object.values(examples)[0])?.value;
  };
  const { securitySchemes: schemes, headers } = doc.components;
  const header = (name: string) => {
    const found = headers[name];
    return found ? resolveHeader(doc, found).description : undefined;
  };
  const idempotencyKey = doc.components.parameters.IdempotencyKey as ParameterObject;
  const profile = byId("getOrganizationProfile");
  const create = byId("createConsultation");
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  return (
    <>
    <section aria-labelledby="overview" className={styles.section}>
      <h2 id="overview">Overview</h2>
      <p>
        Create a video consultation with one call: the answer carries a 6-digit PIN and one join link each for the patient and
        the provider, who open it in any browser. Requests and answers are JSON in UTF-8.
      </p>
      <dl className={styles.facts}>
        <dt>Base URL</dt>
        <dd>
          <code>{server}</code> (every path below starts with <code>/api</code>)
        </dd>
        <dt>Version</dt>
        <dd>
          <code>{doc.info.version}</code>, echoed in <code>metadata.version</code>
        </dd>
        <dt>OpenAPI</dt>
        <dd>
          <a href="/api/openapi.json">
            <code>/api/openapi.json</code>
          </a>{" "}
          (OpenAPI {doc.openapi}, generated from the same schemas the server validates with)
        </dd>
      </dl>
    </section>

    <section aria-labelledby="authentication" className={styles.section}>
      <h2 id="authentication">Authentication</h2>
      <p>
        Every endpoint except <code>GET /api/health</code>, <code>GET /api/openapi.json</code> and the files served by their
        address (a chat file&apos;s signed URL, <code>GET /api/backgrounds/{"{alias}"}</code>) needs one of your
        organization&apos;s API credentials: a key id (<code>tk_…</code>) and a secret (<code>tks_…</code>, shown only once,
        when the credential is issued). Send it in any of three styles:
      </p>
      <TableBox label="Ways to send the credential">
        <thead>
          <tr>
            <th scope="col">Style</th>
            <th scope="col">Headers</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Two headers</th>
            <td>
              <code>{schemes.ApiKey && "name" in schemes.ApiKey ? schemes.ApiKey.name : "X-API-Key"}: &lt;keyId&gt;</code>
              <br />
              <code>{schemes.ApiSecret && "name" in schemes.ApiSecret ? schemes.ApiSecret.name : "X-API-Secret"}: &lt;secret&gt;</code>
            </td>
            <td>Send both; one without the other is refused.</td>
          </tr>
          <tr>
            <th scope="row">Bearer token</th>
            <td>
              <code>Authorization: Bearer &lt;keyId&gt;.&lt;secret&gt;</code>
            </td>
            <td>
              <Inline text={schemes.BearerAuth?.description ?? ""} />
            </td>
          </tr>
          <tr>
            <th scope="row">apikey header</th>
            <td>
              <code>apikey: &lt;keyId&gt;.&lt;secret&gt;</code>
            </td>
            <td>
              <Inline text={schemes.ContractApiKey?.description ?? ""} />
            </td>
          </tr>
        </tbody>
      </TableBox>
      <h3>Example</h3>
      <p>With the credential in the shell variables <code>KEY_ID</code> and <code>KEY_SECRET</code>:</p>
      <CodeBlock code={curlExample(doc, profile, { auth: "headers" })} label="curl with X-API-Key and X-API-Secret" language="shell" />
      <CodeBlock code={curlExample(doc, profile, { auth: "bearer" })} label="curl with a bearer token" language="shell" />
      <p>
        No credential is <code>401 missing_credentials</code>; a wrong, revoked or malformed one is{" "}
        <code>401 invalid_credentials</code>. Both carry <code>WWW-Authenticate: Bearer realm=&quot;api&quot;</code>. Keep
        secrets on your server: never put them in a browser or an app.
      </p>
    </section>

    <section aria-labelledby="envelopes" className={styles.section}>
      <h2 id="envelopes">Responses and envelopes</h2>
      <p>
        Every answer except <code>/api/health</code> and <code>/api/openapi.json</code> is wrapped in an envelope. A success
        has <code>success: true</code>, the result in <code>data</code>, and <code>metadata</code>:
      </p>
      <CodeBlock code={formatJson(exampleOf("getOrganizationProfile", "200"))} label="Success envelope example" />
      <FieldTable rows={fieldRows(doc, ref("Metadata"), "metadata.")} label="Fields of metadata" />
      <p>
        Lists (<code>GET /api/consultations</code>, <code>GET /api/providers</code>) put an array in <code>data</code> and add{" "}
        <code>pagination</code>. While <code>hasMore</code> is true, repeat the request with the same filters and{" "}
        <code>cursor</code> set to <code>nextCursor</code>.
      </p>
      <FieldTable rows={fieldRows(doc, ref("Pagination"), "pagination.")} label="Fields of pagination" />
      <p>
        An error has <code>success: false</code> and an <code>error</code> with a stable <code>code</code> to branch on, a
        human-readable <code>message</code> and, when specific fields are at fault, <code>details</code> with one entry per
        problem:
      </p>
      <CodeBlock code={formatJson(exampleOf("createConsultation", "400", "validation_error"))} label="Error envelope example" />
      <FieldTable rows={fieldRows(doc, ref("ErrorResponse"))} label="Fields of the error envelope" />
      <p>
        Every answer also has an <code>X-Request-Id</code> header, the same as <code>metadata.requestId</code>: quote it when you
        ask for support.
      </p>
    </section>

    <section aria-labelledby="errors" className={styles.section}>
      <h2 id="errors">Errors</h2>
      <p>
        Branch on <code>error.code</code>, not on the message. Validation errors report every invalid field at once, each with its
        dotted path (<code>provider.phone</code>) in <code>details[].field</code>.
      </p>
      <TableBox label="Error codes">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Code</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {errorCatalog(doc).map((error) => (
            <tr key={error.code}>
              <td>
                <span className={tables.status}>{error.status}</span>
              </td>
              <th scope="row" className={tables.fieldName}>
                <code>{error.code}</code>
              </th>
              <td>
                <div className={tables.wideCell}>
                  <Inline text={error.meaning ?? ""} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </section>

    <section aria-labelledby="rate-limits" className={styles.section}>
      <h2 id="rate-limits">Rate limits</h2>
      <p>
        Each credential may make a set number of requests per hour (see <code>settings.rateLimitPerHour</code> in{" "}
        <a href={`#op-${profile.id}`}>the organization profile</a>). Only authenticated requests count. Every authenticated answer
        says where you stand; past the limit the answer is <code>429 rate_limited</code> until the next hour.
      </p>
      <TableBox label="Rate limit headers">
        <thead>
          <tr>
            <th scope="col">Header</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"].map((name) => (
            <tr key={name}>
              <th scope="row" className={tables.fieldName}>
                <code>{name}</code>
              </th>
              <td>
                <Inline text={`${header(name) ?? ""}${name === "Retry-After" ? " Sent with a 429." : ""}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </TableBox>
    </section>

    <section aria-labelledby="idempotency" className={styles.section}>
      <h2 id="idempotency">Idempotency</h2>
      <p>
        A network failure can leave you not knowing whether <a href={`#op-${create.id}`}>a consultation was created</a>. Send an{" "}
        <code>{idempotencyKey.name}</code> header with <code>POST /api/consultations</code> and simply retry with the same key:
      </p>
      <p>
        <Inline text={idempotencyKey.description ?? ""} />
      </p>
      <p>
        <code>Idempotent-Replayed</code>: <Inline text={header("Idempotent-Replayed") ?? ""} />
      </p>
    </section>

    <section aria-labelledby="times" className={styles.section}>
      <h2 id="times">Times and timezones</h2>
      <ul>
        <li>
          Times in requests and answers are <code>yyyy-MM-dd HH:mm</code> wall-clock times in your organization&apos;s IANA
          timezone (<code>timezone</code> in <a href={`#op-${profile.id}`}>the organization profile</a>, e.g.{" "}
          <code>America/Bogota</code>), with no offset. Only <code>metadata.timestamp</code> is ISO 8601 in UTC.
        </li>
        <li>
          A scheduled consultation&apos;s <code>scheduledAt</code> must be at least {MINIMUM_NOTICE_MINUTES} minutes in the
          future (<code>insufficient_notice</code> otherwise). A time that does not exist because of a daylight-saving change is
          refused.
        </li>
        <li>
          Leave <code>scheduledAt</code> out for an immediate consultation: it has <code>immediate: true</code> and its{" "}
          <code>scheduledAt</code> is the time it was created.
        </li>
        <li>
          A consultation lasts from <code>scheduledAt</code> to <code>expiredAt</code> (start plus <code>durationMinutes</code>).
          One that overlaps a live (<code>Pending</code> or <code>InProgress</code>) consultation of the same provider or the same
          patient is refused with <code>409 schedule_conflict</code>.
        </li>
      </ul>
    </section>
    </>
  );
}
