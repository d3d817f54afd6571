import Link from "next/link";

export default function Forbidden() {
  return (
    <main>
      <h1>You don&apos;t have access to this page</h1>
      <p>Your role does not include it. If you need it, ask your clinic&apos;s admin.</p>
      <p>
        <Link href="/dashboard">Back to the dashboard</Link>
      </p>
    </main>
  );
}
