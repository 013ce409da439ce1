import fs from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";

/**
 * Draws the app's icons into public/ from one geometry (also written as public/icon.svg): a dark
 * rounded square holding three lines of a log and a green dot, the live end of it. Run it again
 * after changing the shapes: `node --import ./scripts/node-hooks.mjs scripts/draw-icons.ts`. No image library: the
 * shapes are simple enough to rasterise here (4×4 samples per pixel) and write as PNG.
 */

type TRgba = [number, number, number, number];
type TShape = { inside(x: number, y: number): boolean; color: TRgba };

const UNIT = 512;
const hex = (value: string): TRgba => [parseInt(value.slice(1, 3), 16), parseInt(value.slice(3, 5), 16), parseInt(value.slice(5, 7), 16), 255];

function roundedRect(x: number, y: number, width: number, height: number, radius: number, color: string): TShape & { svg: string } {
  return {
    color: hex(color),
    svg: `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="${radius}" fill="${color}"/>`,
    inside(px, py) {
      if (px < x || px > x + width || py < y || py > y + height) return false;
      const cx = Math.min(Math.max(px, x + radius), x + width - radius);
      const cy = Math.min(Math.max(py, y + radius), y + height - radius);
      return (px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2;
    },
  };
}

function circle(cx: number, cy: number, r: number, color: string): TShape & { svg: string } {
  return { color: hex(color), svg: `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${color}"/>`, inside: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r ** 2 };
}

const SHAPES = [
  roundedRect(0, 0, 512, 512, 112, "#18181b"),
  roundedRect(112, 136, 288, 56, 28, "#fafafa"),
  roundedRect(112, 228, 224, 56, 28, "#fafafa"),
  roundedRect(112, 320, 160, 56, 28, "#fafafa"),
  circle(352, 348, 40, "#34d399"),
];

function rasterise(size: number): Buffer {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const ux = ((x + (sx + 0.5) / samples) / size) * UNIT;
          const uy = ((y + (sy + 0.5) / samples) / size) * UNIT;
          const top = [...SHAPES].reverse().find((shape) => shape.inside(ux, uy));
          if (!top) continue;
          for (let c = 0; c < 3; c++) sum[c]! += top.color[c]! * 255;
          sum[3]! += 255;
        }
      }
      const n = samples * samples;
      const alpha = sum[3]! / n;
      const at = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) pixels[at + c] = alpha === 0 ? 0 : Math.round(sum[c]! / n / alpha);
      pixels[at + 3] = Math.round(alpha);
    }
  }
  return png(size, pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4); // filter 0 per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

/** An .ico holding PNG images (supported by every browser that asks for /favicon.ico). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.data)]);
}

const out = path.resolve("public");
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, "icon.svg"), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${UNIT} ${UNIT}">${SHAPES.map((s) => s.svg).join("")}</svg>\n`);
fs.writeFileSync(path.join(out, "favicon.ico"), ico([16, 32, 48].map((size) => ({ size, data: rasterise(size) }))));
fs.writeFileSync(path.join(out, "apple-touch-icon.png"), rasterise(180));
fs.writeFileSync(path.join(out, "icon-192.png"), rasterise(192));
fs.writeFileSync(path.join(out, "icon-512.png"), rasterise(512));
process.stdout.write("wrote public/icon.svg, favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png\n");
