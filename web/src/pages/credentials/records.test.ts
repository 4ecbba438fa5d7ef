import { describe, expect, it } from 'vitest';
import type { Credential } from '../../api/credentials';
import type { Outcome } from '../../api/types';
import { hasLiveCredential, stoppedAt, stoppedCredentialOf, transcriptSize, transcriptSources } from './records';

const HXU = { id: 'i-hxu', code: 'HXU', nameZh: '华夏大学', nameEn: 'Huaxia University' };
const JNVC = { id: 'i-jnvc', code: 'JNVC', nameZh: '江南职业学院', nameEn: 'Jiangnan Vocational College' };

function outcome(id: string, inst: typeof HXU, over: Partial<Outcome> = {}): Outcome {
  return {
    id,
    institutionId: inst.id,
    institutionCode: inst.code,
    institutionNameZh: inst.nameZh,
    institutionNameEn: inst.nameEn,
    courseId: `c-${id}`,
    courseCode: id.toUpperCase(),
    courseTitleZh: id,
    courseTitleEn: id,
    term: '2021-2022-1',
    attempt: 1,
    grade: '88',
    resultStatus: 'normal',
    passed: true,
    credits: '3',
    unit: 'credit',
    hours: 48,
    completedOn: '2022-01-15',
    status: 'recorded',
    reason: null,
    createdAt: '2022-01-20T00:00:00Z',
    ...over,
  };
}

function credential(id: string, subjectId: string, over: Partial<Credential> = {}): Credential {
  return {
    id,
    kind: 'outcome',
    subjectId,
    name: id,
    creditsEarned: 3,
    institution: HXU,
    learnerId: 'l1',
    cryptosuite: 'eddsa-rdfc-2022',
    status: 'active',
    statusReason: null,
    issuedAt: '2026-01-01T00:00:00Z',
    events: [],
    document: {},
    shares: [],
    ...over,
  };
}

const revoked = (id: string, subjectId: string, at: string, reason = 'issued in error') =>
  credential(id, subjectId, { status: 'revoked', statusReason: reason, events: [{ status: 'revoked', reason, at }] });

describe('records and their credentials', () => {
  it('counts an active or suspended credential as live, a revoked one not', () => {
    const items = [credential('a', 'r1'), credential('b', 'r2', { status: 'suspended' }), revoked('c', 'r3', '2026-02-01T00:00:00Z')];
    expect(hasLiveCredential(items, 'r1')).toBe(true);
    expect(hasLiveCredential(items, 'r2')).toBe(true);
    expect(hasLiveCredential(items, 'r3')).toBe(false);
    expect(hasLiveCredential(items, 'r4')).toBe(false);
  });

  it('finds the credential the issuer stopped: revoked before suspended, the latest change first', () => {
    const items = [
      credential('live', 'r1'),
      revoked('old', 'r1', '2026-01-05T00:00:00Z', 'first'),
      revoked('new', 'r1', '2026-03-05T00:00:00Z', 'second'),
      credential('paused', 'r1', { status: 'suspended', events: [{ status: 'suspended', reason: 'checking', at: '2026-04-01T00:00:00Z' }] }),
    ];
    expect(stoppedCredentialOf(items, 'r1')?.id).toBe('new');
    expect(stoppedCredentialOf([credential('live', 'r1')], 'r1')).toBeNull();
    expect(stoppedAt(items[2]!)).toBe('2026-03-05T00:00:00Z');
    expect(stoppedAt(items[0]!)).toBeNull();
  });

  it('offers a transcript from each institution with passing results, the latest first, with credits per unit', () => {
    const outcomes = [
      outcome('j1', JNVC, { completedOn: '2018-07-10', credits: '2.5' }),
      outcome('j2', JNVC, { completedOn: '2019-01-15', credits: '4' }),
      outcome('h1', HXU, { completedOn: '2023-01-15', credits: '3.5' }),
      outcome('h2', HXU, { completedOn: '2022-07-10', credits: '5', unit: 'ects' }),
      outcome('h3', HXU, { passed: false, grade: '40' }),
      outcome('h4', HXU, { status: 'superseded' }),
    ];
    const transcripts = [
      credential('t1', HXU.id, { kind: 'transcript', issuedAt: '2026-02-01T00:00:00Z' }),
      credential('t2', HXU.id, { kind: 'transcript', issuedAt: '2026-03-01T00:00:00Z' }),
    ];
    const sources = transcriptSources(outcomes, transcripts);
    expect(sources.map((s) => s.institution.code)).toEqual(['HXU', 'JNVC']);
    expect(sources[0]).toMatchObject({
      results: 2,
      credits: [
        { unit: 'credit', amount: 3.5 },
        { unit: 'ects', amount: 5 },
      ],
      lastIssuedAt: '2026-03-01T00:00:00Z',
      blockedBy: null,
    });
    expect(sources[1]).toMatchObject({ results: 2, credits: [{ unit: 'credit', amount: 6.5 }], lastIssuedAt: null, blockedBy: null });
    expect(transcriptSources([], [])).toEqual([]);
  });

  it('says which result’s stopped credential keeps an institution from issuing a transcript', () => {
    const outcomes = [outcome('h1', HXU), outcome('h2', HXU), outcome('j1', JNVC)];
    const items = [credential('ok', 'h1'), revoked('bad', 'h2', '2026-02-01T00:00:00Z')];
    const [hxu, jnvc] = transcriptSources(outcomes, items);
    expect(hxu?.blockedBy?.id).toBe('bad');
    expect(jnvc?.blockedBy).toBeNull();
  });

  it('counts the credentials inside a transcript', () => {
    expect(transcriptSize({ credentialSubject: { verifiableCredential: [{}, {}, {}] } })).toBe(3);
    expect(transcriptSize({ credentialSubject: {} })).toBe(0);
    expect(transcriptSize({ credentialSubject: { type: 'Person', hasClaim: [{}, {}] } })).toBe(2); // a Europass (ELM) credential
    expect(transcriptSize({})).toBe(0);
  });
});
