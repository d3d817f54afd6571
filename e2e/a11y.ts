import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/**
 * A page as people meet it: no serious or critical accessibility violation, nothing wider than
 * the screen, and a screenshot in <output dir>/screens/ for people to look at.
 */
export async function checkPage(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  // Next.js streams a page's <title> after its content, and sets it a moment after a client-side
  // navigation (a sign-in's redirect): judge the page once it has arrived, as people get it. A
  // title that never comes still fails below (axe's document-title).
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5_000 }).catch(() => {});
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual([]);
  // How far the page scrolls sideways, and the innermost elements that stick out (named, so a failure says what to mend).
  const { overflow, widest } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > width + 0.5);
    const innermost = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? ` class="${el.className}"` : ""}> "${(el.textContent ?? "").trim().slice(0, 60)}"`;
    return { overflow: document.documentElement.scrollWidth - width, widest: innermost.slice(0, 3).map(describe) };
  });
  expect(overflow, `${name} is wider than the screen: ${widest.join(", ")}`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens/${name}.png`, fullPage: options.fullPage ?? false });
}
