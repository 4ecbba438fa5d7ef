// Can the schema be distributed by learner (Citus)? Reads the Drizzle tables, needs no database.
// Every table is classified here; a distributed table's keys must carry its distribution column,
// and its foreign keys must stay inside its shard or point at reference tables, because Citus
// refuses anything else. Today's exceptions are listed in KNOWN: a new one fails the test, and so
// does one that has been fixed, so the list only shrinks. The design is docs/scale-out.md.
import { describe, expect, it } from 'vitest';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

type Kind = { kind: 'distributed'; column: string } | { kind: 'reference' } | { kind: 'local' };

const byLearner = (column = 'learner_id'): Kind => ({ kind: 'distributed', column });
const reference: Kind = { kind: 'reference' };
const local: Kind = { kind: 'local' };

/**
 * Every table, by its SQL name. Distributed tables form one co-location group, `learner`, hashed on
 * a uuid: the learner's id (for `learners`, its `id`), or for what no learner owns, a stand-in key
 * (docs/scale-out.md, "Classification").
 */
const KINDS: Record<string, Kind> = {
  // distributed by learner, co-located
  learners: byLearner('id'),
  learning_accounts: byLearner(),
  enrolments: byLearner(),
  outcomes: byLearner(),
  ledger_postings: byLearner(),
  credit_uses: byLearner(),
  certification_applications: byLearner(),
  certification_events: byLearner(),
  committee_votes: byLearner(),
  application_evidence: byLearner(),
  evidence_blobs: byLearner(),
  transfer_applications: byLearner(),
  transfer_lines: byLearner(),
  learning_agreements: byLearner(),
  learning_agreement_versions: byLearner(),
  audit_exceptions: byLearner(),
  awards: byLearner(),
  credentials: byLearner(),
  credential_events: byLearner(),
  credential_shares: byLearner(),
  decision_ratings: byLearner(),
  correction_requests: byLearner(),
  erasure_requests: byLearner(),
  identity_claims: byLearner(),
  link_requests: byLearner(),
  learner_invitations: byLearner(),
  identity_conflicts: byLearner('existing_learner_id'),
  // the log's pending entries: appended in the posting's shard (the learner, or an external credential's id)
  log_entries: byLearner('shard_key'),
  // reference: small, read everywhere, joined with learner tables, written rarely
  institutions: reference,
  credit_systems: reference,
  grading_scales: reference,
  courses: reference,
  programmes: reference,
  programme_requirements: reference,
  qualification_frameworks: reference,
  framework_levels: reference,
  conversion_standards: reference,
  agreements: reference,
  agreement_parties: reference,
  equivalences: reference,
  evaluation_tasks: reference,
  grading_tables: reference,
  issuer_keys: reference,
  bank_settings: reference,
  sso_providers: reference,
  // users: the target of every *_by column; Citus allows foreign keys into reference tables only
  users: reference,
  // local (on the coordinator): sign-in, jobs, derived figures, the sequenced tree; never joined with learner tables
  role_grants: local,
  sessions: local,
  login_throttles: local,
  api_tokens: local,
  account_tokens: local,
  recovery_codes: local,
  external_identities: local,
  sso_requests: local,
  idempotency_keys: local,
  audit_events: local,
  import_jobs: local,
  import_issues: local,
  notifications: local,
  notification_preferences: local,
  mail_outbox: local,
  log_checkpoints: local,
  ledger_daily: local,
  ledger_daily_state: local,
  quality_reports: local,
};

/**
 * Today's violations, each with the section of docs/scale-out.md that says how it goes away. Remove
 * an entry in the migration that fixes it; never add one without a line in that document.
 */
const KNOWN: Record<string, string> = {
  // V1: a unique index on id alone; (learner_id, id) is the primary key already
  'outcomes unique outcomes_id_key': 'V1: drop; uuids do not collide, lookups by id fan out',
  'certification_applications unique certification_applications_id_key': 'V1: drop',
  'application_evidence unique application_evidence_id_key': 'V1: drop',
  'transfer_applications unique transfer_applications_id_key': 'V1: drop',
  'learning_agreements unique learning_agreements_id_key': 'V1: drop',
  'awards unique awards_id_key': 'V1: drop',
  // V2: a surrogate primary key without learner_id
  'audit_exceptions primary key audit_exceptions_pkey': 'V2: primary key (learner_id, id)',
  'correction_requests primary key correction_requests_pkey': 'V2: primary key (learner_id, id)',
  'erasure_requests primary key erasure_requests_pkey': 'V2: primary key (learner_id, id)',
  'identity_claims primary key identity_claims_pkey': 'V2: primary key (learner_id, id)',
  'link_requests primary key link_requests_pkey': 'V2: primary key (learner_id, id)',
  'identity_conflicts primary key identity_conflicts_pkey': 'V2: primary key (existing_learner_id, id)',
  'credentials primary key credentials_pkey': 'V2: primary key (learner_id, id)',
  // V3: a key unique across learners; becomes a claim in global_keys (or a counter) written in the same transaction
  'learners unique learners_user_key': 'V3: global_keys (user)',
  'learners unique learners_identity_key': 'V3: global_keys (identity document)',
  'learning_accounts unique learning_accounts_no_key': 'V3: global_keys (account number)',
  'enrolments unique enrolments_external_key': 'V3: global_keys (student number)',
  'certification_applications unique certification_applications_certificate_key': 'V3: global_keys (certificate number)',
  'credentials unique credentials_status_index_key': 'V3: per-institution counter allocates status places',
  // V4: rows of a learner's record that do not carry learner_id
  'evidence_blobs missing column learner_id': 'V4: blobs stored per learner',
  'evidence_blobs primary key evidence_blobs_pkey': 'V4: primary key (learner_id, sha256)',
  'application_evidence foreign key application_evidence_sha256_evidence_blobs_sha256_fk': 'V4: (learner_id, sha256)',
  'credential_events missing column learner_id': 'V4: copied from the credential',
  'credential_events primary key credential_events_pkey': 'V4: primary key (learner_id, id)',
  'credential_events foreign key credential_events_credential_id_credentials_id_fk': 'V4: (learner_id, credential_id)',
  'credential_shares missing column learner_id': 'V4: copied from the credential',
  'credential_shares primary key credential_shares_pkey': 'V4: primary key (learner_id, id)',
  'credential_shares foreign key credential_shares_credential_id_credentials_id_fk': 'V4: (learner_id, credential_id)',
  // V5: Citus refuses a row whose distribution column is null
  'credentials nullable learner_id': 'V5: credentials issued through the VC-API move to external_credentials',
  // V6: the log's pending entries move into the posting's shard; the global order moves to log_leaves
  'log_entries missing column shard_key': 'V6: the learner (or external credential) the entry is about',
  'log_entries primary key log_entries_pkey': 'V6: primary key (shard_key, id)',
  'log_entries unique log_entries_idx_key': 'V6: places live in log_leaves (local), written by the sequencer',
  'log_entries unique log_entries_ref_key': 'V6: unique (shard_key, kind, ref); every ref is routed by its own key',
};

