/**
 * A real S3-compatible server on this machine for the tests: s3rver (an S3 API implementation
 * in Node, keeping objects on disk) on a random loopback port, spoken to by the real AWS SDK.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { S3Storage } from "@/lib/storage";

export type LocalS3 = {
  endpoint: string;
  bucket: string;
  storage: (bucket?: string) => S3Storage;
  /** Stops the server (requests then fail as with a store that is down) … */
  stop: () => Promise<void>;
  /** … and starts it again on the same port with the same objects. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startLocalS3(bucket = "chat-files-test"): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "telemed-s3-"));
  const make = (port: number) => new S3rver({ address: "127.0.0.1", port, silent: true, directory, configureBuckets: [{ name: bucket }] });
  let server = make(0);
  const { port } = await server.run();
  let running = true;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    // s3rver's own well-known credentials.
    storage: (name = bucket) => new S3Storage({ bucket: name, endpoint, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } }),
    stop: async () => {
      if (running) await server.close();
      running = false;
    },
    restart: async () => {
      if (running) return;
      server = make(port);
      await server.run();
      running = true;
    },
    close: async () => {
      if (running) await server.close();
      running = false;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
