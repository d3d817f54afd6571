/**
 * The person-segmentation model the background effects run, made from the one the
 * `@mediapipe/selfie_segmentation` package ships.
 *
 * MediaPipe's current segmenter (`@mediapipe/tasks-vision`, which `@livekit/track-processors`
 * drives) reads how to scale an image's pixels for a model from the model's TFLite metadata, and
 * refuses a float model without it. The package's `selfie_segmentation.tflite` is the same network
 * as Google's `selfie_segmenter.tflite` (input 256×256 RGB in [0, 1], one output channel: how
 * likely each pixel is the person) but was made for the older pipeline, which knew that scaling by
 * itself, so it carries no metadata. `withSegmenterMetadata` adds it: the model's own flatbuffer,
 * untouched, behind a new root table that lists its old fields plus the metadata. Nothing is
 * fetched: the package's file is read, this runs once, and the app serves the result.
 */

/** TFLite's name for the metadata buffer (tflite-support's metadata_schema.fbs). */
const METADATA_NAME = "TFLITE_METADATA";

/** A value laid out into the flatbuffer: a table, a vector, a string, or a place in the model's own bytes. */
type Node =
  | { kind: "table"; fields: (Field | undefined)[] }
  | { kind: "offsets"; items: Node[] }
  | { kind: "floats"; items: number[] }
  | { kind: "bytes"; data: Uint8Array; align: number }
  | { kind: "string"; text: string }
  | { kind: "existing"; position: number };

type Field = { kind: "u8"; value: number } | { kind: "u32"; value: number } | { kind: "ref"; node: Node };

const u8 = (value: number): Field => ({ kind: "u8", value });
const u32 = (value: number): Field => ({ kind: "u32", value });
const ref = (node: Node): Field => ({ kind: "ref", node });
const table = (...fields: (Field | undefined)[]): Node => ({ kind: "table", fields });
const text = (value: string): Node => ({ kind: "string", text: value });
const offsets = (items: Node[]): Node => ({ kind: "offsets", items });
const floats = (items: number[]): Node => ({ kind: "floats", items });

/**
 * Writes nodes front to back, each child after whatever points at it (flatbuffer offsets point
 * forward), and patches every reference once its target has a place. A reference into the
 * model's own bytes is patched at the end, when we know where those bytes start.
 */
class Writer {
  private buffer = new Uint8Array(4096);
  private view = new DataView(this.buffer.buffer);
  length = 0;
  /** References waiting for a place: the position of the 32-bit offset, and what it points at. */
  private pending: { at: number; node: Node }[] = [];
  readonly existing: { at: number; position: number }[] = [];

  private ensure(extra: number) {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer);
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  /** Pads so that `length + ahead` is a multiple of `alignment`. */
  pad(alignment: number, ahead = 0) {
    while ((this.length + ahead) % alignment !== 0) this.putU8(0);
  }