type Table = ReturnType<typeof getTableConfig>;

const tables: Table[] = Object.values(schema as Record<string, unknown>)
  .filter((v): v is PgTable => v instanceof PgTable)
  .map((t) => getTableConfig(t));
const byName = new Map(tables.map((t) => [t.name, t]));
const kindOf = (name: string): Kind => KINDS[name] ?? local;
const names = (cols: { name: string }[]) => cols.map((c) => c.name);

/** The primary key's name and columns: a composite key, or the columns marked `.primaryKey()`. */
function primaryKeyOf(t: Table): { name: string; columns: string[] } | undefined {
  const composite = t.primaryKeys[0];
  if (composite) return { name: composite.getName(), columns: names(composite.columns) };
  const cols = t.columns.filter((c) => c.primary);
  return cols.length > 0 ? { name: `${t.name}_pkey`, columns: names(cols) } : undefined;
}

/** Unique keys: unique indexes (an expression counts as a column that is not the key), constraints, unique columns. */
function uniqueKeysOf(t: Table): { name: string; columns: string[] }[] {
  return [
    ...t.indexes
      .filter((i) => i.config.unique)
      .map((i) => ({ name: i.config.name ?? '?', columns: i.config.columns.map((c) => ('name' in c ? (c as PgColumn).name : '(expression)')) })),
    ...t.uniqueConstraints.map((u) => ({ name: u.getName() ?? '?', columns: names(u.columns) })),
    ...t.columns.filter((c) => c.isUnique).map((c) => ({ name: c.uniqueName ?? `${t.name}_${c.name}_key`, columns: [c.name] })),
  ];
}

/** What Citus would refuse, or what would break an invariant, once the tables are distributed as KINDS says. */
function violations(): string[] {
  const found: string[] = [];
  for (const t of tables) {
    const kind = kindOf(t.name);
    if (kind.kind === 'distributed') {
      const key = kind.column;
      const column = t.columns.find((c) => c.name === key);
      if (!column) found.push(`${t.name} missing column ${key}`);
      else if (!column.notNull) found.push(`${t.name} nullable ${key}`);
      const pk = primaryKeyOf(t);
      if (!pk || !pk.columns.includes(key)) found.push(`${t.name} primary key ${pk?.name ?? '(none)'}`);
      for (const u of uniqueKeysOf(t)) if (!u.columns.includes(key)) found.push(`${t.name} unique ${u.name}`);
    }
    for (const fk of t.foreignKeys) {
      const ref = fk.reference();
      const target = getTableConfig(ref.foreignTable).name;
      const to = kindOf(target);
      const pairs = ref.columns.map((c, i) => [c.name, ref.foreignColumns[i]!.name]);
      // Citus: distributed → reference, or distributed → co-located distributed on the distribution column;
      // reference → reference; local → reference or local.
      const allowed =
        to.kind === 'reference' ||
        (kind.kind === 'local' && to.kind === 'local') ||
        (kind.kind === 'distributed' && to.kind === 'distributed' && pairs.some(([from, into]) => from === kind.column && into === to.column));
      if (!allowed) found.push(`${t.name} foreign key ${fk.getName()}`);
    }
  }
  return found.sort();
}

describe('scale-out: the schema can be distributed by learner', () => {
  it('classifies every table, and only tables that exist', () => {
    const unclassified = tables.map((t) => t.name).filter((n) => !(n in KINDS));
    expect(unclassified, 'add these to KINDS and to docs/scale-out.md').toEqual([]);
    const gone = Object.keys(KINDS).filter((n) => !byName.has(n));
    expect(gone, 'tables no longer in the schema').toEqual([]);
  });

  it('distributes every table that has a learner_id column', () => {
    const undistributed = tables.filter((t) => t.columns.some((c) => c.name === 'learner_id') && kindOf(t.name).kind !== 'distributed').map((t) => t.name);
    expect(undistributed).toEqual([]);
  });

  it('keeps keys and foreign keys of distributed tables inside the shard, except the known ones', () => {
    const found = violations();
    const known = Object.keys(KNOWN).sort();
    expect(
      found.filter((v) => !(v in KNOWN)),
      'new violations: put the distribution column in the key (docs/scale-out.md)',
    ).toEqual([]);
    expect(
      known.filter((v) => !found.includes(v)),
      'fixed: remove these from KNOWN',
    ).toEqual([]);
  });
});
