import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createConsultation, expectCallState, expectMediaFlowing, inboundTotals, joinCall, newCallPage, pathOf } from "./call";
import { startAppInstance, startTurnServer, type Started } from "./processes";

/**
 * A call relayed through a real TURN server: coturn from Debian on loopback, both browsers
 * forced to relay (WEBRTC_ICE_TRANSPORT_POLICY=relay) with per-join credentials minted by the
 * app (TURN REST API scheme). The patient and the provider use two different app instances on
 * the same database, so their signaling crosses instances through PostgreSQL LISTEN/NOTIFY.
 */
test("media flows through a TURN relay, with signaling across two app instances", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const secret = randomBytes(24).toString("hex");
  const turn = await startTurnServer(secret);
  const instances: Started[] = [];
  try {
    const relayEnv = { TURN_URLS: turn.url, TURN_SECRET: secret, WEBRTC_ICE_TRANSPORT_POLICY: "relay" };
    instances.push(await startAppInstance(relayEnv), await startAppInstance(relayEnv));
    const [first, second] = instances as [Started, Started];

    const consultation = await createConsultation(request);
    const patient = await newCallPage(browser, { baseURL: first.url });
    const provider = await newCallPage(browser, { baseURL: second.url });
    await joinCall(patient.page, `${first.url}${pathOf(consultation.patientUrl)}`, consultation.pin);
    await joinCall(provider.page, `${second.url}${pathOf(consultation.providerUrl)}`, consultation.pin);

    await expectCallState(patient.page, "active", 30_000);
    await expectCallState(provider.page, "active", 30_000);
    await expectMediaFlowing(patient.page);
    await expectMediaFlowing(provider.page);
    expect((await inboundTotals(patient.page)).relay).toBe(true);
    expect((await inboundTotals(provider.page)).relay).toBe(true);

    await patient.context.close();
    await provider.context.close();
  } finally {
    await Promise.all(instances.map((i) => i.stop()));
    await turn.stop();
  }
});
