/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded default). */
import { runtime } from "@/db/runtime";

const { stop } = await runtime(); // migrates on the way up
console.log("Migrations applied.");
await stop();
