// The transparency log: the sequencer that gives unsequenced entries their place and signs a
// checkpoint, proofs for anyone who holds a checkpoint, and the verification that rebuilds the tree
// from the database and names every entry that no longer matches.
import { randomBytes } from 'node:crypto';
import { append, consistencyProof, emptyFrontier, frontierRoot, inclusionProof, leafHash, type Frontier } from '../../core/merkle/tree.js';
import {
  checkpointText,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signerKeyText,
  signNote,
  verifierKeyText,
  type Signer,
} from '../../core/merkle/note.js';
import type { Db, Executor } from '../../db/connection.js';
import { invalid, notFound } from '../../errors.js';
import { seal, unseal, type Trust } from '../credentials/trust.js';
import { postingAttributed } from '../ledger/service.js';
import { replaceSetting, setting, settingOnce } from '../settings/service.js';
import { awardPayload, identityMergePayload, credentialEventPayload, credentialPayload, entryKey, type EntryKind, leafData, postingRef } from './entries.js';
import * as store from './store.js';

const SIGNER_KEY = 'log.signer';
const ORIGIN = process.env.LOG_ORIGIN ?? 'creditbank.example/log';

/** The stored key: its verifier key in clear, the signer key sealed under the master key. */
type StoredKey = { verifier: string; sealed: string };
const signers = new WeakMap<object, Signer>();

/**
 * Opens the log for this process: its signing key is LOG_SIGNING_KEY, else the one stored in the
 * database, made here on the very first start. However many processes start at once, one key is
 * stored (the first insert wins; the others read it). A key stored in clear by an older version is
 * sealed now.
 */
export async function openLog(db: Db, trust: Trust): Promise<void> {
  if (signers.has(db)) return;
  if (process.env.LOG_SIGNING_KEY) {
    signers.set(db, parseSignerKey(process.env.LOG_SIGNING_KEY));
    return;
  }
  const sealedKey = (text: string): StoredKey => ({ verifier: verifierKeyText(parseSignerKey(text)), sealed: seal(trust, text, SIGNER_KEY) });
  let stored = await setting(db, SIGNER_KEY);
  if (stored === undefined) stored = await settingOnce(db, SIGNER_KEY, sealedKey(signerKeyText(ORIGIN, randomBytes(32))));
  if (typeof stored === 'string') stored = await replaceSetting(db, SIGNER_KEY, stored, sealedKey(stored));
  signers.set(db, parseSignerKey(unseal(trust, (stored as StoredKey).sealed, SIGNER_KEY)));
}

function logSigner(db: Db): Signer {
  const signer = signers.get(db);
  if (!signer) throw new Error('The transparency log is not open in this process (openLog)');
  return signer;
}

/** The verifier key anyone checks checkpoints with; needs no secret. */
export async function verifierKey(db: Executor): Promise<string> {
  if (process.env.LOG_SIGNING_KEY) return verifierKeyText(parseSignerKey(process.env.LOG_SIGNING_KEY));
  const stored = (await setting(db, SIGNER_KEY)) as StoredKey | string | undefined;
  if (stored === undefined) throw notFound('The log’s key', '(no entry has been logged yet)');
  return typeof stored === 'string' ? verifierKeyText(parseSignerKey(stored)) : stored.verifier;
}

const toFrontier = (c: store.CheckpointRow | undefined): Frontier =>
  c ? { size: Number(c.size), hashes: c.frontier.map((h) => Buffer.from(h, 'hex')) } : emptyFrontier();

/**
 * Gives every unsequenced entry its place, in the order they were appended, and signs a checkpoint
 * of the new tree. One sequencer at a time (an advisory lock); nothing to do is cheap.
 */
