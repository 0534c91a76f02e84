// Draws the extension icon (images/icon.png, 128×128): an amber opening quotation mark and a white
// "@" on a dark blue rounded square. Pure Node: shapes are tested per sample (4×4 per pixel for
// anti-aliasing) and the pixels are encoded as a PNG with node:zlib. Run: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const BACKGROUND = [0x1b, 0x3a, 0x5c];
const QUOTE = [0xf2, 0xb1, 0x34];
const AT = [0xff, 0xff, 0xff];

// --- shapes: (x, y) → inside? -------------------------------------------------------------------
const hypot = Math.hypot;

function roundedSquare(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), SIZE - radius);
  const cy = Math.min(Math.max(y, radius), SIZE - radius);
  return hypot(x - cx, y - cy) <= radius;
}

/** Triangle test by the signs of the three edge functions. */
function inTriangle(x, y, [ax, ay], [bx, by], [cx, cy]) {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
}

/** One "6"-shaped comma of an opening quotation mark: a round blob with a tail curling up-right. */
function quoteGlyph(x, y, cx, cy, r) {
  if (hypot(x - cx, y - cy) <= r) return true;
  // The tail: a crescent between two circles, above the blob's centre line.
  if (y > cy) return false;
  const outer = hypot(x - (cx + 1.35 * r), y - (cy + 0.1 * r)) <= 2.35 * r;
  const inner = hypot(x - (cx + 1.75 * r), y - (cy + 0.45 * r)) <= 2.05 * r;
  return outer && !inner && y >= cy - 2.25 * r && x <= cx + 1.6 * r;
}

function quotationMark(x, y) {
  const r = 11;
  return quoteGlyph(x, y, 28, 42, r) || quoteGlyph(x, y, 55, 42, r);
}

/** An "@": inner ring with its stem, a hook into the outer ring, which stops short at lower right. */
function atSign(x, y) {
  const cx = 78;
  const cy = 80;
  const outerR = 32;
  const innerR = 12;
  const stroke = 7.5;
  const dx = x - cx;
  const dy = y - cy;
  const d = hypot(dx, dy);
  const half = stroke / 2;
  const inner = Math.abs(d - innerR) <= half;
  const stemX = cx + innerR;
  const stem = Math.abs(x - stemX) <= half && y >= cy - innerR - half && y <= cy + 4;
  const hookR = (outerR - innerR) / 2;
  const hookCx = cx + innerR + hookR;
  const hookCy = cy + 4;
  const hook = y >= hookCy && Math.abs(hypot(x - hookCx, y - hookCy) - hookR) <= half;
  const angle = (Math.atan2(dy, dx) * 180) / Math.PI; // y grows downwards: 90° is straight down
  const outer = Math.abs(d - outerR) <= half && !(angle > 8 && angle < 52);
  const outerJoin = Math.abs(d - outerR) <= half && y <= hookCy + 0.5 && x > cx; // meets the hook
  return inner || stem || hook || outer || outerJoin;
}

// --- raster ---------------------------------------------------------------------------------------
function render() {
  const rgba = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          if (!roundedSquare(x, y, 22)) continue;
          const color = atSign(x, y) ? AT : quotationMark(x, y) ? QUOTE : BACKGROUND;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const o = (py * SIZE + px) * 4;
      if (a > 0) {
        rgba[o] = Math.round(r / a);
        rgba[o + 1] = Math.round(g / a);
        rgba[o + 2] = Math.round(b / a);
      }
      rgba[o + 3] = Math.round((255 * a) / (SAMPLES * SAMPLES));
    }
  }
  return rgba;
}

// --- PNG ------------------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(rgba, width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'images', 'icon.png');
mkdirSync(dirname(out), { recursive: true });
const png = encodePng(render(), SIZE, SIZE);
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
