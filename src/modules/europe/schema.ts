import { z } from 'zod';
import { CYCLES } from '../../core/europe/grading-import.js';
import { gradingTable } from '../recognition/schema.js';

export const europassRequest = z.object({
  learnerId: z.uuid().describe('the learner (a learner gives their own)'),
  institutionId: z.uuid().describe('the institution whose passing results the credential states, and which signs it'),
});
export const europassCredential = z.record(z.string(), z.unknown()).describe('an ELM 3 EuropeanDigitalCredential (JSON-LD), signed with eddsa-jcs-2022');

export const transcriptParams = z.object({ id: z.uuid() });
export const transcriptQuery = z.object({
  institutionId: z.uuid().optional().describe('one institution’s report; without it, every institution the caller may see'),
});

export const importQuery = z
  .object({
    cycle: z
      .enum(CYCLES)
      .optional()
      .describe('the cycle of tables that do not give one (EWP tables give none): short (EQF 5), first (6), second (7), third (8)'),
    fromYear: z.coerce.number().int().min(1990).max(2100).describe('first year of the reference group'),
    toYear: z.coerce.number().int().min(1990).max(2100).describe('last year of the reference group (at least two years)'),
    format: z.enum(['xml', 'csv', 'json']).optional().describe('by default from the file name, else from its first character'),
  })
  .refine((q) => q.toYear - q.fromYear >= 1, { message: 'a grading table covers at least two years (toYear − fromYear ≥ 1)', path: ['toYear'] });
export const importResult = z.object({ items: z.array(gradingTable) });
