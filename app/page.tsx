import Link from "next/link";

export default function Home() {
  return (
    <main>
      <h1>Telemed Portal</h1>
      <p>
        Create a consultation with one API call; the patient and the doctor open their links in any browser and see and
        hear each other in seconds.
      </p>
      <ul>
        <li>
          <Link href="/docs/api">API reference</Link>
        </li>
        <li>
          <a href="/api/openapi.json">OpenAPI document</a>
        </li>
      </ul>
    </main>
  );
}
