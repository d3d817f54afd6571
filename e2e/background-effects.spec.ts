import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { checkPage, VIEWPORTS } from "./a11y";
import { createRoom, demoAuthorization, type RoomPerson } from "./api";
import { expectCallState, expectMediaFlowing, newCallPage, pathOf } from "./call";
import { CHROMIUM_ARGS, CHROMIUM_PATH, FAKE_MEDIA_ARGS } from "./chromium";
import { CAMERA_HEIGHT, CAMERA_WIDTH, clinicBackgroundPng, IMAGE_LEFT, IMAGE_RIGHT, SCENE, writePersonCamera, type Point, type Rgb } from "./fake-camera";

/**
 * Background blur and the clinic's backgrounds, on the production build, between two browsers:
 * the doctor's camera is a drawn person in a room (e2e/fake-camera.ts), and what the patient's
 * browser decodes of it is sampled where the room is and where the person is. The clinic's
 * background is uploaded through the settings API and made its default; the doctor's link
 * carries `useBackground=true`, as the teleconsultation API gives it when asked.
 */

const OUTPUT = process.env.E2E_OUTPUT_DIR ?? "test-results";

/** A patch of the picture: its mean colour, and how much its brightness varies (high: sharp checks; low: smooth). */
type Patch = { mean: Rgb; deviation: number };

/** What the patient's browser shows of the doctor: colours at the scene's points, the wall's checked panel and the doctor's checked shirt. */
type Sample = { width: number; height: number; colors: Record<string, Rgb>; panel: Patch; shirt: Patch };

const POINTS = { wall: SCENE.wall, floor: SCENE.floor, floorRight: SCENE.floorRight, face: SCENE.face } satisfies Record<string, Point>;

/** The largest difference of one colour channel. */
const distance = (a: Rgb, b: Rgb) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

/** The patches' inner parts, away from their edges (a mask's edge, the encoder's ringing). */
const inner = (r: { x0: number; y0: number; x1: number; y1: number }) => ({ x0: r.x0 + 0.02, y0: r.y0 + 0.03, x1: r.x1 - 0.02, y1: r.y1 - 0.03 });
const PATCHES = { panel: inner(SCENE.panel), shirt: inner(SCENE.shirt) };

/** Samples the remote video of `page` (the one other person) as the browser decoded it. */
async function sampleRemote(page: Page): Promise<Sample> {
  return page.getByTestId("remote-video").evaluate(
    (video: HTMLVideoElement, { points, patches }) => {
      const width = video.videoWidth;
      const height = video.videoHeight;
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d", { willReadFrequently: true })!;
      context.drawImage(video, 0, 0, width, height);
      const patch = (x0: number, y0: number, w: number, h: number) => {
        const data = context.getImageData(x0, y0, Math.max(1, w), Math.max(1, h)).data;
        const sum = [0, 0, 0];
        const luma: number[] = [];
        for (let i = 0; i < data.length; i += 4) {
          for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
          luma.push(0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!);
        }
        const n = data.length / 4;
        const meanLuma = luma.reduce((a, b) => a + b, 0) / n;
        const mean: [number, number, number] = [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n)];
        return { mean, deviation: Math.sqrt(luma.reduce((a, b) => a + (b - meanLuma) ** 2, 0) / n) };
      };
      const colors: Record<string, [number, number, number]> = {};
      for (const [name, p] of Object.entries(points)) colors[name] = patch(Math.round(p.x * width) - 2, Math.round(p.y * height) - 2, 5, 5).mean;
      const region = (r: { x0: number; y0: number; x1: number; y1: number }) =>
        patch(Math.round(r.x0 * width), Math.round(r.y0 * height), Math.round((r.x1 - r.x0) * width), Math.round((r.y1 - r.y0) * height));
      return { width, height, colors, panel: region(patches.panel), shirt: region(patches.shirt) };
    },
    { points: POINTS, patches: PATCHES },
  );
}

/** The camera's own picture at the same points, from the PNG the fake camera was made from. */
async function sourceSample(png: string): Promise<Record<string, Rgb>> {
  const { data } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const colors: Record<string, Rgb> = {};
  for (const [name, p] of Object.entries(POINTS)) {
    const sum = [0, 0, 0];
    const cx = Math.round(p.x * CAMERA_WIDTH);
    const cy = Math.round(p.y * CAMERA_HEIGHT);
    for (let y = cy - 2; y <= cy + 2; y++) for (let x = cx - 2; x <= cx + 2; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * CAMERA_WIDTH + x) * 3 + c]!;
    colors[name] = [Math.round(sum[0]! / 25), Math.round(sum[1]! / 25), Math.round(sum[2]! / 25)];
  }
  return colors;
}

