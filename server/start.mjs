// `npm start`: runs server/main.ts on Node with TypeScript (tsx), as `npm run worker` does.
// `server-only` resolves to its no-op here, as under Next.js's server build: the API's modules
// import it, and this process is the server. No other package changes condition: Next.js runs
// in this process too, and loads its own builds as `next start` would.
import { registerHooks } from "node:module";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

registerHooks({
  resolve: (specifier, context, next) =>
    next(specifier, specifier === "server-only" ? { ...context, conditions: [...context.conditions, "react-server"] } : context),
});
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) }); // whatever the working directory
await import("./main.ts");
