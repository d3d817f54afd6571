import { describe, expect, it } from "vitest";
import { connectionVerdict, GOOD_ROUND_TRIP_MS, medianOf, type ConnectionFindings } from "./connection-check";

const findings = (overrides: Partial<ConnectionFindings>): ConnectionFindings => ({ roundTripsMs: [40, 42, 45, 41], failures: 0, relay: "not_configured", relayRequired: false, ...overrides });

describe("connectionVerdict", () => {
  it("is good on a fast, steady network, with the relay reached when there is one", () => {
    expect(connectionVerdict(findings({}))).toBe("good");
    expect(connectionVerdict(findings({ relay: "gathered", relayRequired: true }))).toBe("good");
    expect(connectionVerdict(findings({ roundTripsMs: [GOOD_ROUND_TRIP_MS, GOOD_ROUND_TRIP_MS - 10, GOOD_ROUND_TRIP_MS] }))).toBe("good");
  });

  it("may be choppy when the round trip is long, stalls now and then, or requests go unanswered", () => {
    expect(connectionVerdict(findings({ roundTripsMs: [350, 420, 380, 400] }))).toBe("may_be_choppy");
    expect(connectionVerdict(findings({ roundTripsMs: [40, 45, 1200, 42] }))).toBe("may_be_choppy");
    expect(connectionVerdict(findings({ roundTripsMs: [40, 45], failures: 2 }))).toBe("may_be_choppy");
  });

  it("may be choppy when the relay is configured but out of reach and calls may still go direct", () => {
    expect(connectionVerdict(findings({ relay: "not_gathered", relayRequired: false }))).toBe("may_be_choppy");
  });

  it("cannot connect when nothing answered, or every call must use a relay this network does not reach", () => {
    expect(connectionVerdict(findings({ roundTripsMs: [], failures: 5 }))).toBe("cannot_connect");
    expect(connectionVerdict(findings({ relay: "not_gathered", relayRequired: true }))).toBe("cannot_connect");
  });
});

describe("medianOf", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(medianOf([5, 1, 3])).toBe(3);
    expect(medianOf([4, 1, 3, 2])).toBe(2.5);
  });
});