/** Polls the patient's picture of the doctor until `check` names no problem; the last sample is in the message. */
async function expectPicture(page: Page, what: string, check: (s: Sample) => string[]) {
  let last: Sample | undefined;
  try {
    await expect
      .poll(
        async () => {
          last = await sampleRemote(page);
          return check(last);
        },
        { message: what, timeout: 45_000, intervals: [1_000] },
      )
      .toEqual([]);
  } catch (error) {
    throw new Error(`${what}: the last sample was ${JSON.stringify(last)}`, { cause: error });
  }
}

/** Problems with a sample: each rule that fails, by name (an empty list passes). */
function problems(rules: Record<string, boolean>): string[] {
  return Object.entries(rules)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
}

/** Uploads the clinic's background through the settings API and makes it the default; returns its alias. */
async function uploadDefaultBackground(request: APIRequestContext): Promise<string> {
  const upload = await request.post("/api/settings/background-image", {
    headers: demoAuthorization(),
    multipart: { virtual_background: { name: "clinic-halves.png", mimeType: "image/png", buffer: await clinicBackgroundPng() } },
  });
  expect(upload.status(), await upload.text()).toBe(200);
  const alias = (await upload.json()).virtual_background.background_alias as string;
  const update = await request.patch("/api/settings/update", { headers: demoAuthorization(), data: { background_alias: alias } });
  expect(update.status(), await update.text()).toBe(200);
  return alias;
}

async function linkOf(request: APIRequestContext, roomId: string, userExternalId: string, query = ""): Promise<string> {
  const response = await request.get(`/api/teleconsultation/${roomId}${query}`, { headers: { ...demoAuthorization(), "x-user-id": userExternalId } });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()).accessLinkURL;
}

/** Collects the page's Content-Security-Policy violations (each directive and what it blocked). */
const CSP_VIOLATIONS = `window.__cspViolations = []; document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));`;

/** Picks an option of the background picker (in the device check, or the call's dialog) and waits until the effect runs. */
async function pick(page: Page, option: string, status: "on" | "off") {
  await page.getByTestId(`background-${option}`).click();
  await expect(page.getByTestId(`background-${option}`).locator("input")).toBeChecked();
  await expect(page.getByTestId("background-picker")).toHaveAttribute("data-status", status, { timeout: 30_000 });
}

