/** For specs that call the e2e web server's API as the demo organization. */
export function demoAuthorization(): { authorization: string } {
  const bearer = process.env.E2E_API_BEARER;
  if (!bearer) throw new Error("E2E_API_BEARER is not set: the e2e web server (e2e/web-server.ts) announces it when ready");
  return { authorization: `Bearer ${bearer}` };
}
