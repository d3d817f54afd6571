import { AppError } from "@/lib/errors";
import { publicRoute } from "@/lib/http/route";

// Unknown API paths answer in the same envelope as every other error.
const notFound = publicRoute(async ({ request }) => {
  throw new AppError("not_found", `No API route matches ${request.method} ${new URL(request.url).pathname}.`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