test.describe("background blur and the clinic's backgrounds", () => {
  // One browser each: the doctor's draws the effect in software here (no GPU), and the patient's
  // decoding and showing video would wait behind it in the same GPU process.
  let doctorBrowser: Browser;
  let patientBrowser: Browser;
  let png: string;

  test.beforeAll(async () => {
    await mkdir(OUTPUT, { recursive: true });
    await mkdir(`${OUTPUT}/screens`, { recursive: true });
    const camera = await writePersonCamera(path.resolve(OUTPUT, "person-camera.y4m"));
    png = camera.png;
    doctorBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS, `--use-file-for-fake-video-capture=${camera.file}`] });
    patientBrowser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_MEDIA_ARGS] });
  });

  test.afterAll(async () => {
    await doctorBrowser?.close();
    await patientBrowser?.close();
  });

  test("a doctor joins with useBackground=true: the patient sees the clinic's background behind the doctor; blur on, then off", async ({ request, baseURL }) => {
    // Two browsers, each segmenting or decoding 640×480 video on a loaded 2-core machine.
    test.setTimeout(300_000);
    const source = await sourceSample(png);
    const suffix = Math.random().toString(36).slice(2, 8);
    const doctorPerson: RoomPerson = { userExternalId: `bg-doctor-${suffix}`, groups: ["doctor"], fullName: "Dr. Ana Martínez", language: "en" };
    const patientPerson: RoomPerson = { userExternalId: `bg-patient-${suffix}`, groups: ["patient"], fullName: "Luis Pérez", language: "en" };
    const alias = await uploadDefaultBackground(request);
    try {
      const roomId = await createRoom(request, [doctorPerson, patientPerson]);
      const doctorLink = await linkOf(request, roomId, doctorPerson.userExternalId, "?useBackground=true");
      expect(new URL(doctorLink).searchParams.get("useBackground")).toBe("true");
      const patientLink = await linkOf(request, roomId, patientPerson.userExternalId);
      const doctor = await newCallPage(doctorBrowser, { viewport: VIEWPORTS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const patient = await newCallPage(patientBrowser, { viewport: VIEWPORTS.desktop });
      // The effect runs under the join page's CSP (WebAssembly allowed, nothing from elsewhere): anything it blocked is a failure.
      await doctor.context.addInitScript(CSP_VIOLATIONS);
      // This machine has no GPU: the effect runs at its last step and near its give-up point, so
      // it would turn itself off at random moments of the checks below (lib/video/background.ts).
      await doctor.context.addInitScript(() => ((globalThis as Record<string, unknown>).__telemedBackgroundNeverGivesUp = true));
      // The effect's step-downs on this GPU-less machine, for reading a failure.
      doctor.page.on("console", (m) => {
        if (/^background effect/.test(m.text())) console.log(`doctor's page: ${m.text()}`);
      });
      const violations = () => doctor.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
      // Everything the effect loads (its scripts, MediaPipe's WebAssembly, the model, the image) comes from this app.
      const offsite: string[] = [];
      doctor.page.on("request", (r) => {
        if (!/^(blob|data):/.test(r.url()) && new URL(r.url()).origin !== new URL(baseURL!).origin) offsite.push(r.url());
      });

      await test.step("the patient joins first, from a link without the parameter: no background of their own", async () => {
        await patient.page.goto(pathOf(patientLink));
        await expect(patient.page.getByRole("radio", { name: "None" })).toBeChecked();
        await patient.page.getByTestId("join-call").click();
        await expectCallState(patient.page, "waiting", 30_000);
      });

      await test.step("the doctor's device check starts with the clinic's default background, and offers none, blur and the image", async () => {
        await doctor.page.goto(pathOf(doctorLink));
        const picker = doctor.page.getByTestId("background-picker");
        await expect(doctor.page.getByRole("group", { name: "Background" })).toBeVisible();
        await expect(doctor.page.getByTestId(`background-image-${alias}`).locator("input")).toBeChecked();
        await expect(picker).toHaveAttribute("data-status", "on", { timeout: 60_000 });
        await expect(doctor.page.getByRole("radio", { name: "None" })).toBeVisible();
        await expect(doctor.page.getByRole("radio", { name: "Blur" })).toBeVisible();
        await expect(doctor.page.getByRole("radio", { name: "Image 1" })).toBeVisible();
        // The preview shows the effect's track, not the camera's.
        const previewTrack = () => doctor.page.getByLabel("Your camera preview").evaluate((v: HTMLVideoElement) => (v.srcObject as MediaStream | null)?.getVideoTracks()[0]?.constructor.name);
        await expect.poll(previewTrack).toBe("MediaStreamTrackGenerator");
        await checkPage(doctor.page, "background-device-check-image", { fullPage: true });
        await pick(doctor.page, "blur", "on");
        await checkPage(doctor.page, "background-device-check-blur", { fullPage: true });
        await pick(doctor.page, "none", "off");
        await expect.poll(previewTrack).toBe("MediaStreamTrack");
        await checkPage(doctor.page, "background-device-check-none", { fullPage: true });
        // Keyboard: the options are one radio group; the arrow keys move the choice.
        await doctor.page.getByRole("radio", { name: "None" }).focus();
        await doctor.page.keyboard.press("ArrowRight");
        await expect(doctor.page.getByRole("radio", { name: "Blur" })).toBeChecked();
        await expect(picker).toHaveAttribute("data-status", "on", { timeout: 30_000 });
        await pick(doctor.page, "none", "off");
        expect(await violations()).toEqual([]);
      });

      // This machine has no GPU: the effect runs at its last step (10 frames a second, 320 pixels
      // wide), kept from turning itself off (above; its give-up is covered by
      // lib/video/background-steps.test.ts). Each picture is still checked right after the effect
      // starts afresh (from None), so a check sees the choice just made, and screenshots come after.
      await test.step("the doctor joins with the clinic's image: the patient's decoded video shows it where the room was, and the doctor where the doctor is", async () => {
        await pick(doctor.page, `image-${alias}`, "on");
        await doctor.page.getByTestId("join-call").click();
        await expectCallState(patient.page, "active", 60_000);
        await expectCallState(doctor.page, "active", 60_000);
        await expectPicture(patient.page, "image", (s) =>
          problems({
            "wall is the image's right half": distance(s.colors.wall!, IMAGE_RIGHT) < 45,
            "floor is the image's left half": distance(s.colors.floor!, IMAGE_LEFT) < 45,
            "right floor is the image's right half": distance(s.colors.floorRight!, IMAGE_RIGHT) < 45,
            "checked panel is the image's left half, plain": distance(s.panel.mean, IMAGE_LEFT) < 45 && s.panel.deviation < 20,
            "face is the doctor's": distance(s.colors.face!, source.face!) < 45 && distance(s.colors.face!, IMAGE_LEFT) > 80 && distance(s.colors.face!, IMAGE_RIGHT) > 80,
            "checked shirt is the doctor's, sharp": s.shirt.deviation > 25 && distance(s.shirt.mean, IMAGE_LEFT) > 80 && distance(s.shirt.mean, IMAGE_RIGHT) > 60,
          }),
        );
        await patient.page.screenshot({ path: `${OUTPUT}/screens/background-call-image-received.png` });
        await expectMediaFlowing(patient.page);
        expect(await violations()).toEqual([]);
        expect(offsite).toEqual([]);
      });

      await test.step("the doctor turns blur on in the call: the room is there but smooth, neither the camera's nor the image; the doctor is sharp", async () => {
        await doctor.page.getByTestId("change-background").click();
        await expect(doctor.page.getByRole("dialog", { name: "Background" })).toBeVisible();
        await pick(doctor.page, "none", "off");
        await pick(doctor.page, "blur", "on");
        await expectPicture(patient.page, "blur", (s) =>
          problems({
            "checked panel is smoothed": s.panel.deviation < 25,
            "panel is not the image": distance(s.panel.mean, IMAGE_LEFT) > 80,
            "wall is not the image": distance(s.colors.wall!, IMAGE_RIGHT) > 80,
            "wall keeps its colour": distance(s.colors.wall!, source.wall!) < 45,
            "face is the doctor's": distance(s.colors.face!, source.face!) < 45,
            "checked shirt is sharp: the doctor is not blurred": s.shirt.deviation > 25,
          }),
        );
        await patient.page.screenshot({ path: `${OUTPUT}/screens/background-call-blur-received.png` });
        await checkPage(doctor.page, "background-call-picker");
      });

      await test.step("turning the camera off and on again keeps the blur", async () => {
        await pick(doctor.page, "none", "off");
        await pick(doctor.page, "blur", "on");
        await doctor.page.getByTestId("background-done").click();
        await doctor.page.getByTestId("toggle-video").click();
        await expect(patient.page.getByTestId("remote-camera-off")).toBeVisible();
        await doctor.page.getByTestId("toggle-video").click();
        await expect(patient.page.getByTestId("remote-camera-off")).toBeHidden();
        await expectPicture(patient.page, "blur after the camera came back", (s) =>
          problems({ "checked panel is smoothed": s.panel.deviation < 25, "checked shirt is sharp": s.shirt.deviation > 25, "face is the doctor's": distance(s.colors.face!, source.face!) < 45 }),
        );
      });

      await test.step("blur off: the patient sees the doctor's camera as it is again", async () => {
        await doctor.page.getByTestId("change-background").click();
        await pick(doctor.page, "none", "off");
        await doctor.page.getByTestId("background-done").click();
        await expectPicture(patient.page, "no background", (s) =>
          problems({
            "checked panel is sharp again": s.panel.deviation > 60,
            "wall is the camera's": distance(s.colors.wall!, source.wall!) < 45,
            "floor is the camera's": distance(s.colors.floor!, source.floor!) < 45,
            "face is the doctor's": distance(s.colors.face!, source.face!) < 45,
            "checked shirt is sharp": s.shirt.deviation > 25,
          }),
        );
        await expectMediaFlowing(patient.page);
      });

      await doctor.context.close();
      await patient.context.close();
    } finally {
      // The demo clinic goes back to no default background for the other specs.
      await request.patch("/api/settings/update", { headers: demoAuthorization(), data: { background_alias: null } });
    }
  });
});
