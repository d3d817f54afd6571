import { describe, expect, it } from "vitest";
import { allowedParentOrigin, frameAncestors } from "./outputs";

describe("embedding outputs", () => {
  const allowed = ["https://clinic.example", "https://portal.clinic.example:8443"];

  it("posts only to an allowed embedding origin, exactly as the browser names it", () => {
    expect(allowedParentOrigin(allowed, "https://clinic.example")).toBe("https://clinic.example");
    expect(allowedParentOrigin(allowed, "https://portal.clinic.example:8443")).toBe("https://portal.clinic.example:8443");
    expect(allowedParentOrigin(allowed, "http://clinic.example")).toBeNull();
    expect(allowedParentOrigin(allowed, "https://evil.example")).toBeNull();
    expect(allowedParentOrigin(allowed, "https://clinic.example.evil.example")).toBeNull();
    expect(allowedParentOrigin(allowed, "null")).toBeNull();
    expect(allowedParentOrigin(allowed, null)).toBeNull();
    expect(allowedParentOrigin([], "https://clinic.example")).toBeNull();
  });

  it("lets only the app itself and the allowed origins frame the join pages", () => {
    expect(frameAncestors([])).toBe("'self'");
    expect(frameAncestors(allowed)).toBe("'self' https://clinic.example https://portal.clinic.example:8443");
  });
});
