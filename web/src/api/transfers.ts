// Shapes of credit transfer applications (学分转换申请; src/modules/recognition/schema.ts:
// newTransfer, transferDecision, transferApplication, transferLine, transferPolicy).
import type { Body, Res } from './client';
import type { CreditUnit } from './types';

export type TransferStatus = 'submitted' | 'decided' | 'withdrawn';
export type LineStatus = 'pending' | 'accepted' | 'substituted' | 'rejected' | 'withdrawn';

export type LineTarget = NonNullable<Res<'/transfers/{id}'>['lines'][number]['target']>;

export type TransferLine = Res<'/transfers/{id}'>['lines'][number];

export interface TransferPosting {
  seq: number;
  kind: string;
  amount: string;
  unit: CreditUnit;
  /** For a reversal: the kind of posting it undid (use or transfer_in). */
  reverses: string | null;
}

export type TransferApplication = Res<'/transfers/{id}'>;

export type NewTransfer = Body<'/me/transfers'>;

export type LineDecisionTarget = { kind: 'courses'; courseIds: string[] } | { kind: 'elective'; category: string };

export type LineDecision = Body<'/transfers/{id}/decide'>['lines'][number];

/** Caps on credits transferred into an institution, per learner; null: no cap. */
export type TransferPolicy = Res<'/institutions/{id}/transfer-policy'>;
