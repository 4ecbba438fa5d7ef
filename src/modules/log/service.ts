// The transparency log: the sequencer that gives unsequenced entries their place and signs a
// checkpoint, proofs for anyone who holds a checkpoint, and the verification that rebuilds the tree
// from the database and names every entry that no longer matches.
import { randomBytes } from 'node:crypto';
import { append, consistencyProof, emptyFrontier, frontierRoot, inclusionProof, leafHash, type Frontier } from '../../core/merkle/tree.js';
import { checkpointText, openNote, parseCheckpoint, parseSignerKey, parseVerifierKey, signerKeyText, signNote, verifierKeyText, type Signer } from '../../core/merkle/note.js';
import type { Db, Executor } from '../../db/connection.js';
import { invalid, notFound } from '../../errors.js';
import { putSetting, setting } from '../settings/store.js';
import { credentialEventPayload, credentialPayload, entryKey, type EntryKind, leafData, postingPayload, postingRef } from './entries.js';
import * as store from './store.js';

const SIGNER_KEY = 'log.signer';
const ORIGIN = process.env.LOG_ORIGIN ?? 'creditbank.example/log';

/** The log's signing key: LOG_SIGNING_KEY, else the one stored at first use (generated then). */
export async function logSigner(db: Executor): Promise<Signer> {
  if (process.env.LOG_SIGNING_KEY) return parseSignerKey(process.env.LOG_SIGNING_KEY);
  const stored = (await setting(db, SIGNER_KEY)) as string | undefined;
  if (stored) return parseSignerKey(stored);
  const text = signerKeyText(ORIGIN, randomBytes(32));
  await putSetting(db, SIGNER_KEY, text, null);
  return parseSignerKey(text);
}

export async function verifierKey(db: Executor) {
  return verifierKeyText(await logSigner(db));
}

const toFrontier = (c: store.CheckpointRow | undefined): Frontier => (c ? { size: Number(c.size), hashes: c.frontier.map((h) => Buffer.from(h, 'hex')) } : emptyFrontier());

/**
 * Gives every unsequenced entry its place, in the order they were appended, and signs a checkpoint
 * of the new tree. One sequencer at a time (an advisory lock); nothing to do is cheap.
 */
export async function sequence(db: Db, batch = 50_000): Promise<{ size: number; note: string }> {
  const signer = await logSigner(db);
  return db.transaction(async (tx) => {
    await store.lockSequencer(tx);
    let last = await store.latestCheckpoint(tx);
    for (;;) {
      const pending = await store.unsequenced(tx, batch);
      if (pending.length === 0 && last) return { size: Number(last.size), note: last.note };
      let f = toFrontier(last);
      const leaves = pending.map((e, i) => leafHash(leafData(f.size + i, e.payload)));
      await store.place(tx, pending.map((e, i) => ({ id: e.id, idx: f.size + i, leaf: leaves[i]! })));
      f = append(f, leaves);
      const root = frontierRoot(f);
      const note = signNote(checkpointText({ origin: signer.name, size: f.size, root }), [signer]);
      last = { size: f.size, root, note, frontier: f.hashes.map((h) => h.toString('hex')) };
      await store.insertCheckpoint(tx, last);
      if (pending.length < batch) return { size: f.size, note };
    }
  });
}

async function leafHashes(db: Executor, size: number): Promise<Buffer[]> {
  const hashes = await store.leafHashesBelow(db, size);
  if (hashes.length !== size) throw invalid('query.size', `the log has fewer than ${size} sequenced entries`);
  return hashes;
}

async function checkpointOf(db: Executor, size?: number) {
  const c = size === undefined ? await store.latestCheckpoint(db) : await store.checkpointOfSize(db, size);
  if (!c) throw notFound('Checkpoint of size', String(size ?? 'latest'));
  return c;
}

/** Where a posting is in the log, and the proof that it is in the tree of a checkpoint. */
export const postingInclusion = (db: Db, learnerId: string, seq: number, size?: number) => inclusion(db, 'posting', postingRef({ learnerId, seq }), size);

/** Where an entry is in the log, and the proof that it is in the tree of a checkpoint (default: the latest). */
export async function inclusion(db: Db, kind: EntryKind, ref: string, size?: number) {
  await sequence(db);
  const entry = await store.entryOf(db, kind, ref);
  if (!entry || entry.idx === null) throw notFound(`Log entry of ${kind.replace('_', ' ')}`, ref);
  const c = await checkpointOf(db, size);
  if (entry.idx >= c.size) throw invalid('query.size', `entry ${entry.idx} is not in the tree of size ${c.size}`);
  const proof = inclusionProof(entry.idx, await leafHashes(db, Number(c.size)));
  return { index: entry.idx, size: Number(c.size), payload: entry.payload, leafHash: Buffer.from(entry.leaf_hash!).toString('base64'), proof: proof.map((h) => h.toString('base64')), checkpoint: c.note };
}

export async function consistency(db: Db, from: number, to?: number) {
  await sequence(db);
  const second = await checkpointOf(db, to);
  if (from > Number(second.size)) throw invalid('query.from', `the log has ${second.size} entries`);
  const proof = consistencyProof(from, await leafHashes(db, Number(second.size)));
  return { from, to: Number(second.size), proof: proof.map((h) => h.toString('base64')), checkpoint: second.note };
}

export async function checkpoint(db: Db) {
  return (await sequence(db)).note;
}

export interface Finding {
  what: 'altered' | 'deleted' | 'inserted' | 'reordered' | 'checkpoint';
  entry?: number;
  ref?: string;
  detail: string;
}

