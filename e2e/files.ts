import { expect, type Page } from "@playwright/test";

/** Files the chat specs send: the server checks every file by its bytes, so these are real ones. */

/** A small, valid PDF (the server checks files by their bytes), different for each `label`. */
export function pdf(label: string): Buffer {
  const text = `BT /F1 18 Tf 40 100 Td (${label}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}


/** Sends a file from the composer and waits until the conversation shows it stored. */
export async function sendFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.getByTestId("chat-file-input").setInputFiles({ name, mimeType: "application/pdf", buffer: bytes });
  await expect(
    page
      .getByTestId("chat-message")
      .filter({ has: page.getByTestId("chat-file").filter({ hasText: name }) })
      .last(),
  ).not.toHaveAttribute("data-pending", "true");
}
