import { readFile } from "node:fs/promises";
import { expect, test, type Download, type Page } from "@playwright/test";
import sharp from "sharp";
import { checkPage } from "./a11y";
import { createConsultation, expectCallState, joinCall, newCallPage, specDatabase } from "./call";
import { windowsProgram } from "../test/chat-files";
import { signIn, staff } from "./staff";

/** A small, valid one-page PDF (its cross-reference table pointing at each object), as a patient's lab results. */
function labResultsPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    "<< /Length 52 >>\nstream\nBT /F1 18 Tf 30 120 Td (Hemoglobin 13.8 g/dL) Tj ET\nendstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A photo of a rash, as a phone would send it (a PNG drawn here). */
function rashPhoto(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="320">
    <defs><radialGradient id="g"><stop offset="0" stop-color="#c0392b"/><stop offset="1" stop-color="#f1c6a8"/></radialGradient></defs>
    <rect width="480" height="320" fill="#f1c6a8"/><ellipse cx="240" cy="160" rx="150" ry="90" fill="url(#g)"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}


/** Picks a file through the chat's own attach button (the file chooser it opens), as a person would. */
async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach a photo or PDF (up to 10 MB)" }).click();
  await (await chooser).setFiles(file);
}

async function downloadedBytes(download: Download): Promise<Buffer> {
  return readFile((await download.path())!);
}

