import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasSegmenterMetadata, withSegmenterMetadata } from "./segmenter-model";

/** The model the npm package ships, as the route reads it. */
const shipped = new Uint8Array(readFileSync(path.join(process.cwd(), "node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite")));

/** Just enough of a flatbuffer reader to walk the result the way TFLite and MediaPipe do. */
function reader(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  const field = (table: number, id: number): number | null => {
    const vtable = table - view.getInt32(table, true);
    if (4 + 2 * id >= view.getUint16(vtable, true)) return null;
    const offset = view.getUint16(vtable + 4 + 2 * id, true);
    return offset === 0 ? null : table + offset;
  };
  const deref = (at: number) => at + u32(at);
  const ref = (table: number, id: number) => deref(field(table, id)!);
  const vector = (at: number) => Array.from({ length: u32(at) }, (_, i) => at + 4 + 4 * i);
  const tables = (at: number) => vector(at).map(deref);
  const string = (at: number) => new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + u32(at)));
  const floats = (at: number) => vector(at).map((p) => view.getFloat32(p, true));
  return { view, u32, field, ref, tables, string, floats, root: u32(0) };
}

describe("the segmentation model with its metadata", () => {
  const model = withSegmenterMetadata(shipped);
  const r = reader(model);

  it("keeps the package's model byte for byte, at a 16-byte boundary (TFLite's alignment for its buffers)", () => {
    const start = model.length - shipped.length;
    expect(start % 16).toBe(0);
    expect(Buffer.from(model.subarray(start)).equals(Buffer.from(shipped))).toBe(true);
    expect(new TextDecoder().decode(model.subarray(4, 8))).toBe("TFL3");
  });

  it("points its new root at the model's own operators, subgraphs and buffers, with one buffer more", () => {
    const old = reader(shipped);
    const start = model.length - shipped.length;
    for (const id of [1, 2]) expect(r.ref(r.root, id)).toBe(start + old.ref(old.root, id));
    expect(r.u32(r.field(r.root, 0)!)).toBe(old.u32(old.field(old.root, 0)!)); // schema version
    const oldBuffers = old.tables(old.ref(old.root, 4)).map((p) => start + p);
    const buffers = r.tables(r.ref(r.root, 4));
    expect(buffers.slice(0, -1)).toEqual(oldBuffers);
    expect(buffers).toHaveLength(oldBuffers.length + 1);
  });

  it("names a TFLITE_METADATA buffer saying the input is an RGB image scaled from 0–255 to 0–1", () => {
    expect(hasSegmenterMetadata(model)).toBe(true);
    expect(hasSegmenterMetadata(shipped)).toBe(false);
    const entry = r.tables(r.ref(r.root, 6)).find((e) => r.string(r.ref(e, 0)) === "TFLITE_METADATA")!;
    const buffer = r.tables(r.ref(r.root, 4))[r.u32(r.field(entry, 1)!)]!;
    const dataAt = r.ref(buffer, 0);
    expect((dataAt + 4) % 16).toBe(0);
    const metadata = model.subarray(dataAt + 4, dataAt + 4 + r.u32(dataAt));
    const m = reader(metadata);
    expect(new TextDecoder().decode(metadata.subarray(4, 8))).toBe("M001");
    expect(m.string(m.ref(m.root, 7))).toBe("1.0.0"); // min_parser_version
    const subgraph = m.tables(m.ref(m.root, 3))[0]!;
    const input = m.tables(m.ref(subgraph, 2))[0]!;
    const content = m.ref(input, 3);
    expect(m.view.getUint8(m.field(content, 0)!)).toBe(2); // ImageProperties
    expect(m.view.getUint8(m.field(m.ref(content, 1), 0)!)).toBe(1); // RGB
    const unit = m.tables(m.ref(input, 4))[0]!;
    expect(m.view.getUint8(m.field(unit, 0)!)).toBe(1); // NormalizationOptions
    const normalization = m.ref(unit, 1);
    expect(m.floats(m.ref(normalization, 0))).toEqual([0]);
    expect(m.floats(m.ref(normalization, 1))).toEqual([255]);
    expect(m.tables(m.ref(subgraph, 3))).toHaveLength(1); // one output: the mask
  });

  it("leaves a model that already has metadata as it is, and refuses bytes that are not a TFLite model", () => {
    expect(withSegmenterMetadata(model)).toBe(model);
    const notAModel = new Uint8Array(64);
    notAModel.set([16, 0, 0, 0]);
    expect(() => withSegmenterMetadata(notAModel)).toThrow();
  });
});
