import { describe, expect, it } from 'vitest';
import { checkpointText, NoteError, openNote, parseCheckpoint, parseSignerKey, parseVerifierKey, signerFromSeed, signNote, verifierKeyText } from './note.js';

// The example key and note of Go's golang.org/x/mod/sumdb/note documentation.
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes', () => {
  it('signs and verifies the reference example byte for byte', () => {
    const signer = parseSignerKey(SKEY);
    expect(verifierKeyText(signer)).toBe(VKEY);
    expect(signNote(TEXT, [signer])).toBe(`${TEXT}\n${SIG}`);
    expect(openNote(`${TEXT}\n${SIG}`, [parseVerifierKey(VKEY)])).toEqual({ text: TEXT, signedBy: ['PeterNeumann'] });
  });

  it('refuses an altered text, a bad signature and a note no known key signed', () => {
    const v = parseVerifierKey(VKEY);
    expect(() => openNote(`${TEXT.replace('problem', 'Problem')}\n${SIG}`, [v])).toThrow(/does not verify/);
    const other = signerFromSeed('witness.example', Buffer.alloc(32, 7));
    expect(() => openNote(signNote(TEXT, [other]), [v])).toThrow(/No signature from a known key/);
    // an unknown key's signature is ignored when a known one verifies
    expect(openNote(signNote(TEXT, [other, parseSignerKey(SKEY)]), [v]).signedBy).toEqual(['PeterNeumann']);
    expect(() => parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(NoteError);
    expect(() => signNote('no newline', [other])).toThrow(NoteError);
  });

  it('writes and reads checkpoints', () => {
    const c = { origin: 'creditbank.example/log', size: 42, root: Buffer.alloc(32, 9) };
    expect(checkpointText(c)).toBe(`creditbank.example/log\n42\n${Buffer.alloc(32, 9).toString('base64')}\n`);
    expect(parseCheckpoint(checkpointText(c))).toEqual(c);
    expect(() => parseCheckpoint('x\n-1\nAAAA\n')).toThrow(NoteError);
    expect(() => parseCheckpoint('x\n1\nAAAA\n')).toThrow(/32 bytes/);
  });
});
