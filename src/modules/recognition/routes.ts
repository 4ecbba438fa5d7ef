import { z } from 'zod';
import { PUBLIC } from '../../http/guards.js';
import type { App, Deps } from '../../http/types.js';
import { idParams } from '../institutions/schema.js';
import * as agreements from './agreements.js';
import { checkTransfer } from './check.js';
import * as equivalences from './equivalences.js';
import {
  agreement,
  buildTableRequest,
  equivalence,
  equivalenceQuery,
  evaluationTask,
  evaluationTaskDetail,
  learningAgreement,
  learningAgreementChange,
  newLearningAgreement,
  gradeConversionRequest,
  gradeConversionResponse,
  gradingTable,
  newAgreement,
  newEquivalence,
  newEvaluationTask,
  newTransfer,
  taskDecision,
  transferApplication,
  transferCheck,
  transferDecision,
  transferPolicy,
  transferVerdict,
} from './schema.js';
import { convertGrade } from './service.js';
import * as tables from './tables.js';
import * as learningAgreements from './learning-agreements.js';
import * as transfers from './transfers.js';

const reasonBody = z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(2000) });
const institutionRef = z.object({ id: z.uuid(), code: z.string(), nameZh: z.string(), nameEn: z.string() });

export async function recognitionRoutes(app: App, { database: { db } }: Deps) {
  app.post(
    '/api/v1/grade-conversions',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'Convert a grade between two ECTS grading tables by band overlap (public, stateless)',
        body: gradeConversionRequest,
        response: { 200: gradeConversionResponse },
      },
    },
    async (req) => convertGrade(req.body),
  );

  // ---- agreements
  app.get(
    '/api/v1/agreements',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'Recognition agreements (public), optionally of one institution',
        querystring: z.object({ institutionId: z.uuid().optional() }),
        response: { 200: z.object({ items: z.array(agreement) }) },
      },
    },
    async (req) => ({ items: await agreements.listAgreements(db, req.query.institutionId) }),
  );
  app.get(
    '/api/v1/agreements/:id',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'One agreement with its parties and their approvals (public)',
        params: idParams,
        response: { 200: agreement },
      },
    },
    async (req) => agreements.getAgreement(db, req.params.id),
  );
  app.post(
    '/api/v1/agreements',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Propose an agreement (a party’s registrar; their institution approves by proposing)',
        body: newAgreement,
        response: { 201: agreement },
      },
    },
    async (req, reply) => reply.code(201).send(await agreements.proposeAgreement(db, req.principal, req.body)),
  );
  app.post(
    '/api/v1/agreements/:id/approve',
    {
      schema: { tags: ['recognition'], summary: 'Approve for your institution; in force once every party has', params: idParams, response: { 200: agreement } },
    },
    async (req) => agreements.approveAgreement(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/agreements/:id/terminate',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Terminate: it stops applying to new checks; past decisions stand',
        params: idParams,
        body: reasonBody,
        response: { 200: agreement },
      },
    },
    async (req) => agreements.terminateAgreement(db, req.principal, req.params.id, req.body.reason),
  );

  // ---- equivalences
  app.get(
    '/api/v1/equivalences',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'Equivalences (public; private notes for the two institutions’ staff)',
        querystring: equivalenceQuery,
        response: { 200: z.object({ items: z.array(equivalence) }) },
      },
    },
    async (req) => ({ items: await equivalences.listEquivalences(db, req.principal, req.query) }),
  );
  app.post(
    '/api/v1/equivalences',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Record an equivalence (the receiving institution’s registrars and reviewers); give replaces for a new version',
        body: newEquivalence,
        response: { 201: equivalence },
      },
    },
    async (req, reply) => reply.code(201).send(await equivalences.createEquivalence(db, req.principal, req.body)),
  );
  app.post(
    '/api/v1/equivalences/:id/retire',
    { schema: { tags: ['recognition'], summary: 'Retire an equivalence', params: idParams, body: reasonBody, response: { 200: equivalence } } },
    async (req) => equivalences.retireEquivalence(db, req.principal, req.params.id, req.body.reason),
  );

  // ---- evaluation tasks
  app.post(
    '/api/v1/evaluation-tasks',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Ask an institution to evaluate a course (signed in); a course already waiting is not asked twice',
        body: newEvaluationTask,
        response: { 201: evaluationTask },
      },
    },
    async (req, reply) => reply.code(201).send(await equivalences.createTask(db, req.principal, req.body)),
  );
  app.get(
    '/api/v1/institutions/:id/evaluation-tasks',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Courses waiting for this institution’s evaluation',
        params: idParams,
        querystring: z.object({ status: z.enum(['open', 'match', 'no_match', 'all']).default('open') }),
        response: { 200: z.object({ items: z.array(evaluationTask) }) },
      },
    },
    async (req) => ({ items: await equivalences.listTasks(db, req.principal, req.params.id, req.query.status) }),
  );
  app.get(
    '/api/v1/evaluation-tasks/:id',
    {
      schema: {
        tags: ['recognition'],
        summary: 'A task beside the likeliest equivalents of the target catalogue (BM25 over titles and learning outcomes)',
        params: idParams,
        response: { 200: evaluationTaskDetail },
      },
    },
    async (req) => equivalences.taskDetail(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/evaluation-tasks/:id/decide',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Decide: a match records an equivalence; no match records why',
        params: idParams,
        body: taskDecision,
        response: { 200: evaluationTaskDetail },
      },
    },
    async (req) => equivalences.decideTask(db, req.principal, req.params.id, req.body),
  );

  // ---- grading tables
  app.post(
    '/api/v1/institutions/:id/grading-tables',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Build an ECTS grading table from recorded passing grades (preview, or publish: true)',
        params: idParams,
        body: buildTableRequest,
        response: { 200: gradingTable, 201: gradingTable },
      },
    },
    async (req, reply) => reply.code(req.body.publish ? 201 : 200).send(await tables.buildGradingTable(db, req.principal, req.params.id, req.body)),
  );
  app.get(
    '/api/v1/institutions/:id/grading-tables',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'Published grading tables (public), with the Erasmus Without Paper shape',
        params: idParams,
        response: { 200: z.object({ items: z.array(gradingTable) }) },
      },
    },
    async (req) => ({ items: await tables.publishedTables(db, req.params.id) }),
  );

  // ---- will it transfer?
  app.post(
    '/api/v1/transfer-checks',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'Will it transfer? Match / Maybe / Miss per course (public; signed-in learners may check their account)',
        body: transferCheck,
        response: { 200: z.object({ target: institutionRef, on: z.string(), items: z.array(transferVerdict) }) },
      },
    },
    async (req) => checkTransfer(db, req.principal, req.body),
  );

  // ---- transfer applications
  app.post(
    '/api/v1/me/transfers',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Apply to have credits from your account recognised by a target institution; each line is proposed by the rules',
        body: newTransfer,
        response: { 201: transferApplication },
      },
    },
    async (req, reply) => reply.code(201).send(await transfers.applyForTransfer(db, req.principal, req.body)),
  );
  app.get(
    '/api/v1/me/transfers',
    { schema: { tags: ['recognition'], summary: 'My transfer applications', response: { 200: z.object({ items: z.array(transferApplication) }) } } },
    async (req) => ({ items: await transfers.myTransfers(db, req.principal) }),
  );
  app.get(
    '/api/v1/institutions/:id/transfers',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Transfer applications into the institution (its registrars and reviewers)',
        params: idParams,
        querystring: z.object({ status: z.enum(['submitted', 'decided', 'withdrawn', 'all']).default('submitted') }),
        response: { 200: z.object({ items: z.array(transferApplication) }) },
      },
    },
    async (req) => ({ items: await transfers.transfersInto(db, req.principal, req.params.id, req.query.status) }),
  );
  app.get(
    '/api/v1/transfers/:id',
    {
      schema: {
        tags: ['recognition'],
        summary: 'A transfer application with its lines and postings',
        params: idParams,
        response: { 200: transferApplication },
      },
    },
    async (req) => transfers.getTransfer(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/transfers/:id/decide',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Accept, substitute or reject every line (the target’s registrar); granted lines post to the ledger at once',
        params: idParams,
        body: transferDecision,
        response: { 200: transferApplication },
      },
    },
    async (req) => transfers.decideTransfer(db, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/v1/transfers/:id/withdraw',
    {
      schema: {
        tags: ['recognition'],
        summary:
          'Withdraw an application: the learner while it waits, the target’s registrar once decided (its postings are reversed); its credits are free again',
        params: idParams,
        body: z.object({ reason: z.string().trim().min(3, 'say why, in a few words').max(2000) }),
        response: { 200: transferApplication },
      },
    },
    async (req) => transfers.withdrawTransfer(db, req.principal, req.params.id, req.body.reason),
  );
  app.get(
    '/api/v1/institutions/:id/transfer-policy',
    {
      schema: {
        security: PUBLIC,
        tags: ['recognition'],
        summary: 'The caps on credits transferred into the institution (public)',
        params: idParams,
        response: { 200: transferPolicy },
      },
    },
    async (req) => transfers.getPolicy(db, req.params.id),
  );
  app.put(
    '/api/v1/institutions/:id/transfer-policy',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Set the caps on credits transferred into the institution (its registrars)',
        params: idParams,
        body: transferPolicy,
        response: { 200: transferPolicy },
      },
    },
    async (req) => transfers.setPolicy(db, req.principal, req.params.id, req.body),
  );

  // ---- learning agreements
  app.post(
    '/api/v1/learning-agreements',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Propose a learning agreement for an exchange (the learner or a home registrar); the proposer accepts by proposing',
        body: newLearningAgreement,
        response: { 201: learningAgreement },
      },
    },
    async (req, reply) => reply.code(201).send(await learningAgreements.proposeLearningAgreement(db, req.principal, req.body)),
  );
  app.get(
    '/api/v1/me/learning-agreements',
    { schema: { tags: ['recognition'], summary: 'My learning agreements', response: { 200: z.object({ items: z.array(learningAgreement) }) } } },
    async (req) => ({ items: await learningAgreements.myLearningAgreements(db, req.principal) }),
  );
  app.get(
    '/api/v1/institutions/:id/learning-agreements',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Learning agreements the institution is home or host to (its registrars)',
        params: idParams,
        response: { 200: z.object({ items: z.array(learningAgreement) }) },
      },
    },
    async (req) => ({ items: await learningAgreements.learningAgreementsAt(db, req.principal, req.params.id) }),
  );
  app.get(
    '/api/v1/learning-agreements/:id',
    {
      schema: {
        tags: ['recognition'],
        summary: 'A learning agreement with every version and who accepted it',
        params: idParams,
        response: { 200: learningAgreement },
      },
    },
    async (req) => learningAgreements.getLearningAgreement(db, req.principal, req.params.id),
  );
  app.post(
    '/api/v1/learning-agreements/:id/changes',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Propose a change: a new version, binding once all three accept',
        params: idParams,
        body: learningAgreementChange,
        response: { 200: learningAgreement },
      },
    },
    async (req) => learningAgreements.changeLearningAgreement(db, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/v1/learning-agreements/:id/accept',
    {
      schema: {
        tags: ['recognition'],
        summary: 'Accept the version waiting for acceptance, for your part (learner, home or host)',
        params: idParams,
        body: z.object({ version: z.number().int().min(1) }),
        response: { 200: learningAgreement },
      },
    },
    async (req) => learningAgreements.acceptLearningAgreement(db, req.principal, req.params.id, req.body.version),
  );
}