export async function sequence(db: Db, batch = 50_000): Promise<{ size: number; note: string }> {
  const signer = logSigner(db);
  return db.transaction(async (tx) => {
    await store.lockSequencer(tx);
    let last = await store.latestCheckpoint(tx);
    for (;;) {
      const waiting = await store.unsequenced(tx, batch);
      const pending = await backed(tx, waiting);
      if (pending.length === 0 && last) {
        if (waiting.length < batch) return { size: Number(last.size), note: last.note };
        continue;
      }
      let f = toFrontier(last);
      const leaves = pending.map((e, i) => leafHash(leafData(f.size + i, e.payload)));
      await store.place(
        tx,
        pending.map((e, i) => ({ id: e.id, idx: f.size + i, leaf: leaves[i]! })),
      );
      f = append(f, leaves);
      const root = frontierRoot(f);
      const note = signNote(checkpointText({ origin: signer.name, size: f.size, root }), [signer]);
      last = { size: f.size, root, note, frontier: f.hashes.map((h) => h.toString('hex')) };
      await store.insertCheckpoint(tx, last);
      if (waiting.length < batch) return { size: f.size, note };
    }
  });
}

/**
 * The entries that match their source row as it is now; the others (forged, or their record changed
 * before they were sequenced) are marked rejected and never get a place in the log.
 */
