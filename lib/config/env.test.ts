import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";
import { resolveAppSecret } from "./secret";
import { storageConfigOf } from "./storage";

describe("environment validation", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ DATA_DIR: ".data", EMBEDDED_POSTGRES_PORT: 54329, API_RATE_LIMIT_PER_HOUR: 1000, PORT: 3000 });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", APP_SECRET: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names each bad variable in one clear message", () => {
    try {
      parseEnv({ DATABASE_URL: "mysql://x", API_RATE_LIMIT_PER_HOUR: "many", APP_SECRET: "short", SEED_DEMO: "yes" });
      throw new Error("expected a ConfigError");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ["DATABASE_URL", "API_RATE_LIMIT_PER_HOUR", "APP_SECRET", "SEED_DEMO"]) expect(message).toContain(name);
      expect(message).toContain("at least 32 characters");
    }
  });

  it("checks the video room's ICE settings: TURN needs its secret, URLs need a stun/turn scheme", () => {
    expect(parseEnv({})).toMatchObject({ JOIN_OPENS_MINUTES_BEFORE: 15, WEBRTC_ICE_TRANSPORT_POLICY: "all", ROOM_RECONNECT_GRACE_SECONDS: 40 });
    expect(() => parseEnv({ TURN_URLS: "turn:turn.example.org:3478" })).toThrow(/TURN_SECRET: is required when TURN_URLS is set/);
    expect(() => parseEnv({ STUN_URLS: "stun:ok.example.org,https://not-stun.example.org" })).toThrow(/STUN_URLS: "https:\/\/not-stun.example.org" is not/);
    expect(() => parseEnv({ WEBRTC_ICE_TRANSPORT_POLICY: "none" })).toThrow(/WEBRTC_ICE_TRANSPORT_POLICY/);
    const ok = parseEnv({ TURN_URLS: "turn:a.example.org:3478?transport=udp, turns:a.example.org:5349", TURN_SECRET: "0123456789abcdef0123" });
    expect(ok.TURN_URLS).toContain("turns:");
  });

  it("keeps files on the disk under DATA_DIR, or in an S3-compatible bucket when one is named", () => {
    expect(storageConfigOf(parseEnv({ DATA_DIR: "/var/lib/telemed" }))).toEqual({ kind: "disk", directory: "/var/lib/telemed/files" });
    expect(parseEnv({}).TELECONSULTATION_DELETE_UPLOADS).toBe(false);
    expect(parseEnv({ TELECONSULTATION_DELETE_UPLOADS: "true" }).TELECONSULTATION_DELETE_UPLOADS).toBe(true);
    expect(storageConfigOf(parseEnv({ STORAGE_S3_BUCKET: "clinic-files" }))).toEqual({
      kind: "s3",
      bucket: "clinic-files",
      endpoint: undefined,
      region: "us-east-1",
      forcePathStyle: false,
      credentials: undefined,
    });
    const minio = parseEnv({
      STORAGE_S3_BUCKET: "chat.files-1",
      STORAGE_S3_ENDPOINT: "http://127.0.0.1:9000",
      STORAGE_S3_REGION: "eu-west-3",
      STORAGE_S3_ACCESS_KEY_ID: "minio",
      STORAGE_S3_SECRET_ACCESS_KEY: "minio-secret",
      STORAGE_S3_FORCE_PATH_STYLE: "true",
    });
    expect(storageConfigOf(minio)).toMatchObject({ endpoint: "http://127.0.0.1:9000", region: "eu-west-3", forcePathStyle: true, credentials: { accessKeyId: "minio", secretAccessKey: "minio-secret" } });
    expect(() => parseEnv({ STORAGE_S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(/STORAGE_S3_BUCKET: required when other STORAGE_S3_\* settings are given/);
    expect(() => parseEnv({ STORAGE_S3_BUCKET: "files", STORAGE_S3_ACCESS_KEY_ID: "only-the-id" })).toThrow(/set both, or neither/);
    expect(() => parseEnv({ STORAGE_S3_BUCKET: "Files_Of_Clinic" })).toThrow(/STORAGE_S3_BUCKET: must be an S3 bucket name/);
    expect(() => parseEnv({ STORAGE_S3_BUCKET: "files", STORAGE_S3_ENDPOINT: "ftp://files.example" })).toThrow(/STORAGE_S3_ENDPOINT/);
    expect(() => parseEnv({ STORAGE_S3_BUCKET: "files", STORAGE_S3_FORCE_PATH_STYLE: "yes" })).toThrow(/STORAGE_S3_FORCE_PATH_STYLE/);
  });

  it("accepts postgres and postgresql URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u:p@db:5432/app" }).DATABASE_URL).toBe("postgresql://u:p@db:5432/app");
    expect(parseEnv({ DATABASE_URL: "postgres://u@localhost/app" }).DATABASE_URL).toBe("postgres://u@localhost/app");
  });
});

describe("the app secret", () => {
  it("is generated once in DATA_DIR for the embedded default, readable only by the owner", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "telemed-secret-"));
    const env = parseEnv({ DATA_DIR: dir });
    const first = resolveAppSecret(env);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAppSecret(env)).toBe(first);
    expect(readFileSync(path.join(dir, "app-secret"), "utf8").trim()).toBe(first);
    expect(statSync(path.join(dir, "app-secret")).mode & 0o077).toBe(0);
  });

  it("is required in production with a real database", () => {
    expect(() => resolveAppSecret(parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://db/app" }))).toThrow(/APP_SECRET/);
  });
});
