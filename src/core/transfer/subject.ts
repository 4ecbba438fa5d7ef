// A transfer line has no id of its own (it is the application's line n): the UUID its credential is
// filed under is derived from the two, the same wherever it is computed.
import crypto from 'node:crypto';

export function transferLineSubject(applicationId: string, lineNo: number): string {
  const h = crypto.createHash('sha256').update(`transfer-line:${applicationId}:${lineNo}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
