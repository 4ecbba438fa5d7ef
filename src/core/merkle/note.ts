// Signed notes (C2SP signed-note) and transparency-log checkpoints (C2SP tlog-checkpoint), with
// Ed25519 keys written the way Go's sumdb/note writes them: "<name>+<key id>+<base64 key>".
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const ED25519 = 0x01;
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class NoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteError';
  }
}

/** The 4-byte key id: SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
export function keyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256').update(name).update(Buffer.of(0x0a, ED25519)).update(publicKey).digest().subarray(0, 4);
}

function checkName(name: string) {
  if (!name || /[\s+]/.test(name)) throw new NoteError(`A key name has no spaces or "+": "${name}"`);
}

export interface Signer {
  name: string;
  id: Buffer;
  publicKey: Buffer;
  key: KeyObject;
}

export interface Verifier {
  name: string;
  id: Buffer;
  key: KeyObject;
}

/** A signer from a 32-byte Ed25519 seed. */
export function signerFromSeed(name: string, seed: Uint8Array): Signer {
  checkName(name);
  if (seed.length !== 32) throw new NoteError('An Ed25519 seed is 32 bytes');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
  return { name, id: keyId(name, publicKey), publicKey, key };
}

/** "PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>" → a signer. */
export function parseSignerKey(text: string): Signer {
  const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m) throw new NoteError('Not a signer key: PRIVATE+KEY+<name>+<id>+<key>');
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) throw new NoteError('Only Ed25519 signer keys are supported');
  const signer = signerFromSeed(m[1]!, raw.subarray(1));
  if (signer.id.toString('hex') !== m[2]) throw new NoteError('The key id does not match the key');
  return signer;
}

export function signerKeyText(name: string, seed: Uint8Array): string {
  const s = signerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${s.id.toString('hex')}+${Buffer.concat([Buffer.of(ED25519), seed]).toString('base64')}`;
}

/** "<name>+<id>+<base64(0x01 || public key)>": what a verifier (a witness, an auditor) configures. */
export function verifierKeyText(s: Pick<Signer, 'name' | 'id' | 'publicKey'>): string {
  return `${s.name}+${s.id.toString('hex')}+${Buffer.concat([Buffer.of(ED25519), s.publicKey]).toString('base64')}`;
}

export function parseVerifierKey(text: string): Verifier {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m) throw new NoteError('Not a verifier key: <name>+<id>+<key>');
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) throw new NoteError('Only Ed25519 verifier keys are supported');
  const publicKey = raw.subarray(1);
  const id = keyId(m[1]!, publicKey);
  if (id.toString('hex') !== m[2]) throw new NoteError('The key id does not match the key');
  return { name: m[1]!, id, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) };
}

/** Signs a note's text (which ends in a newline) with one or more keys. */
export function signNote(text: string, signers: Signer[]): string {
  if (!text.endsWith('\n')) throw new NoteError('A note’s text ends with a newline');
  if ([...text].some((ch) => ch < ' ' && ch !== '\n')) throw new NoteError('A note has no control characters but newlines');
  const lines = signers.map((s) => `— ${s.name} ${Buffer.concat([s.id, sign(null, Buffer.from(text), s.key)]).toString('base64')}\n`);
  return `${text}\n${lines.join('')}`;
}

/**
 * Opens a signed note: the text, and the names of the given verifiers whose signatures check out.
 * Signatures by unknown keys are ignored; a known key's bad signature, or no good signature at all,
 * is an error.
 */
export function openNote(note: string, verifiers: Verifier[]): { text: string; signedBy: string[] } {
  const at = note.lastIndexOf('\n\n');
  if (at < 0 || !note.endsWith('\n')) throw new NoteError('Not a signed note: no blank line before the signatures');
  const text = note.slice(0, at + 1);
  const signedBy: string[] = [];
  for (const line of note.slice(at + 2, -1).split('\n')) {
    const m = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new NoteError(`Not a signature line: "${line}"`);
    const raw = Buffer.from(m[2]!, 'base64');
    const v = verifiers.find((x) => x.name === m[1] && x.id.equals(raw.subarray(0, 4)));
    if (!v) continue;
    if (!verify(null, Buffer.from(text), v.key, raw.subarray(4))) throw new NoteError(`The signature of ${v.name} does not verify`);
    signedBy.push(v.name);
  }
  if (signedBy.length === 0) throw new NoteError('No signature from a known key');
  return { text, signedBy };
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The checkpoint body: origin, tree size, base64 root hash, each on its own line. */
export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^(0|[1-9]\d*)$/.test(size) || root === undefined) throw new NoteError('Not a checkpoint: origin, size, root hash');
  const hash = Buffer.from(root, 'base64');
  if (hash.length !== 32 || hash.toString('base64') !== root) throw new NoteError('The root hash is not 32 bytes of base64');
  return { origin, size: Number(size), root: hash };
}
