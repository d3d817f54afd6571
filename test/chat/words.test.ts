import { createFormatter, createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { fileWords, problemOf, problemText } from "@/components/chat/words";
import en from "@/messages/en.json";
import es from "@/messages/es.json";
import it_ from "@/messages/it.json";

/** The chat's shared words in each language: a file's size and kind, and a refusal from its code (a code no one knows still gets words). */
const CATALOGS = { en, es, it: it_ } as const;
const words = (locale: keyof typeof CATALOGS) => {
  const t = createTranslator({ locale, messages: CATALOGS[locale], namespace: "Chat" });
  const format = createFormatter({ locale, timeZone: "America/Bogota" });
  return { t, files: fileWords(t, format) };
};

describe("the chat's words", () => {
  it("says a file's size and kind in the reader's language", () => {
    const { files: enFiles } = words("en");
    expect([1, 820, 12_345, 1.44 * 1024 * 1024].map(enFiles.size)).toEqual(["1 byte", "820 bytes", "12 KB", "1.4 MB"]);
    expect(enFiles.facts({ contentType: "image/png", size: 2048 })).toBe("Image, 2 KB");
    expect(words("es").files.facts({ contentType: "image/png", size: 1.44 * 1024 * 1024 })).toBe("Imagen, 1,4 MB");
    expect(words("it").files.facts({ contentType: "application/pdf", size: 820 })).toBe("PDF, 820 byte");
  });

  it("says why a file was refused, naming it, from the code", () => {
    const { t } = words("en");
    expect(problemText(t, { code: "file_type_not_allowed", file: "results.pdf" })).toBe(
      "“results.pdf” is not a photo or a PDF, so it cannot be sent. Only JPEG, PNG and WebP images and PDF documents can be shared.",
    );
    expect(problemText(words("es").t, { code: "file_too_large", file: "scan.pdf" })).toBe("“scan.pdf” supera los 10 MB, así que no se puede enviar. Envíe un archivo más pequeño.");
    expect(problemText(words("it").t, { status: 413, file: "scan.pdf" })).toContain("supera i 10 MB");
    expect(problemText(t, { code: "chat_files_rate_limited", file: "a.png" })).toContain("Wait a while");
    expect(problemText(t, { code: "chat_closed", file: "a.png" })).toBe("The call is over, so its chat is closed. The messages stay with the clinic.");
  });

  it("a network failure, and a code the page does not know, still get words in the reader's language", () => {
    expect(problemOf(new TypeError("Failed to fetch"))).toMatchObject({ network: true });
    expect(problemText(words("es").t, problemOf(Object.assign(new Error("offline"), { code: "network_unavailable" }), { file: "a.pdf" }))).toBe(
      "“a.pdf” no se envió: parece que no tiene conexión. Compruébela e inténtelo de nuevo.",
    );
    const unknown = problemOf(Object.assign(new Error("The teapot is busy."), { code: "teapot_busy", status: 418 }));
    expect(unknown).toEqual({ code: "teapot_busy", status: 418, network: false });
    expect(problemText(words("it").t, unknown)).toBe("Qualcosa è andato storto. Riprova.");
    expect(problemText(words("es").t, { ...unknown, file: "x.png" })).toBe("No se pudo enviar “x.png”. Inténtelo de nuevo.");
    expect(problemText(words("en").t, { code: "chat_session_state", status: 409, doing: "call" })).toBe("The video call cannot be opened now: it may be over.");
  });
});