  putU8(value: number) {
    this.ensure(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }

  putU16(value: number) {
    this.ensure(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }

  putU32(value: number) {
    this.ensure(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  putBytes(data: Uint8Array) {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  setU32(at: number, value: number) {
    this.view.setUint32(at, value, true);
  }

  setI32(at: number, value: number) {
    this.view.setInt32(at, value, true);
  }

  /** A 32-bit offset to `node`, filled in when the node is written. */
  putRef(node: Node) {
    this.pad(4);
    if (node.kind === "existing") this.existing.push({ at: this.length, position: node.position });
    else this.pending.push({ at: this.length, node });
    this.putU32(0);
  }

  /** Writes every node referenced so far (and what they reference), breadth first. */
  flush() {
    while (this.pending.length > 0) {
      const { at, node } = this.pending.shift()!;
      const position = this.write(node);
      this.setU32(at, position - at);
    }
  }

  /** Writes one node (its children are queued) and returns where a reference to it points. */
  write(node: Node): number {
    switch (node.kind) {
      case "table": {
        // The vtable first: its size, the table's size, then each field's place in the table.
        const layout: { field: Field; offset: number }[] = [];
        let size = 4; // the table starts with the signed offset back to its vtable
        for (const field of node.fields) {
          if (!field) continue;
          const width = field.kind === "u8" ? 1 : 4;
          size = Math.ceil(size / width) * width;
          layout.push({ field, offset: size });
          size += width;
        }
        this.pad(2);
        const vtable = this.length;
        this.putU16(4 + 2 * node.fields.length);
        this.putU16(size);
        let i = 0;
        for (const field of node.fields) this.putU16(field ? layout[i++]!.offset : 0);
        this.pad(4);
        const start = this.length;
        this.putU32(0);
        this.setI32(start, start - vtable);
        for (const { field, offset } of layout) {
          this.pad(1, 0);
          while (this.length < start + offset) this.putU8(0);
          if (field.kind === "u8") this.putU8(field.value);
          else if (field.kind === "u32") this.putU32(field.value);
          else this.putRef(field.node);
        }
        this.pad(4);
        return start;
      }
      case "offsets": {
        this.pad(4);
        const start = this.length;
        this.putU32(node.items.length);
        for (const item of node.items) this.putRef(item);
        return start;
      }
      case "floats": {
        this.pad(4);
        const start = this.length;
        this.putU32(node.items.length);
        for (const item of node.items) {
          this.ensure(4);
          this.view.setFloat32(this.length, item, true);
          this.length += 4;
        }
        return start;
      }
      case "bytes": {
        // The length sits just before the data; the data itself is what must be aligned.
        this.pad(node.align, 4);
        const start = this.length;
        this.putU32(node.data.length);
        this.putBytes(node.data);
        return start;
      }
      case "string": {
        this.pad(4);
        const start = this.length;
        const bytes = new TextEncoder().encode(node.text);
        this.putU32(bytes.length);
        this.putBytes(bytes);
        this.putU8(0);
        return start;
      }
      case "existing":
        throw new Error("an existing position is referenced, never written");
    }
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

/** A flatbuffer as the reader sees it: a table's fields and vectors, by absolute position. */
class Reader {
  private view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u32(at: number) {
    return this.view.getUint32(at, true);
  }

  root() {
    return this.u32(0);
  }

  /** Where field `id` of the table at `tablePosition` is stored, or null when absent. */
  field(tablePosition: number, id: number): number | null {
    const vtable = tablePosition - this.view.getInt32(tablePosition, true);
    const vtableSize = this.view.getUint16(vtable, true);
    if (4 + 2 * id >= vtableSize) return null;
    const offset = this.view.getUint16(vtable + 4 + 2 * id, true);
    return offset === 0 ? null : tablePosition + offset;
  }

  /** The position an offset field points at. */
  deref(at: number) {
    return at + this.u32(at);
  }

  /** The positions of a vector of tables' entries. */
  tables(vectorPosition: number): number[] {
    const count = this.u32(vectorPosition);
    return Array.from({ length: count }, (_, i) => this.deref(vectorPosition + 4 + 4 * i));
  }

  string(position: number): string {
    const length = this.u32(position);
    return new TextDecoder().decode(this.bytes.subarray(position + 4, position + 4 + length));
  }
}

/** The metadata: one input image (RGB, pixels scaled to [0, 1]) and one output mask. */
function segmenterMetadata(): Uint8Array {
  const imageProperties = (colorSpace: number) => table(u8(colorSpace));
  const content = (colorSpace: number) => table(u8(2 /* ImageProperties */), ref(imageProperties(colorSpace)));
  const normalization = table(ref(floats([0])), ref(floats([255])));
  const input = table(
    ref(text("image")),
    ref(text("The camera frame, RGB, scaled to [0, 1].")),
    undefined,
    ref(content(1 /* RGB */)),
    ref(offsets([table(u8(1 /* NormalizationOptions */), ref(normalization))])),
    ref(table(ref(floats([1])), ref(floats([0])))),
  );
  const output = table(ref(text("segmentation")), ref(text("How likely each pixel is the person, 0 to 1.")), undefined, ref(content(2 /* GRAYSCALE */)));
  const subgraph = table(ref(text("selfie segmentation")), undefined, ref(offsets([input])), ref(offsets([output])));
  const model = table(
    ref(text("Selfie Segmentation")),
    ref(text("Separates a person from the background (MediaPipe selfie segmentation, general model).")),
    ref(text("v1")),
    ref(offsets([subgraph])),
    ref(text("Google")),
    ref(text("Apache License, Version 2.0")),
    undefined,
    ref(text("1.0.0")),
  );

  const writer = new Writer();
  writer.putU32(0); // root offset
  writer.putBytes(new TextEncoder().encode("M001"));
  const root = writer.write(model);
  writer.setU32(0, root);
  writer.flush();
  return writer.bytes().slice();
}

/** Field ids of TFLite's Model table (tensorflow/lite/schema/schema.fbs). */
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 } as const;

/** True when the model already names a metadata buffer (then it is served as it is). */
export function hasSegmenterMetadata(model: Uint8Array): boolean {
  const reader = new Reader(model);
  const metadata = reader.field(reader.root(), MODEL.metadata);
  if (metadata === null) return false;
  return reader.tables(reader.deref(metadata)).some((entry) => {
    const name = reader.field(entry, 0);
    return name !== null && reader.string(reader.deref(name)) === METADATA_NAME;
  });
}

/**
 * The model with TFLite metadata saying how to feed it an image. The original bytes follow a new
 * header and root table unchanged (at a 16-byte boundary, so their buffers keep the alignment
 * TFLite asks for); the new root lists the original's fields, one more buffer holding the
 * metadata, and a `TFLITE_METADATA` entry naming that buffer.
 */
export function withSegmenterMetadata(model: Uint8Array): Uint8Array {
  if (hasSegmenterMetadata(model)) return model;
  const reader = new Reader(model);
  if (new TextDecoder().decode(model.subarray(4, 8)) !== "TFL3") throw new Error("not a TFLite model");
  const root = reader.root();
  const existing = (id: number): Field | undefined => {
    const at = reader.field(root, id);
    return at === null ? undefined : ref({ kind: "existing", position: reader.deref(at) });
  };
  const existingTables = (id: number): Node[] => {
    const at = reader.field(root, id);
    return at === null ? [] : reader.tables(reader.deref(at)).map((position) => ({ kind: "existing", position }));
  };
  const versionAt = reader.field(root, MODEL.version);

  const buffers = existingTables(MODEL.buffers);
  const metadataBuffer = table(ref({ kind: "bytes", data: segmenterMetadata(), align: 16 }));
  const metadataEntry = table(ref(text(METADATA_NAME)), u32(buffers.length));
  const newRoot = table(
    versionAt === null ? undefined : u32(reader.u32(versionAt)),
    existing(MODEL.operatorCodes),
    existing(MODEL.subgraphs),
    existing(MODEL.description),
    ref(offsets([...buffers, metadataBuffer])),
    existing(MODEL.metadataBuffer),
    ref(offsets([...existingTables(MODEL.metadata), metadataEntry])),
    existing(MODEL.signatureDefs),
  );

  const writer = new Writer();
  writer.putU32(0);
  writer.putBytes(new TextEncoder().encode("TFL3"));
  const rootPosition = writer.write(newRoot);
  writer.setU32(0, rootPosition);
  writer.flush();
  writer.pad(16);
  const start = writer.length;
  for (const { at, position } of writer.existing) writer.setU32(at, start + position - at);
  writer.putBytes(model);
  return writer.bytes().slice();
}
