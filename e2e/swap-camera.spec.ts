import { expect, test } from "@playwright/test";
import { expectMediaFlowing, startCall } from "./call";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium";

// Three fake cameras, so the call offers Swap camera. Chromium's second fake camera
// (fake_device_1) produces Y16 depth frames, which no encoder takes; the third is an
// ordinary camera, so the spec swaps twice and checks video flows from the third.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=device-count=3"] } });

test("swap camera switches to another camera and the provider keeps receiving video", async ({ browser, request }) => {
  const { patient, provider } = await startCall(browser, request);
  const cameraLabel = () => patient.page.getByTestId("local-video").evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream).getVideoTracks()[0]?.label);
  expect(await cameraLabel()).toBe("fake_device_0");
  await patient.page.getByTestId("swap-camera").click();
  await expect.poll(cameraLabel).toBe("fake_device_1");
  await patient.page.getByTestId("swap-camera").click();
  await expect.poll(cameraLabel).toBe("fake_device_2");
  await expectMediaFlowing(provider.page);
  await patient.context.close();
  await provider.context.close();
});

test("swap camera with the background blurred: the blur moves to the new camera and the provider keeps receiving video", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const { patient, provider } = await startCall(browser, request);
  const sent = () =>
    patient.page.getByTestId("local-video").evaluate((v: HTMLVideoElement) => {
      const track = (v.srcObject as MediaStream).getVideoTracks()[0];
      return { effect: track?.constructor.name === "MediaStreamTrackGenerator", label: track?.label, live: track?.readyState === "live" };
    });
  await patient.page.getByTestId("change-background").click();
  await patient.page.getByTestId("background-blur").click();
  await expect(patient.page.getByTestId("background-picker")).toHaveAttribute("data-status", "on", { timeout: 30_000 });
  await patient.page.getByTestId("background-done").click();
  await expect.poll(sent).toMatchObject({ effect: true, live: true });
  await patient.page.getByTestId("swap-camera").click();
  await patient.page.getByTestId("swap-camera").click();
  // Whatever the second fake camera did to the effect (its depth frames), the third one is sent, through the blur if it runs.
  await expect.poll(sent, { timeout: 30_000 }).toMatchObject({ live: true });
  await expectMediaFlowing(provider.page);
  // Blur off: the camera itself is sent again, and it is the third one.
  await patient.page.getByTestId("change-background").click();
  await patient.page.getByTestId("background-none").click();
  await patient.page.getByTestId("background-done").click();
  await expect.poll(sent).toEqual({ effect: false, label: "fake_device_2", live: true });
  await expectMediaFlowing(provider.page);
  await patient.context.close();
  await provider.context.close();
});