async function backed<E extends { id: number; kind: string; ref: string; payload: string }>(tx: Executor, entries: E[]): Promise<E[]> {
  const postings = await store.postingPayloadsOf(
    tx,
    entries
      .filter((e) => e.kind === 'posting')
      .map((e) => ({ learnerId: e.ref.slice(0, e.ref.lastIndexOf(':')), seq: Number(e.ref.slice(e.ref.lastIndexOf(':') + 1)) }))
      .filter((r) => /^[0-9a-f-]{36}$/.test(r.learnerId) && Number.isInteger(r.seq)),
  );
  const of = (kind: string, id: (ref: string) => string) => entries.filter((e) => e.kind === kind).map((e) => id(e.ref));
  const ids = (xs: string[], ok: RegExp) => xs.filter((x) => ok.test(x));
  const facts = factEntries(
    await store.factsOf(tx, {
      credentials: ids(
        of('credential', (r) => r),
        UUID,
      ),
      events: ids(
        of('credential_status', (r) => r),
        /^[0-9]{1,18}$/,
      ).map(Number),
      awards: ids(
        of('award', (r) => r.split(':')[0]!),
        UUID,
      ),
      merges: ids(
        of('identity_merge', (r) => r),
        UUID,
      ),
    }),
  );
  const ok: E[] = [];
  const refused: number[] = [];
  for (const e of entries) {
    const source = e.kind === 'posting' ? postings.get(e.ref) : facts.get(entryKey(e.kind, e.ref))?.payload;
    if (source === e.payload) ok.push(e);
    else refused.push(e.id);
  }
  await store.reject(tx, refused, 'does not match its source record');
  return ok;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Each fact the log records, except postings, as the database holds it now: by entry key, what it is and its payload. */
function factEntries(facts: Awaited<ReturnType<typeof store.factsOf>>) {
  const out = new Map<string, { what: string; payload: string }>();
  for (const c of facts.credentials) {
    const payload = credentialPayload({
      id: c.id,
      institutionId: c.institution_id,
      learnerId: c.learner_id,
      kind: c.kind,
      subjectId: c.subject_id,
      cryptosuite: c.cryptosuite,
      document: c.document,
      documentSha256: c.document_sha256,
    });
    out.set(entryKey('credential', c.id), { what: `credential ${c.id}`, payload });
  }
  for (const e of facts.events) {
    const payload = credentialEventPayload({ id: e.id, credentialId: e.credential_id, status: e.status, reason: e.reason, actor: e.actor });
    out.set(entryKey('credential_status', String(e.id)), { what: `status change ${e.id} of credential ${e.credential_id}`, payload });
  }
  for (const a of facts.awards) {
    const decisions =
      a.status === 'withdrawn' ? (['approved', 'withdrawn'] as const) : a.status === 'approved' || a.status === 'rejected' ? ([a.status] as const) : [];
    for (const d of decisions) {
      const payload = awardPayload(
        { id: a.id, learnerId: a.learner_id, programmeId: a.programme_id, catalogueYear: a.catalogue_year, credits: a.credits, unit: a.unit },
        d,
      );
      out.set(entryKey('award', `${a.id}:${d}`), { what: `decision ${d} on award ${a.id}`, payload });
    }
  }
  for (const m of facts.merges) {
    const payload = identityMergePayload({ conflictId: m.id, learnerId: m.learner_id, institutionId: m.institution_id, externalId: m.external_id });
    out.set(entryKey('identity_merge', m.id), { what: `identity merge ${m.id}`, payload });
  }
  return out;
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
/**
 * A posting's inclusion proof. A reader of limited scope (staff of one of the learner's institutions,
 * learners/service.ts readScope) gets only those of the postings that belong to their institutions.
 */
export async function postingInclusion(db: Db, learnerId: string, seq: number, size?: number, institutionIds: string[] | null = null) {
  if (institutionIds && !(await postingAttributed(db, learnerId, seq, institutionIds))) throw notFound('Log entry of posting', postingRef({ learnerId, seq }));
  return inclusion(db, 'posting', postingRef({ learnerId, seq }), size);
}

/** Where an entry is in the log, and the proof that it is in the tree of a checkpoint (default: the latest). */
export async function inclusion(db: Db, kind: EntryKind, ref: string, size?: number) {
  await sequence(db);
  const entry = await store.entryOf(db, kind, ref);
  if (!entry || entry.idx === null) throw notFound(`Log entry of ${kind.replace('_', ' ')}`, ref);
  const c = await checkpointOf(db, size);
  if (entry.idx >= c.size) throw invalid('query.size', `entry ${entry.idx} is not in the tree of size ${c.size}`);
  const proof = inclusionProof(entry.idx, await leafHashes(db, Number(c.size)));
  return {
    index: entry.idx,
    size: Number(c.size),
    payload: entry.payload,
    leafHash: Buffer.from(entry.leaf_hash!).toString('base64'),
    proof: proof.map((h) => h.toString('base64')),
    checkpoint: c.note,
  };
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
  what: 'altered' | 'deleted' | 'inserted' | 'reordered' | 'rejected' | 'checkpoint';
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
  opts: { witnessed?: { label: string; note: string }[]; onProgress?: (done: number) => void; batch?: number } = {},
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
  const checkpoints: Expected[] = [
    ...stored.map((c) => ({ size: Number(c.size), note: c.note, label: `the signed checkpoint of size ${c.size}` })),
    ...witnessed,
  ].sort((a, b) => a.size - b.size);
  // Postings are compared with their entries in the database, which sends back only what differs.
  // The reads are independent: on PostgreSQL each runs on a connection of its own, side by side.
  const [mismatches, tree, facts, loggedFacts, rejected] = await Promise.all([
    store.postingMismatches(db),
    checkTree(db, checkpoints, verifier, opts.batch ?? VERIFY_BATCH, opts.onProgress),
    store.factsOf(db),
    store.factEntriesLogged(db),
    store.rejectedEntries(db),
  ]);
  for (const m of mismatches) {
    if (m.entry_ref === null)
      findings.push({ what: 'inserted', ref: m.posting_ref!, detail: `posting ${m.posting_ref} is in the database but was never logged` });
    else if (m.posting_ref === null)
      findings.push({
        what: 'deleted',
        entry: m.idx ?? undefined,
        ref: m.entry_ref,
        detail: `posting ${m.entry_ref} is in the log but no longer in the database`,
      });
    else findings.push({ what: 'altered', entry: m.idx ?? undefined, ref: m.entry_ref, detail: `posting ${m.entry_ref} differs from what the log recorded` });
  }
  // Every other logged record as the database holds it now, by kind and reference.
  const expected = factEntries(facts);
  // a credential's status is the one its last logged change gave it (active before any)
  const lastStatus = new Map(facts.events.map((e) => [e.credential_id, e.status]));
  for (const c of facts.credentials) {
    const logged = lastStatus.get(c.id) ?? 'active';
    if (c.status !== logged)
      findings.push({ what: 'altered', ref: c.id, detail: `credential ${c.id} is ${c.status} in the database, but its logged status is ${logged}` });
  }
  const logged = new Set<string>();
  for (const e of loggedFacts) {
    const key = entryKey(e.kind, e.ref);
    logged.add(key);
    const now = expected.get(key);
    const what = now?.what ?? `${e.kind.replace('_', ' ')} ${e.ref}`;
    if (now === undefined)
      findings.push({ what: 'deleted', entry: e.idx ?? undefined, ref: e.ref, detail: `${what} is in the log but no longer in the database` });
    else if (now.payload !== e.payload)
      findings.push({ what: 'altered', entry: e.idx ?? undefined, ref: e.ref, detail: `${what} differs from what the log recorded` });
  }
  for (const [key, { what }] of expected)
    if (!logged.has(key)) findings.push({ what: 'inserted', ref: key.slice(key.indexOf(' ') + 1), detail: `${what} is in the database but was never logged` });
  for (const e of rejected)
    findings.push({
      what: 'rejected',
      ref: e.ref,
      detail: `a ${e.kind.replace('_', ' ')} entry for ${e.ref} was appended but ${e.rejected}: it was refused a place in the log`,
    });
  findings.push(...tree.findings);
  return { entries: tree.size, checkpoints: checkpoints.length, findings };
}

/** The tree: every sequenced entry's leaf recomputed from its place and payload, in log order, against the checkpoints. */
async function checkTree(
  db: Executor,
  checkpoints: Expected[],
  verifier: ReturnType<typeof parseVerifierKey>,
  batch: number,
  onProgress?: (done: number) => void,
) {
  const missing: { first: number; last: number }[] = [];
  const findings: Finding[] = [];
  let f = emptyFrontier();
  let c = 0;
  while (c < checkpoints.length && checkpoints[c]!.size === 0) checkpointCheck(checkpoints[c++]!, f, verifier, findings);
  const last = await store.lastPlace(db);
  // the next range is read while this one is hashed into the tree
  let next = last >= 0 ? store.leavesBetween(db, 0, batch) : undefined;
  for (let from = 0; next; from += batch) {
    const { leaves, bad } = await next;
    next = from + batch <= last ? store.leavesBetween(db, from + batch, from + 2 * batch) : undefined;
    if (leaves.length / 32 !== Math.min(batch, last + 1 - from))
      for (const gap of await store.missingPlaces(db, from, Math.min(from + batch, last + 1))) {
        if (missing.at(-1)?.last === gap.first - 1)
          missing.at(-1)!.last = gap.last; // one range across two batches
        else missing.push(gap);
      }
    for (const b of bad)
      findings.push({
        what: b.stored ? 'reordered' : 'altered',
        entry: b.idx,
        ref: b.ref,
        detail: `log entry ${b.idx} does not hash to its leaf: moved or rewritten`,
      });
    // appended up to each checkpoint's size, which is checked there
    for (let at = 0; at < leaves.length;) {
      const room = c < checkpoints.length ? checkpoints[c]!.size - f.size : Infinity;
      const end = Math.min(leaves.length, at + room * 32);
      f = append(f, hashesIn(leaves, at, end));
      at = end;
      while (c < checkpoints.length && checkpoints[c]!.size === f.size) checkpointCheck(checkpoints[c++]!, f, verifier, findings);
    }
    onProgress?.(f.size);
  }
  for (const gap of missing) findings.push({ what: 'deleted', entry: gap.first, detail: `log entries ${gap.first}…${gap.last} are missing` });
  for (; c < checkpoints.length; c++)
    findings.push({ what: 'checkpoint', detail: `${checkpoints[c]!.label} is beyond the ${f.size} entries the log holds: entries were deleted` });
  return { size: f.size, findings };
}

function* hashesIn(leaves: Buffer, from: number, to: number) {
  for (let at = from; at < to; at += 32) yield leaves.subarray(at, at + 32);
}

/** Sequenced entries read at a time: their leaves come back as one value of 32 bytes each. */
const VERIFY_BATCH = 100_000;

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
