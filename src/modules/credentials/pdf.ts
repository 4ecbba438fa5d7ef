// A credential as a printable PDF: what it states, in Chinese and English, and a QR code of the
// learner's share link, where the signed credential is checked. Text is set in Noto Sans SC from
// an npm package (nothing depends on the machine's fonts), each character from the font's
// unicode-range subset that has it, rare characters included.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Verification } from './verify.js';

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
function subsetsOf(weight: 400 | 700): Subset[] {
  let list = subsets.get(weight);
  if (list) return list;
  const pattern = new RegExp(`^noto-sans-sc-(latin|latin-ext|\\d+)-${weight}-normal\\.woff$`);
  const files = fs.readdirSync(fontDir).filter((f) => pattern.test(f)).sort((a, b) => Number(!a.includes('latin')) - Number(!b.includes('latin')));
  list = files.flatMap((name) => {
    try {
      const data = fs.readFileSync(path.join(fontDir, name));
      const font = fontkit.create(data) as fontkit.Font;
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
function runs(text: string, weight: 400 | 700): { font: Subset; text: string }[] {
  const out: { font: Subset; text: string }[] = [];
  const list = subsetsOf(weight);
  for (const ch of text) {
    const font = list.find((s) => s.has(ch.codePointAt(0)!)) ?? list[0]!;
    const last = out[out.length - 1];
    if (last?.font === font) last.text += ch;
    else out.push({ font, text: ch });
  }
  return out;
}

const STATUS_TEXT: Record<Verification['status'], [string, string]> = {
  valid: ['有效', 'Valid'],
  revoked: ['已撤销', 'Revoked'],
  suspended: ['已暂停', 'Suspended'],
  expired: ['已过期', 'Expired'],
  not_yet_valid: ['尚未生效', 'Not yet valid'],
  altered: ['内容被篡改', 'Altered'],
  unknown_issuer: ['签发者未知', 'Unknown issuer'],
  malformed: ['格式错误', 'Malformed'],
};

export interface PdfInput {
  credential: Record<string, unknown>;
  verification: Verification;
  shareUrl: string;
  shareExpires: string;
  logIndex: number | null;
}

export async function credentialPdf(p: PdfInput): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: String(p.credential.name ?? 'Credential'), Creator: 'Credit Bank 学分银行' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const registered = new Set<string>();
  const write = (text: string, size: number, o: { bold?: boolean; color?: string; gap?: number } = {}) => {
    doc.fontSize(size).fillColor(o.color ?? '#1f1f1f');
    const parts = runs(text, o.bold ? 700 : 400);
    parts.forEach((r, i) => {
      if (!registered.has(r.font.name)) doc.registerFont(r.font.name, r.font.data);
      registered.add(r.font.name);
      doc.font(r.font.name).text(r.text, { continued: i < parts.length - 1 });
    });
    if (o.gap) doc.moveDown(o.gap);
  };
  const v = p.verification;
  const a = v.achievement;
  const proof = (p.credential.proof ?? {}) as { cryptosuite?: string; verificationMethod?: string; created?: string };

  write('学分银行 · 可验证凭证  Credit Bank · Verifiable Credential', 10, { color: '#595959', gap: 0.6 });
  write(String(p.credential.name ?? a?.name ?? ''), 20, { bold: true, gap: 0.8 });
  const [zh, en] = STATUS_TEXT[v.status];
  write(`状态 Status: ${zh} ${en}（${new Date().toISOString().slice(0, 10)} 核验 checked）`, 12, { bold: true, color: v.verified ? '#237804' : '#a8071a', gap: 0.6 });
  const lines: [string, string | null | undefined][] = [
    ['持有人 Holder', v.holder.join(' / ')],
    ['颁发机构 Issuer', v.issuer.name],
    ['签发者标识 Issuer DID', v.issuer.id],
    ['类型 Type', a?.type],
    ['代码 Code', a?.code],
    ['学科领域 Field', a?.field],
    ['获得学分 Credits earned', a?.creditsEarned != null ? `${a.creditsEarned}${a.creditsAvailable != null ? ` / ${a.creditsAvailable}` : ''}` : null],
    ['成绩 Result', a?.result],
    ['学期 Term', a?.term],
    ['签发时间 Issued', v.validFrom],
    ['有效期至 Valid until', v.validUntil],
  ];
  for (const [label, value] of lines) if (value) write(`${label}: ${value}`, 11, { gap: 0.25 });
  if (v.statusChange) write(`原因 Reason: ${v.statusChange.reason}`, 11, { color: '#a8071a', gap: 0.25 });
  if (v.included) {
    doc.moveDown(0.4);
    write(`包含的凭证 Credentials included (${v.included.length})`, 11, { bold: true, gap: 0.2 });
    for (const part of v.included) write(`• ${part.name ?? '—'}  ${STATUS_TEXT[part.status].join(' ')}`, 10, { color: part.status === 'valid' ? '#1f1f1f' : '#a8071a', gap: 0.1 });
  }
  doc.moveDown(1);

  const qr = await QRCode.toBuffer(p.shareUrl, { margin: 1, width: 360, errorCorrectionLevel: 'M' });
  if (doc.y > doc.page.height - doc.page.margins.bottom - 260) doc.addPage(); // the QR block and the footer stay together
  const top = doc.y;
  doc.image(qr, doc.page.margins.left, top, { width: 130 });
  doc.x = doc.page.margins.left + 150;
  doc.y = top + 10;
  write('扫码验证 Scan to verify', 12, { bold: true, gap: 0.3 });
  write(p.shareUrl, 9, { color: '#1d39c4', gap: 0.3 });
  write(`链接有效期至 Link valid until ${p.shareExpires.slice(0, 10)}`, 9, { color: '#595959' });
  doc.x = doc.page.margins.left;
  doc.y = top + 150;

  write('本文件是凭证的打印件；以扫码所得的签名凭证为准。This PDF is a rendering of the credential: the signed credential at the link is what counts.', 8, { color: '#8c8c8c', gap: 0.3 });
  write(`凭证 Credential: ${String(p.credential.id ?? '')}`, 8, { color: '#8c8c8c' });
  write(`证明 Proof: ${[proof.cryptosuite, proof.verificationMethod, proof.created].filter(Boolean).join(', ')}`, 8, { color: '#8c8c8c' });
  if (p.logIndex !== null) write(`透明日志 Transparency log entry ${p.logIndex}`, 8, { color: '#8c8c8c' });
  doc.end();
  return done;
}
