// A credential as a printable PDF: what it states, in Chinese and English, and a QR code of the
// learner's share link, where the signed credential is checked.
import QRCode from 'qrcode';
import { pdfDocument } from '../../pdf.js';
import type { Verification } from './verify.js';

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

/** Open Badges achievement types as a reader says them. */
const TYPE_TEXT: Record<string, [string, string]> = {
  Course: ['课程', 'Course'],
  Certificate: ['证书', 'Certificate'],
  MicroCredential: ['微证书', 'Micro-credential'],
  ApprenticeshipCertificate: ['工作经历认定', 'Work experience'],
  Award: ['奖项', 'Award'],
  BachelorDegree: ['学士学位', 'Bachelor’s degree'],
  AssociateDegree: ['专科（副学士）', 'Associate degree'],
  MasterDegree: ['硕士学位', 'Master’s degree'],
  Diploma: ['专科文凭', 'Diploma'],
  Achievement: ['学习成果', 'Achievement'],
};
const typeText = (type: string | null | undefined) => (type ? (TYPE_TEXT[type]?.join(' ') ?? type) : null);

/** An instant as the reader's clock says it: "2026-12-06 01:19 (UTC+08:00)". */
export function localTime(iso: string | null | undefined, utcOffset: string): string | null {
  if (!iso) return null;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  const [h, m] = utcOffset.slice(1).split(':').map(Number);
  const local = new Date(t.getTime() + sign * ((h ?? 0) * 60 + (m ?? 0)) * 60_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (UTC${utcOffset})`;
}

export interface PdfInput {
  credential: Record<string, unknown>;
  verification: Verification;
  shareUrl: string;
  shareExpires: string;
  logIndex: number | null;
  /** The offset the times are written in (REPORT_UTC_OFFSET). */
  utcOffset: string;
  /** A hashed share's: the holder is identified by salted hashes only, and the PDF says so. */
  nameHidden?: boolean;
}

export async function credentialPdf(p: PdfInput): Promise<Buffer> {
  const { doc, write, done } = await pdfDocument({ Title: String(p.credential.name ?? 'Credential') });
  const v = p.verification;
  const a = v.achievement;
  const proof = (p.credential.proof ?? {}) as { cryptosuite?: string; verificationMethod?: string; created?: string };

  write('学分银行 · 可验证凭证  Credit Bank · Verifiable Credential', 10, { color: '#595959', gap: 0.6 });
  write(String(p.credential.name ?? a?.name ?? ''), 20, { bold: true, gap: 0.8 });
  const [zh, en] = STATUS_TEXT[v.status];
  write(`状态 Status: ${zh} ${en}（${new Date().toISOString().slice(0, 10)} 核验 checked）`, 12, {
    bold: true,
    color: v.verified ? '#237804' : '#a8071a',
    gap: 0.6,
  });
  const lines: [string, string | null | undefined][] = [
    [
      '持有人 Holder',
      p.nameHidden
        ? '未公开（凭证中为加盐哈希，可在验证页核对姓名） Not disclosed (salted hashes; check a name on the verification page)'
        : v.holder.join(' / '),
    ],
    ['颁发机构 Issuer', v.issuer.name],
    ['签发者标识 Issuer DID', v.issuer.id],
    ['类型 Type', typeText(a?.type)],
    ['代码 Code', a?.code],
    ['学科领域 Field', a?.field],
    ['获得学分 Credits earned', a?.creditsEarned != null ? `${a.creditsEarned}${a.creditsAvailable != null ? ` / ${a.creditsAvailable}` : ''}` : null],
    ['成绩 Result', a?.result],
    ['学期 Term', a?.term],
    ['签发时间 Issued', localTime(v.validFrom, p.utcOffset)],
    ['有效期至 Valid until', localTime(v.validUntil, p.utcOffset)],
  ];
  for (const [label, value] of lines) if (value) write(`${label}: ${value}`, 11, { gap: 0.25 });
  if (v.statusChange) write(`原因 Reason: ${v.statusChange.reason}`, 11, { color: '#a8071a', gap: 0.25 });
  if (v.included) {
    doc.moveDown(0.4);
    write(`包含的凭证 Credentials included (${v.included.length})`, 11, { bold: true, gap: 0.2 });
    for (const part of v.included)
      write(`• ${part.name ?? '—'}  ${STATUS_TEXT[part.status].join(' ')}`, 10, { color: part.status === 'valid' ? '#1f1f1f' : '#a8071a', gap: 0.1 });
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

  write('本文件是凭证的打印件；以扫码所得的签名凭证为准。This PDF is a rendering of the credential: the signed credential at the link is what counts.', 8, {
    color: '#8c8c8c',
    gap: 0.3,
  });
  write(`凭证 Credential: ${String(p.credential.id ?? '')}`, 8, { color: '#8c8c8c' });
  write(`证明 Proof: ${[proof.cryptosuite, proof.verificationMethod, proof.created].filter(Boolean).join(', ')}`, 8, { color: '#8c8c8c' });
  if (p.logIndex !== null) write(`透明日志 Transparency log entry ${p.logIndex}`, 8, { color: '#8c8c8c' });
  doc.end();
  return done;
}