test("files in the call's chat: a PDF and a photo go across, download byte for byte, a renamed program is refused, and the clinic sees them", async ({ browser, request }) => {
  // Three browsers and a 10 MB refusal: past two minutes on a busy 2-core machine.
  test.setTimeout(240_000);
  const pdf = labResultsPdf();
  const photo = await rashPhoto();
  const consultation = await createConsultation(request);
  // The patient on a small phone, the provider at a desk.
  const patient = await newCallPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const provider = await newCallPage(browser, { viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await joinCall(patient.page, consultation.patientUrl, consultation.pin);
  await joinCall(provider.page, consultation.providerUrl, consultation.pin);
  await expectCallState(patient.page, "active");
  await patient.page.getByTestId("toggle-chat").click();
  const chat = patient.page.getByTestId("chat-panel");

  await test.step("the patient attaches a PDF by keyboard: it uploads (Send waits), then goes with a few words", async () => {
    // Held until we have seen the upload in progress.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const upload = (url: URL) => url.pathname.endsWith("/chat/files");
    await patient.page.route(upload, async (route) => {
      await held;
      await route.continue();
    });
    // From the message box, Shift+Tab reaches the attach button; Enter opens the file chooser.
    await expect(patient.page.getByTestId("chat-input")).toBeFocused();
    await patient.page.keyboard.press("Shift+Tab");
    await expect(patient.page.getByTestId("chat-attach")).toBeFocused();
    const chooser = patient.page.waitForEvent("filechooser");
    await patient.page.keyboard.press("Enter");
    await (await chooser).setFiles({ name: "lab-results.pdf", mimeType: "application/pdf", buffer: pdf });

    const attachment = patient.page.getByTestId("chat-attachment");
    await expect(attachment).toContainText("lab-results.pdf");
    await expect(attachment).toContainText("Uploading");
    await expect(attachment.getByRole("progressbar", { name: "Uploading lab-results.pdf" })).toBeVisible();
    await expect(patient.page.getByTestId("chat-send")).toBeDisabled();
    release();
    await expect(attachment).toHaveAttribute("data-uploaded", "true");
    await expect(attachment).toContainText("ready to send");
    await expect(patient.page.getByTestId("chat-send")).toBeEnabled();
    await patient.page.unroute(upload);

    await expect(patient.page.getByTestId("chat-input")).toBeFocused();
    await patient.page.keyboard.type("My lab results from Monday");
    await patient.page.keyboard.press("Enter");
    const sent = patient.page.getByTestId("chat-message").filter({ hasText: "My lab results from Monday" });
    await expect(sent).not.toHaveAttribute("data-pending", "true");
    await expect(sent.getByRole("link", { name: new RegExp(`^Download lab-results\\.pdf\\s*PDF, ${pdf.length} bytes$`) })).toBeVisible();
    await expect(attachment).toHaveCount(0);
  });

  await test.step("then a photo, on its own", async () => {
    await attach(patient.page, { name: "rash.png", mimeType: "image/png", buffer: photo });
    await expect(patient.page.getByTestId("chat-attachment")).toHaveAttribute("data-uploaded", "true");
    await patient.page.getByTestId("chat-send").click();
    const sent = patient.page.getByTestId("chat-message").last();
    await expect(sent).not.toHaveAttribute("data-pending", "true");
    await expect(sent.getByRole("link", { name: /^Download rash\.png\s*Image, \d+ KB$/ })).toBeVisible();
  });

  await test.step("a program renamed to .pdf is refused, in words, and nothing is sent", async () => {
    await attach(patient.page, { name: "prescription.pdf", mimeType: "application/pdf", buffer: windowsProgram() });
    await expect(chat.getByRole("alert")).toHaveText("“prescription.pdf” is not a photo or a PDF, so it cannot be sent. Only JPEG, PNG and WebP images and PDF documents can be shared.");
    await expect(patient.page.getByTestId("chat-attachment")).toHaveCount(0);
    await expect(patient.page.getByTestId("chat-message")).toHaveCount(2);
    // Too large is said before anything is uploaded.
    await attach(patient.page, { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25) });
    await expect(chat.getByRole("alert")).toHaveText("“scan.pdf” is larger than 10 MB, so it cannot be sent. Send a smaller file.");
  });

  await test.step("on a 360 px phone the chat with its files fits and passes the accessibility check", async () => {
    await attach(patient.page, { name: "Informe de laboratorio del 3 de marzo, hospital central.pdf", mimeType: "application/pdf", buffer: pdf });
    await expect(patient.page.getByTestId("chat-attachment")).toHaveAttribute("data-uploaded", "true");
    await expect(patient.page.getByTestId("chat-thumbnail")).toHaveJSProperty("complete", true);
    await checkPage(patient.page, "chat-files-phone");
    const box = (await chat.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await patient.page.getByRole("button", { name: /^Remove Informe de laboratorio/ }).click();
    await expect(patient.page.getByTestId("chat-attachment")).toHaveCount(0);
  });

  await test.step("the provider sees both, a thumbnail of the photo, and downloads the PDF byte for byte", async () => {
    await provider.page.getByTestId("toggle-chat").click();
    const messages = provider.page.getByTestId("chat-message");
    await expect(messages).toHaveCount(2);
    await expect(messages.first()).toContainText("María García López · Patient");
    await expect(messages.first()).toContainText("My lab results from Monday");
    const thumbnail = messages.last().getByTestId("chat-thumbnail");
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    const pdfDownload = provider.page.waitForEvent("download");
    await messages
      .first()
      .getByRole("link", { name: /^Download lab-results\.pdf/ })
      .click();
    const got = await pdfDownload;
    expect(got.suggestedFilename()).toBe("lab-results.pdf");
    expect((await downloadedBytes(got)).equals(pdf)).toBe(true);
    // The photo downloads too (re-encoded without its metadata: a PNG still).
    const photoDownload = provider.page.waitForEvent("download");
    await messages
      .last()
      .getByRole("link", { name: /^Download rash\.png/ })
      .click();
    const image = await downloadedBytes(await photoDownload);
    expect((await sharp(image).metadata()).format).toBe("png");
    // The call goes on: the link downloaded, it did not navigate away.
    await expectCallState(provider.page, "active");
    await provider.page.screenshot({ path: `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens/chat-files-desktop.png` });
  });

  await test.step("the clinic's transcript links the files for the staff; a deleted file says so", async () => {
    const scheduler = await staff("scheduler");
    const clinic = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    // The page's clock can run ahead: a link older than ten minutes is renewed before it downloads.
    await clinic.clock.install();
    const page = await clinic.newPage();
    await signIn(page, scheduler.email);
    await expect(page).toHaveURL(/\/dashboard/);
    await page.goto(`/dashboard/consultations/${consultation.consultationId}`);
    const transcript = page.getByRole("region", { name: "Chat transcript" });
    await expect(transcript).toContainText("My lab results from Monday");
    const link = transcript.getByRole("link", { name: /^Download lab-results\.pdf, PDF, \d+ bytes$/ });
    const first = await link.getAttribute("href");
    expect(first).toMatch(/^\/api\/chat-files\/[0-9a-f-]{36}\?expires=\d+&signature=/);

    await page.clock.fastForward("11:00");
    const download = page.waitForEvent("download");
    await link.click();
    const got = await download;
    expect((await downloadedBytes(got)).equals(pdf)).toBe(true);
    expect(await link.getAttribute("href")).not.toBe(first);

    const sql = specDatabase();
    try {
      await sql`update chat_files set deleted_at = now() where file_name = 'rash.png' and room_id = (select id from rooms where consultation_id = ${consultation.consultationId})`;
    } finally {
      await sql.end();
    }
    await page.reload();
    await expect(transcript.getByTestId("transcript-file").filter({ hasText: "rash.png" })).toContainText("file no longer available");
    await expect(transcript.getByRole("link", { name: /rash\.png/ })).toHaveCount(0);
    await transcript.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${process.env.E2E_OUTPUT_DIR ?? "test-results"}/screens/chat-files-transcript.png` });
    await clinic.close();
  });

  await patient.context.close();
  await provider.context.close();
});
