// PDF documents with Chinese and English text, set in Noto Sans SC from an npm package (nothing
// depends on the machine's fonts), each character from the font's unicode-range subset that has it,
// rare characters included.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Fontkit from 'fontkit';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json')), 'files');

interface Subset {
  name: string;
  data: Buffer;
  has: (cp: number) => boolean;
}
const subsets = new Map<400 | 700, Subset[]>();
/**
 * The font's small unicode-range subsets of a weight (Latin first), each with the characters it
 * covers; read once. Small files keep embedding fast (the one-file Chinese subset takes seconds).
 */
function subsetsOf(fontkit: typeof Fontkit, weight: 400 | 700): Subset[] {
  let list = subsets.get(weight);
  if (list) return list;
  const pattern = new RegExp(`^noto-sans-sc-(latin|latin-ext|\\d+)-${weight}-normal\\.woff$`);
  const files = fs
    .readdirSync(fontDir)
    .filter((f) => pattern.test(f))
    .sort((a, b) => Number(!a.includes('latin')) - Number(!b.includes('latin')));
  list = files.flatMap((name) => {
    try {
      const data = fs.readFileSync(path.join(fontDir, name));
      const font = fontkit.create(data) as Fontkit.Font;
      font.hasGlyphForCodePoint(0x41); // fontkit reads the character map lazily: fail here, not while writing
      return [{ name, data, has: (cp: number) => font.hasGlyphForCodePoint(cp) }];
    } catch {
      return [];
    }
  });
  subsets.set(weight, list);
  return list;
}

/** Splits text into runs that one subset can set. */
function runs(fontkit: typeof Fontkit, text: string, weight: 400 | 700): { font: Subset; text: string }[] {
  const out: { font: Subset; text: string }[] = [];
  const list = subsetsOf(fontkit, weight);
  for (const ch of text) {
    const font = list.find((s) => s.has(ch.codePointAt(0)!)) ?? list[0]!;
    const last = out[out.length - 1];
    if (last?.font === font) last.text += ch;
    else out.push({ font, text: ch });
  }
  return out;
}

export interface TextOptions {
  bold?: boolean;
  color?: string;
  /** Lines of space after the text. */
  gap?: number;
  /** pdfkit's text options (width, align, …) for the whole text. */
  layout?: PDFKit.Mixins.TextOptions;
}

/** An A4 document, a `write` that sets mixed Chinese and English text, and the finished bytes once `doc.end()` is called. */
export async function pdfDocument(info: { Title: string }) {
  // loaded when first needed: with the fonts they are a good part of a start
  const [{ default: PDFDocument }, fontkit] = await Promise.all([import('pdfkit'), import('fontkit')]);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { ...info, Creator: 'Credit Bank 学分银行' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const registered = new Set<string>();
  const write = (text: string, size: number, o: TextOptions = {}) => {
    doc.fontSize(size).fillColor(o.color ?? '#1f1f1f');
    const parts = runs(fontkit, text, o.bold ? 700 : 400);
    parts.forEach((r, i) => {
      if (!registered.has(r.font.name)) doc.registerFont(r.font.name, r.font.data);
      registered.add(r.font.name);
      doc.font(r.font.name).text(r.text, { ...o.layout, continued: i < parts.length - 1 });
    });
    if (o.gap) doc.moveDown(o.gap);
  };
  return { doc, write, done };
}
