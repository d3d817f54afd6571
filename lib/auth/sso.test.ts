import { describe, expect, it } from "vitest";
import { ssoRefusal } from "./sso";

describe("who single sign-on lets in", () => {
  it("lets in active staff whose address the provider verified, or did not say either way", () => {
    expect(ssoRefusal({ active: true }, { email_verified: true })).toBeNull();
    expect(ssoRefusal({ active: true }, { email_verified: "true" })).toBeNull();
    // Microsoft Entra ID sends no email_verified at all.
    expect(ssoRefusal({ active: true }, {})).toBeNull();
    expect(ssoRefusal({ active: true }, undefined)).toBeNull();
  });

  it("refuses people who are not staff, deactivated staff, and addresses the provider calls unverified", () => {
    expect(ssoRefusal(undefined, { email_verified: true })).toBe("not_staff");
    expect(ssoRefusal({ active: false }, { email_verified: true })).toBe("inactive");
    expect(ssoRefusal({ active: true }, { email_verified: false })).toBe("email_unverified");
    expect(ssoRefusal({ active: true }, { email_verified: "false" })).toBe("email_unverified");
  });
});
