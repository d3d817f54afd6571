/**
 * A fake camera for the background effect's specs: a drawn person (head, hair, neck and
 * shoulders in skin and shirt colours, which MediaPipe's selfie segmentation recognises) in a
 * room whose background differs from the person everywhere: a plain wall and floor, and a
 * high-contrast checked panel that a blur visibly smooths. Chromium plays it as the camera with
 * `--use-file-for-fake-video-capture` (a Y4M file: a header, then raw I420 frames), made here
 * with sharp: no video tools, nothing fetched.
 */
import { writeFile } from "node:fs/promises";
import sharp from "sharp";

export const CAMERA_WIDTH = 640;
export const CAMERA_HEIGHT = 480;

export type Rgb = readonly [number, number, number];

/** Points of the picture, as fractions of its width and height (the call may send it smaller). */
export type Point = { x: number; y: number };

export const WALL: Rgb = [216, 210, 192];
export const FLOOR: Rgb = [159, 183, 160];
export const SHIRT: Rgb = [40, 74, 130];
export const SHIRT_CHECK: Rgb = [150, 180, 230];

/** Where to look in the picture. */
export const SCENE = {
  wall: { x: 0.86, y: 0.36 },
  floor: { x: 0.12, y: 0.64 },
  floorRight: { x: 0.9, y: 0.8 },
  face: { x: 0.5, y: 0.47 },
  /** The checked panel on the wall: 6 × 6 squares, black and white, top left. */
  panel: { x0: 24 / 640, y0: 40 / 480, x1: 168 / 640, y1: 184 / 480 },
  /** The person's checked shirt: sharp whenever the person is, blur or not. */
  shirt: { x0: 272 / 640, y0: 384 / 480, x1: 368 / 640, y1: 456 / 480 },
} as const;

function sceneSvg(): string {
  const squares: string[] = [];
  for (let row = 0; row < 6; row++) {
    for (let column = 0; column < 6; column++) {
      if ((row + column) % 2 === 0) squares.push(`<rect x="${24 + column * 24}" y="${40 + row * 24}" width="24" height="24" fill="#141414"/>`);
    }
  }
  const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  const shirtChecks: string[] = [];
  for (let row = 0; row < 4; row++) {
    for (let column = 0; column < 5; column++) {
      if ((row + column) % 2 === 0) shirtChecks.push(`<rect x="${260 + column * 24}" y="${372 + row * 24}" width="24" height="24" fill="${hex(SHIRT_CHECK)}"/>`);
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480" viewBox="0 0 640 480">
  <defs><radialGradient id="skin" cx="45%" cy="40%" r="60%"><stop offset="0" stop-color="#f1c7a5"/><stop offset="1" stop-color="#c98e6b"/></radialGradient></defs>
  <rect width="640" height="480" fill="${hex(FLOOR)}"/>
  <rect width="640" height="210" fill="${hex(WALL)}"/>
  <rect x="24" y="40" width="144" height="144" fill="#f4f4f4"/>
  ${squares.join("")}
  <rect x="480" y="40" width="110" height="70" fill="#e8e8f0" stroke="#555" stroke-width="6"/>
  <path d="M120 480 C130 380 200 340 270 330 L370 330 C440 340 510 380 520 480 Z" fill="${hex(SHIRT)}"/>
  ${shirtChecks.join("")}
  <rect x="290" y="270" width="60" height="70" fill="#d9a582"/>
  <ellipse cx="320" cy="200" rx="75" ry="95" fill="url(#skin)"/>
  <path d="M245 190 C240 100 300 90 320 95 C350 90 400 100 395 190 C385 140 360 125 320 125 C280 125 255 140 245 190Z" fill="#3a2618"/>
  <ellipse cx="292" cy="195" rx="11" ry="6" fill="#fff"/><circle cx="292" cy="195" r="5" fill="#3b2a1a"/>
  <ellipse cx="348" cy="195" rx="11" ry="6" fill="#fff"/><circle cx="348" cy="195" r="5" fill="#3b2a1a"/>
  <path d="M278 180 q14 -8 28 0" stroke="#3a2618" stroke-width="4" fill="none"/><path d="M334 180 q14 -8 28 0" stroke="#3a2618" stroke-width="4" fill="none"/>
  <path d="M320 200 L312 235 L328 235" stroke="#b07a5a" stroke-width="3" fill="none"/>
  <path d="M298 255 Q320 270 342 255" stroke="#9b4b4b" stroke-width="5" fill="none"/>
  <ellipse cx="245" cy="205" rx="8" ry="16" fill="#d39c7a"/><ellipse cx="395" cy="205" rx="8" ry="16" fill="#d39c7a"/>
</svg>`;
}

/** BT.601 (limited range), what Chromium assumes for a Y4M file's frames. */
function toI420(rgb: Buffer, width: number, height: number): Buffer {
  const y = Buffer.alloc(width * height);
  const u = Buffer.alloc((width / 2) * (height / 2));
  const v = Buffer.alloc((width / 2) * (height / 2));
  const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const i = (row * width + column) * 3;
      const [r, g, b] = [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
      y[row * width + column] = clamp(16 + 0.257 * r + 0.504 * g + 0.098 * b);
    }
  }
  for (let row = 0; row < height; row += 2) {
    for (let column = 0; column < width; column += 2) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const i = ((row + dy) * width + column + dx) * 3;
        r += rgb[i]!;
        g += rgb[i + 1]!;
        b += rgb[i + 2]!;
      }
      [r, g, b] = [r / 4, g / 4, b / 4];
      const at = (row / 2) * (width / 2) + column / 2;
      u[at] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      v[at] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return Buffer.concat([y, u, v]);
}

/** Writes the person-in-a-room camera to `file` (a few identical frames; Chromium loops them) and a PNG of it beside. */
export async function writePersonCamera(file: string): Promise<{ file: string; png: string }> {
  const image = sharp(Buffer.from(sceneSvg()));
  const png = file.replace(/\.y4m$/, ".png");
  await image.clone().png().toFile(png);
  const rgb = await image.removeAlpha().raw().toBuffer();
  const frame = toI420(rgb, CAMERA_WIDTH, CAMERA_HEIGHT);
  const header = Buffer.from(`YUV4MPEG2 W${CAMERA_WIDTH} H${CAMERA_HEIGHT} F30:1 Ip A1:1 C420\n`);
  const frames: Buffer[] = [header];
  for (let i = 0; i < 3; i++) frames.push(Buffer.from("FRAME\n"), frame);
  await writeFile(file, Buffer.concat(frames));
  return { file, png };
}

/** The clinic's background for the specs: orange on the left half, blue on the right, nothing like the room. */
export const IMAGE_LEFT: Rgb = [235, 120, 20];
export const IMAGE_RIGHT: Rgb = [25, 110, 235];

export async function clinicBackgroundPng(): Promise<Buffer> {
  const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="320" height="480" fill="${hex(IMAGE_LEFT)}"/><rect x="320" width="320" height="480" fill="${hex(IMAGE_RIGHT)}"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
