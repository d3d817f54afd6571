import { sql } from "drizzle-orm";
import type { Database, Db, Transaction } from "@/db/client";
import type { UploadedFile, UploadRules } from "@/lib/chat-files/read-upload";
import { fileTooLarge } from "@/lib/chat-files/read-upload";
import { isImageType, reencodeImage, typeOfBytes, type ImageType } from "@/lib/chat-files/image";
import { AppError } from "@/lib/errors";
import { BACKGROUND_MAX_BYTES, BACKGROUND_MAX_HEIGHT, BACKGROUND_MAX_WIDTH, BACKGROUNDS_PER_ORGANIZATION } from "@/lib/limits";
import { keepThenRecord, storageErrorCode, type FileStorage, type StoredObject } from "@/lib/storage";
import { backgroundPath, isBackgroundAlias, newBackgroundAlias } from "./alias";
import { BACKGROUND_FIELD, type ListedBackground, type VirtualBackground } from "./schema";

/** How a background is uploaded: in the contract's field, at most 10 MB. */
export const BACKGROUND_UPLOAD: UploadRules = { field: BACKGROUND_FIELD, maxBytes: BACKGROUND_MAX_BYTES };

/** A background as kept: its row. */
export type Background = {
  id: string;
  alias: string;
  storageKey: string;
  contentType: ImageType;
  byteSize: number;
  width: number;
  height: number;
  createdAt: Date;
};

/** An image fit to keep as a background: re-encoded, upright, without metadata, at most 1920×1080. */
export type AcceptedBackground = { bytes: Uint8Array; contentType: ImageType; width: number; height: number };

type BackgroundRow = { id: string; alias: string; storage_key: string; content_type: string; byte_size: number; width: number; height: number; created_at: Date | string };

const rowToBackground = (row: BackgroundRow): Background => ({
  id: row.id,
  alias: row.alias,
  storageKey: row.storage_key,
  contentType: row.content_type as ImageType,
  byteSize: row.byte_size,
  width: row.width,
  height: row.height,
  createdAt: new Date(row.created_at),
});

const notFound = () => AppError.notFound("The background");

/**
 * Checks an uploaded background by its bytes (a text file or a program called `.png` is
 * refused) and makes it fit to show to every participant of every call: decoded and encoded
 * again in its own format, upright, without metadata (no EXIF position, no camera serial), and
 * shrunk to fit 1920×1080 when larger (a call's video is no larger; never enlarged).
 */
export async function acceptBackgroundImage(bytes: Uint8Array): Promise<AcceptedBackground> {
  if (bytes.byteLength > BACKGROUND_MAX_BYTES) throw fileTooLarge(BACKGROUND_UPLOAD);
  if (bytes.byteLength === 0) throw AppError.validation([{ field: BACKGROUND_FIELD, code: "empty", message: "is empty" }]);
  const detected = await typeOfBytes(bytes);
  if (!isImageType(detected)) {
    const what = detected ? `this file is ${detected}` : "this file is not an image";
    throw new AppError("file_type_not_allowed", `A background must be a JPEG, PNG or WebP image (${what}).`, [
      { field: BACKGROUND_FIELD, code: "file_type_not_allowed", message: "must be a JPEG, PNG or WebP image" },
    ]);
  }
  const image = await reencodeImage(bytes, detected, { field: BACKGROUND_FIELD, fitInside: { width: BACKGROUND_MAX_WIDTH, height: BACKGROUND_MAX_HEIGHT } });
  return { ...image, contentType: detected };
}

