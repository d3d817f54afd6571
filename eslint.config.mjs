import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "db/migrations/**", "next-env.d.ts", "test-results/**", "playwright-report/**", ".next-*/**", "reports/**"]),
  {
    // lib/ is the domain: it must not reach into the app or the UI.
    files: ["lib/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["@/app/*", "@/components/*"] }],
    },
  },
  {
    // components/ is the UI: it receives server actions as props and never reaches the
    // database or the modules that hold secrets (those also `import "server-only"`).
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", {
        paths: ["@/lib/config", "@/lib/crypto", "@/lib/staff"].map((name) => ({ name, allowTypeImports: true, message: "Server-only: it holds secrets or reaches the database." })),
        patterns: [
          { group: ["@/app/*"], message: "Components receive server actions and data as props from app/." },
          { group: ["@/db/*"], message: "Components never touch the database." },
          {
            group: ["@/lib/config/*", "@/lib/auth/*", "@/lib/staff/mailer", "@/lib/staff/passwords", "@/lib/livekit/token", "@/lib/webhooks/signing", "@/lib/jobs/*"],
            allowTypeImports: true,
            message: "Server-only: it holds secrets or reaches the database.",
          },
        ],
      }],
    },
  },
  {
    // db/ is below lib/. The exception is db/runtime.ts, the process's database boot: it
    // reads lib/config and seeds the demo clinic (lib/demo) on first start.
    files: ["db/**/*.ts"],
    ignores: ["**/*.test.ts", "db/runtime.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@/lib/*", "@/app/*", "@/components/*"], message: "db/ is below lib/: it must not import it." }] }],
    },
  },
  {
    // Tests drive the whole stack and read loosely typed JSON answers.
    files: ["**/*.test.ts", "test/**/*.ts", "e2e/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
]);
