// Issuing and verifying the same OB 3.0 credential: this bank's service beside @digitalbazaar/vc
// in the same run, for eddsa-rdfc-2022 and eddsa-jcs-2022.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { createSignCryptosuite, createVerifyCryptosuite } from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/connection.js';
import type { Principal } from '../src/modules/auth/principal.js';
import { documentLoader, OB_V3, VC_V2 } from '../src/modules/credentials/loader.js';
import { issueAsInstitution, type Vc } from '../src/modules/credentials/service.js';
import { trustOf } from '../src/modules/credentials/trust.js';
import { verifyCredential } from '../src/modules/credentials/verify.js';

/** Operations per second of `op`, run `n` times one after another (after a few warm-up runs). */
async function rate(n: number, op: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(5, n); i++) await op(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return n / ((performance.now() - t) / 1000);
}

const body = (i: number) => ({
  '@context': [VC_V2, OB_V3],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  name: `软件工程 学士 Software Engineering BEng #${i}`,
  credentialSubject: {
    type: ['AchievementSubject'],
    identifier: [{ type: 'IdentityObject', identityHash: '张伟', identityType: 'name', hashed: false }],
    creditsEarned: 142,
    activityEndDate: '2023-07-01T00:00:00.000Z',
    achievement: {
      id: 'https://bank.example.edu/api/v1/programmes/cb-bachelor/requirements',
      type: ['Achievement'],
      achievementType: 'BachelorDegree',
      name: '软件工程 (Software Engineering)',
      description: 'Awarded on a degree audit of the learner’s credit bank account.',
      criteria: { narrative: 'At least 140 credits meeting every requirement.' },
      humanCode: 'CB-BACHELOR',
      fieldOfStudy: 'ISCED-F 0613',
      creditsAvailable: 140,
    },
  },
});

export interface CredentialFigures {
  issue: Record<'rdfc' | 'jcs', { ours: number; library: number }>;
  verify: Record<'rdfc' | 'jcs', { ours: number; library: number }>;
  verifyDistinctRdfc: number;
}

export async function benchCredentials(database: Database, admin: Principal, scale: number): Promise<CredentialFigures> {
  const trust = trustOf({ publicUrl: 'https://bank.example.edu', masterKey: { base64: Buffer.alloc(32, 3).toString('base64') } });
  const x: Vc = { db: database.db, trust, loader: documentLoader(database.db, trust) };
  const [hxu] = ((await database.db.execute(sql`select id from institutions where code = 'HXU'`)) as unknown as { rows: { id: string }[] }).rows;
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.id = `${did}#${key.publicKeyMultibase}`;
  key.controller = did;
  const suites = { rdfc: [rdfc, rdfc], jcs: [createSignCryptosuite(), createVerifyCryptosuite()] } as const;
  const names = { rdfc: 'eddsa-rdfc-2022', jcs: 'eddsa-jcs-2022' } as const;
  const n = Math.max(20, Math.round(200 * scale));
  const figures = { issue: {}, verify: {} } as CredentialFigures;
  const librarySuites = [new DataIntegrityProof({ cryptosuite: rdfc }), new DataIntegrityProof({ cryptosuite: createVerifyCryptosuite() })];
  const issuedOnce: Record<string, Record<string, unknown>> = {};
  for (const s of ['rdfc', 'jcs'] as const) {
    process.stdout.write(`credentials: issuing and verifying with ${names[s]}…\n`);
    const ours = await rate(n, async (i) => (issuedOnce[s] = await issueAsInstitution(x, admin, body(i), { cryptosuite: names[s], institutionId: hxu!.id })));
    const library = await rate(n, (i) =>
      vc.issue({
        credential: { ...body(i), issuer: did, validFrom: '2024-01-01T00:00:00Z' },
        suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: suites[s][0] }),
        documentLoader: x.loader,
      }),
    );
    figures.issue[s] = { ours, library };
    const credential = issuedOnce[s]!;
    const check = await verifyCredential(x, credential);
    if (!check.verified) throw new Error(`the bank's own ${names[s]} credential did not verify: ${JSON.stringify(check.errors)}`);
    const libraryVerify = await rate(n, async () => {
      const r = await vc.verifyCredential({ credential, suite: librarySuites, documentLoader: x.loader, checkStatus: async () => ({ verified: true }) });
      if (!r.verified) throw new Error('the library did not verify the credential');
    });
    const oursVerify = await rate(n * 10, () => verifyCredential(x, credential));
    figures.verify[s] = { ours: oursVerify, library: libraryVerify };
  }
  // Different credentials each time: nothing cached but contexts and keys.
  const distinct: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.min(n, 100); i++)
    distinct.push(await issueAsInstitution(x, admin, body(100_000 + i), { cryptosuite: 'eddsa-rdfc-2022', institutionId: hxu!.id }));
  figures.verifyDistinctRdfc = await rate(distinct.length - 5, (i) => verifyCredential(x, distinct[i + 5]!));
  return figures;
}
