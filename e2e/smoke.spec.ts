import { expect, test } from "@playwright/test";
import { demoAuthorization } from "./api";

test("the production build serves the home page in Chromium", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Telemed Portal" })).toBeVisible();
  await expect(page.getByRole("link", { name: "API reference" })).toHaveAttribute("href", "/docs/api");
});

test("the e2e server is ready, with the demo organization and a credential for the specs", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ready: true, checks: { database: { ok: true } } });

  // The seeded three, each found by name: other specs add providers of their own to the same
  // organization, and they may fill the first page.
  const seeded: { email: string; documentNumber: string }[] = [];
  for (const name of ["Dra. Ana Martínez", "Dr. Juan Pérez", "Ps. Laura Gómez Ríos"]) {
    const providers = await request.get(`/api/providers?name=${encodeURIComponent(name)}&limit=100`, { headers: demoAuthorization() });
    expect(providers.status(), await providers.text()).toBe(200);
    seeded.push(...(await providers.json()).data.filter((p: { email: string }) => p.email.endsWith("@demo-clinic.example")));
  }
  expect(seeded.map((p: { documentNumber: string }) => p.documentNumber).sort()).toEqual(["1234567890", "5566778899", "9876543210"]);

  const unauthenticated = await request.get("/api/providers");
  expect(unauthenticated.status()).toBe(401);
});
