/**
 * Runs in the browser before the app's own code (Next.js instrumentation-client).
 *
 * zod probes `new Function("")` the first time it builds an object schema, to compile fast
 * parsers. The pages' Content-Security-Policy allows no eval, so the probe fails (zod falls back
 * to its plain parser) and the browser reports a CSP violation on every call page. Telling zod
 * beforehand not to compile skips the probe: the same parsing, no violation. Only in the
 * browser: the server keeps its compiled parsers (this file never runs there).
 */
const zodConfig = ((globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig ??= {});
zodConfig.jitless = true;
export {};