/**
 * Rebuilds the log from the database and checks it against itself, the ledger and every signed
 * checkpoint. Each finding names the entry or posting. Sequences nothing: it only reads.
 */
export async function verifyLog(
  db: Executor,
  opts: { witnessed?: { label: string; note: string }[]; onProgress?: (done: number) => void } = {},
): Promise<{ entries: number; checkpoints: number; findings: Finding[] }> {
  const findings: Finding[] = [];
  const verifier = parseVerifierKey(await verifierKey(db));
  const stored = await store.allCheckpoints(db);
  // Checkpoints held outside (witnesses, auditors): a log rewritten and re-signed still has to match them.
  const witnessed: Expected[] = [];
  for (const w of opts.witnessed ?? []) {
    try {
      witnessed.push({ size: parseCheckpoint(openNote(w.note, [verifier]).text).size, note: w.note, label: `witnessed checkpoint ${w.label}` });
    } catch (e) {
      findings.push({ what: 'checkpoint', detail: `witnessed checkpoint ${w.label}: ${(e as Error).message} (was the log's key replaced?)` });
    }
  }
  const checkpoints: Expected[] = [...stored.map((c) => ({ size: Number(c.size), note: c.note, label: `the signed checkpoint of size ${c.size}` })), ...witnessed].sort((a, b) => a.size - b.size);
  // Every logged record as the database holds it now, by kind and reference.
  const expected = new Map<string, { what: string; payload: string }>();
  for (const p of await store.allPostings(db)) {
    const fields = { learnerId: p.learner_id, seq: p.seq, kind: p.kind, amount: p.amount, unit: p.unit, fromState: p.from_state, toState: p.to_state, causeType: p.cause_type, causeId: p.cause_id, reversesSeq: p.reverses_seq, memo: p.memo, createdBy: p.created_by };
    expected.set(entryKey('posting', postingRef(fields)), { what: `posting ${postingRef(fields)}`, payload: postingPayload(fields) });
  }
  const facts = await store.allCredentialFacts(db);
  for (const c of facts.credentials) {
    const payload = credentialPayload({ id: c.id, institutionId: c.institution_id, learnerId: c.learner_id, kind: c.kind, subjectId: c.subject_id, cryptosuite: c.cryptosuite, document: c.document });
    expected.set(entryKey('credential', c.id), { what: `credential ${c.id}`, payload });
  }
  for (const e of facts.events) {
    const payload = credentialEventPayload({ id: e.id, credentialId: e.credential_id, status: e.status, reason: e.reason, actor: e.actor });
    expected.set(entryKey('credential_status', String(e.id)), { what: `status change ${e.id} of credential ${e.credential_id}`, payload });
  }
  const entries = await store.allEntries(db);
  const logged = new Set<string>();
  let f = emptyFrontier();
  let next = 0;
  let c = 0;
  for (const e of entries) {
    const key = entryKey(e.kind, e.ref);
    logged.add(key);
    const now = expected.get(key);
    const what = now?.what ?? `${e.kind === 'posting' ? 'posting' : e.kind === 'credential' ? 'credential' : 'status change'} ${e.ref}`;
    if (now === undefined) findings.push({ what: 'deleted', entry: e.idx ?? undefined, ref: e.ref, detail: `${what} is in the log but no longer in the database` });
    else if (now.payload !== e.payload) findings.push({ what: 'altered', entry: e.idx ?? undefined, ref: e.ref, detail: `${what} differs from what the log recorded` });
    if (e.idx === null) continue; // appended, not yet sequenced
    if (e.idx !== next) {
      findings.push({ what: 'deleted', entry: next, detail: `log entries ${next}…${e.idx - 1} are missing` });
      next = e.idx;
    }
    const leaf = leafHash(leafData(e.idx, e.payload));
    if (!e.leaf_hash || !leaf.equals(Buffer.from(e.leaf_hash))) findings.push({ what: e.leaf_hash ? 'reordered' : 'altered', entry: e.idx, ref: e.ref, detail: `log entry ${e.idx} does not hash to its leaf: moved or rewritten` });
    f = append(f, [leaf]);
    next++;
    while (c < checkpoints.length && Number(checkpoints[c]!.size) === f.size) checkpointCheck(checkpoints[c++]!, f, verifier, findings);
    if (next % 100_000 === 0) opts.onProgress?.(next);
  }
  for (; c < checkpoints.length; c++) {
    if (Number(checkpoints[c]!.size) === 0) checkpointCheck(checkpoints[c]!, emptyFrontier(), verifier, findings);
    else findings.push({ what: 'checkpoint', detail: `${checkpoints[c]!.label} is beyond the ${f.size} entries the log holds: entries were deleted` });
  }
  for (const [key, { what }] of expected) if (!logged.has(key)) findings.push({ what: 'inserted', ref: key.slice(key.indexOf(' ') + 1), detail: `${what} is in the database but was never logged` });
  return { entries: f.size, checkpoints: checkpoints.length, findings };
}

interface Expected {
  size: number;
  note: string;
  label: string;
}

function checkpointCheck(c: Expected, f: Frontier, verifier: ReturnType<typeof parseVerifierKey>, findings: Finding[]) {
  try {
    const signed = parseCheckpoint(openNote(c.note, [verifier]).text);
    if (signed.size !== c.size || !signed.root.equals(frontierRoot(f))) {
      findings.push({ what: 'checkpoint', detail: `${c.label} does not match the log as it is now: history before entry ${c.size} was rewritten` });
    }
  } catch (e) {
    findings.push({ what: 'checkpoint', detail: `${c.label}: ${(e as Error).message}` });
  }
}