async function backgroundCount(db: Db, organizationId: string): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from organization_backgrounds where organization_id = ${organizationId}`);
  return row?.n ?? 0;
}

function limitReached(): AppError {
  return AppError.conflict("background_limit", `An organization can keep at most ${BACKGROUNDS_PER_ORGANIZATION} backgrounds; delete one before uploading another.`);
}

/** How the row is written: in a transaction of its own, or in one the caller opens (the dashboard's, with its audit row). */
export type RecordBackground = (write: (tx: Transaction) => Promise<Background>) => Promise<Background>;

/**
 * `POST /api/settings/background-image`: the organization may keep one more (checked before the
 * body is read, and again as the row is written, the organization locked so two uploads cannot
 * both take the last place), the file is read (`readFile`, capped at 10 MB), accepted, its bytes
 * kept under `backgrounds/`, then its row written; a refusal at any step stores nothing.
 */
export async function uploadBackground(
  db: Database,
  storage: FileStorage,
  organizationId: string,
  readFile: () => Promise<UploadedFile>,
  options: { now: Date; record?: RecordBackground },
): Promise<Background> {
  if ((await backgroundCount(db, organizationId)) >= BACKGROUNDS_PER_ORGANIZATION) throw limitReached();
  const upload = await readFile();
  const accepted = await acceptBackgroundImage(upload.bytes);
  const record: RecordBackground = options.record ?? ((write) => db.transaction(write));
  return keepThenRecord(storage, { prefix: "backgrounds", bytes: accepted.bytes, contentType: accepted.contentType, log: "backgrounds" }, (storageKey) =>
    record(async (tx) => {
      const [organization] = await tx.execute(sql`select id from organizations where id = ${organizationId} for update`);
      if (!organization) throw AppError.notFound("Organization");
      if ((await backgroundCount(tx, organizationId)) >= BACKGROUNDS_PER_ORGANIZATION) throw limitReached();
      const [row] = await tx.execute<BackgroundRow>(sql`
        insert into organization_backgrounds (organization_id, alias, storage_key, content_type, byte_size, width, height, created_at)
        values (${organizationId}, ${newBackgroundAlias()}, ${storageKey}, ${accepted.contentType}, ${accepted.bytes.byteLength}, ${accepted.width}, ${accepted.height}, ${options.now.toISOString()})
        returning id, alias, storage_key, content_type, byte_size, width, height, created_at`);
      return rowToBackground(row!);
    }),
  );
}

/** The organization's backgrounds, newest first, each saying whether it is the default. */
export async function listBackgrounds(db: Db, organizationId: string): Promise<(Background & { isDefault: boolean })[]> {
  const rows = await db.execute<BackgroundRow & { is_default: boolean }>(sql`
    select b.id, b.alias, b.storage_key, b.content_type, b.byte_size, b.width, b.height, b.created_at,
      (b.id = o.default_background_id) is true as is_default
    from organization_backgrounds b join organizations o on o.id = b.organization_id
    where b.organization_id = ${organizationId}
    order by b.created_at desc, b.id desc`);
  return rows.map((row) => ({ ...rowToBackground(row), isDefault: row.is_default }));
}

/** One of the organization's backgrounds by its alias; another organization's is not found, like one that never was. */
export async function findBackground(db: Db, organizationId: string, alias: string): Promise<Background | undefined> {
  if (!isBackgroundAlias(alias)) return undefined;
  const [row] = await db.execute<BackgroundRow>(sql`
    select id, alias, storage_key, content_type, byte_size, width, height, created_at
    from organization_backgrounds where organization_id = ${organizationId} and alias = ${alias}`);
  return row ? rowToBackground(row) : undefined;
}

/**
 * Deletes one of the organization's backgrounds: its row first (the company loses it as its
 * default, by the foreign key), then its bytes. Bytes that fail to go are only logged: nothing
 * points at them any more and their key was random. Another organization's alias is 404.
 */
export async function deleteBackground(
  db: Database,
  storage: FileStorage,
  organizationId: string,
  alias: string,
  options: { record?: RecordBackground } = {},
): Promise<Background> {
  if (!isBackgroundAlias(alias)) throw notFound();
  const record: RecordBackground = options.record ?? ((write) => db.transaction(write));
  const removed = await record(async (tx) => {
    const [row] = await tx.execute<BackgroundRow>(sql`
      delete from organization_backgrounds where organization_id = ${organizationId} and alias = ${alias}
      returning id, alias, storage_key, content_type, byte_size, width, height, created_at`);
    if (!row) throw notFound();
    return rowToBackground(row);
  });
  await storage.delete(removed.storageKey).catch((error: unknown) => console.error(`[backgrounds] removing the bytes of background ${removed.id} failed: ${storageErrorCode(error)}`));
  return removed;
}

/**
 * A background's bytes for its public URL, by alias alone (the alias is the permission: 128
 * random bits). A malformed alias is not looked up; an unknown or deleted one, or bytes the
 * storage no longer has, is the same 404.
 */
export async function openBackground(db: Db, storage: FileStorage, alias: string): Promise<{ contentType: string; object: StoredObject }> {
  if (!isBackgroundAlias(alias)) throw notFound();
  const [row] = await db.execute<{ id: string; storage_key: string; content_type: string }>(sql`
    select id, storage_key, content_type from organization_backgrounds where alias = ${alias}`);
  if (!row) throw notFound();
  const object = await storage.get(row.storage_key).catch((error: unknown) => {
    console.error(`[backgrounds] reading background ${row.id} failed: ${storageErrorCode(error)}`);
    throw new AppError("storage_unavailable", "The image cannot be read just now. Please try again in a moment.");
  });
  if (!object) {
    console.error(`[backgrounds] background ${row.id} has a row but no bytes in the storage`);
    throw notFound();
  }
  return { contentType: row.content_type, object };
}

/** A background as the API shows it: its absolute URL on this portal (`appUrl`), its creation date in ISO 8601. */
export function virtualBackgroundView(background: Pick<Background, "alias" | "createdAt">, appUrl: string): VirtualBackground {
  return { background_alias: background.alias, url: appUrl + backgroundPath(background.alias), creation_date: background.createdAt.toISOString() };
}

export function listedBackgroundView(background: Background & { isDefault: boolean }, appUrl: string): ListedBackground {
  return { ...virtualBackgroundView(background, appUrl), is_default: background.isDefault };
}
