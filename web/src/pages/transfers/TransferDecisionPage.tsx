import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Radio, Segmented, Skeleton, Space, Tooltip, Typography, type ButtonProps } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Agreement } from '../../api/recognition';
import type { LineDecision, TransferApplication, TransferLine } from '../../api/transfers';
import type { Course, CreditUnit } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, formatDecimal } from '../../format';
import { useInstitutions } from '../standards/present';
import { CourseMultiSelect, courseLabel } from '../recognition/common';
import { useLanguage } from '../../i18n/useLanguage';
import { fromHundredths, toHundredths } from '../recognition/credits';
import { reasonText } from '../recognition/reasons';
import { LinesTable } from './LinesTable';
import { TransferSummary } from './TransferDetailPage';
import { capText, useTransferPolicy } from './TransferPolicyCard';
import { useIsRegistrarOf } from './TransferQueuePage';
import { WithdrawTransferButton, WithdrawalNote } from './WithdrawTransfer';
import { DecisionView, PostingsCard, countedWith, totalsText, transferKey, useTransfer } from './common';

type Choice = LineDecision['decision'];

interface Draft {
  decision?: Choice;
  targetKind: 'courses' | 'elective';
  courseIds: string[];
  category: string;
  credits: string;
  reason: string;
}

const blank = (l: TransferLine): Draft => ({
  targetKind: l.proposal.target?.kind === 'elective' ? 'elective' : 'courses',
  courseIds: l.proposal.target?.kind === 'courses' ? l.proposal.target.courses.map((c) => c.id) : [],
  category: l.proposal.target?.category ?? '',
  credits: l.proposal.credits && toHundredths(l.proposal.credits) ? formatDecimal(l.proposal.credits) : '',
  reason: '',
});

/** Accept takes the proposal as it is: only a Match that carries credits of its own. */
const acceptable = (l: TransferLine) => l.proposal.status === 'match' && l.proposal.credits !== null && countedWith(l.proposal) === null;

/** What is wrong with a line's decision, as i18n keys (empty: ready). */
function problems(l: TransferLine, d: Draft | undefined): string[] {
  if (!d?.decision) return ['transfer.decide.problem.choose'];
  const out: string[] = [];
  if (d.decision === 'accept' && !acceptable(l)) out.push('transfer.decide.problem.notMatch');
  if (d.decision === 'substitute') {
    if (d.targetKind === 'courses' ? d.courseIds.length === 0 : !d.category.trim()) out.push('transfer.decide.problem.target');
    const c = toHundredths(d.credits);
    if (c === null || c <= 0) out.push('transfer.decide.problem.credits');
  }
  if (d.decision !== 'accept' && d.reason.trim().length < 3) out.push('transfer.decide.problem.reason');
  return out;
}

function toBody(l: TransferLine, d: Draft): LineDecision {
  if (d.decision === 'accept') return { lineNo: l.lineNo, decision: 'accept' };
  if (d.decision === 'reject') return { lineNo: l.lineNo, decision: 'reject', reason: d.reason.trim() };
  return {
    lineNo: l.lineNo,
    decision: 'substitute',
    target: d.targetKind === 'courses' ? { kind: 'courses', courseIds: d.courseIds } : { kind: 'elective', category: d.category.trim() },
    credits: fromHundredths(toHundredths(d.credits) ?? 0),
    reason: d.reason.trim(),
  };
}

/** The decision control of one line: Accept (Match only), Substitute (what it becomes, credits, why) or Reject (why). */
function LineControl({
  line,
  draft,
  onChange,
  institutionId,
  unit,
  showProblems,
}: {
  line: TransferLine;
  draft: Draft;
  onChange: (d: Draft) => void;
  institutionId: string;
  unit: CreditUnit | null;
  showProblems: boolean;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const canAccept = acceptable(line);
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const issues = showProblems ? problems(line, draft) : [];
  const ruleReason = reasonText(t, line.proposal);
  const unitLabel = t(`unitLabel.${unit ?? 'credit'}`);
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="transfer-decide" data-decision={draft.decision ?? ''}>
      <Radio.Group optionType="button" buttonStyle="solid" value={draft.decision} onChange={(e) => set({ decision: e.target.value as Choice })}>
        <Radio.Button value="accept" disabled={!canAccept} data-testid="transfer-decide-accept">
          {t('transfer.decide.accept')}
        </Radio.Button>
        <Radio.Button value="substitute" data-testid="transfer-decide-substitute">
          {t('transfer.decide.substitute')}
        </Radio.Button>
        <Radio.Button value="reject" data-testid="transfer-decide-reject">
          {t('transfer.decide.reject')}
        </Radio.Button>
      </Radio.Group>
      {!canAccept && !draft.decision && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {countedWith(line.proposal) !== null ? t('transfer.decide.acceptZero') : t('transfer.decide.acceptOnlyMatch')}
        </Typography.Text>
      )}
      {draft.decision === 'accept' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="transfer-decide-accept-note">
          {t('transfer.decide.acceptNote', { credits: `${formatDecimal(line.proposal.credits)} ${t(`unitLabel.${line.proposal.unit ?? unit ?? 'credit'}`)}` })}
        </Typography.Text>
      )}
      {draft.decision === 'substitute' && (
        <Space direction="vertical" size={6} style={{ width: '100%' }}>
          <Segmented<'courses' | 'elective'>
            size="small"
            value={draft.targetKind}
            onChange={(k) => set({ targetKind: k })}
            options={[
              { value: 'courses', label: t('transfer.decide.toCourses') },
              { value: 'elective', label: t('transfer.decide.toElective') },
            ]}
            data-testid="transfer-sub-kind"
          />
          {draft.targetKind === 'courses' ? (
            <CourseMultiSelect
              institutionId={institutionId}
              value={draft.courseIds}
              max={10}
              known={new Map((line.proposal.target?.courses ?? []).map((c) => [c.id, courseLabel(lang, c)]))}
              placeholder={t('transfer.decide.coursesPlaceholder')}
              onChange={(ids) => set({ courseIds: ids })}
              onPicked={(cs: Course[]) => {
                // a blank credits box takes the courses' credits
                if (!draft.credits && cs.length > 0) {
                  const sum = cs.reduce((s, c) => s + (toHundredths(c.credits) ?? 0), 0);
                  onChange({ ...draft, courseIds: cs.map((c) => c.id), credits: fromHundredths(sum) });
                }
              }}
              testId="transfer-sub-courses"
            />
          ) : (
            <Input
              value={draft.category}
              maxLength={80}
              onChange={(e) => set({ category: e.target.value })}
              placeholder={t('transfer.decide.categoryPlaceholder')}
              data-testid="transfer-sub-category"
            />
          )}
          <Input
            value={draft.credits}
            onChange={(e) => set({ credits: e.target.value.trim() })}
            inputMode="decimal"
            addonBefore={t('transfer.decide.grant')}
            suffix={unitLabel}
            style={{ maxWidth: 260 }}
            data-testid="transfer-sub-credits"
          />
        </Space>
      )}
      {(draft.decision === 'substitute' || draft.decision === 'reject') && (
        <Space direction="vertical" size={2} style={{ width: '100%' }}>
          <Input.TextArea
            rows={2}
            maxLength={2000}
            value={draft.reason}
            onChange={(e) => set({ reason: e.target.value })}
            placeholder={t(draft.decision === 'reject' ? 'transfer.decide.rejectPlaceholder' : 'transfer.decide.substitutePlaceholder')}
            data-testid="transfer-line-reason-input"
          />
          {draft.decision === 'reject' && ruleReason && !draft.reason && line.proposal.status !== 'match' && (
            <Button
              type="link"
              size="small"
              style={{ padding: 0, height: 'auto', fontSize: 12 }}
              onClick={() => set({ reason: ruleReason })}
              data-testid="transfer-use-rule-reason"
            >
              {t('transfer.decide.useRuleReason')}
            </Button>
          )}
        </Space>
      )}
      {issues.length > 0 && (
        <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="transfer-decide-problem">
          {issues.map((k) => t(k)).join(' ')}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The server's refusal at a cap (code cap_exceeded), in the UI language, naming the cap; null for any other error. */
function capRefusal(t: TFunction, err: unknown, unit: CreditUnit | null): string | null {
  const p = err instanceof ApiError ? err.problem : null;
  if (p?.code !== 'cap_exceeded') return null;
  const x = p as unknown as Record<string, unknown>;
  const text = (k: string) => (typeof x[k] === 'string' || typeof x[k] === 'number' ? String(x[k]) : '');
  const scope = text('scope');
  if (!['agreement', 'source', 'total'].includes(scope) || !text('limit')) return null;
  const cap =
    scope === 'agreement'
      ? t('transfer.decide.capWhich.agreement', { code: text('scopeCode') })
      : scope === 'source'
        ? t('transfer.decide.capWhich.source', { code: text('scopeCode') })
        : t('transfer.decide.capWhich.total');
  return t('transfer.decide.capRefused', {
    cap,
    limit: formatDecimal(text('limit')),
    institution: text('institution'),
    held: formatDecimal(text('held')),
    line: text('line'),
    credits: formatDecimal(text('credits')),
    unit: t(`unitLabel.${unit ?? 'credit'}`),
  });
}

function confirmText(t: TFunction, app: TransferApplication, drafts: Record<number, Draft>, unit: CreditUnit | null): { counts: string; credits: string } {
  const n = { accept: 0, substitute: 0, reject: 0 };
  const granted: { credits: string | null; unit: CreditUnit | null }[] = [];
  for (const l of app.lines) {
    const d = drafts[l.lineNo];
    if (!d?.decision) continue;
    n[d.decision] += 1;
    if (d.decision === 'accept') granted.push({ credits: l.proposal.credits, unit: l.proposal.unit });
    if (d.decision === 'substitute') granted.push({ credits: d.credits, unit: unit ?? 'credit' });
  }
  return {
    counts: (['accept', 'substitute', 'reject'] as const)
      .filter((k) => n[k] > 0)
      .map((k) => t(`transfer.decide.count.${k}`, { count: n[k] }))
      .join(' · '),
    credits: totalsText(t, granted),
  };
}

/**
 * The target institution's registrar decides an application: every line at once, each accepted
 * as proposed (Match lines), substituted (another course or elective credit, with credits and a
 * reason) or rejected with a reason. Granted lines post to the learner's ledger straight away.
 */
export function TransferDecisionPage() {
  const { t } = useTranslation();
  const { modal, message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { id } = useParams<{ id: string }>();
  const q = useTransfer(id);
  const app = q.data;
  const institutionId = app?.targetInstitution.id ?? null;
  const canDecide = useIsRegistrarOf(institutionId);
  const institutions = useInstitutions();
  const unit = institutions.data?.items.find((i) => i.id === institutionId)?.creditSystem?.unit ?? null;
  const policy = useTransferPolicy(institutionId);
  const agreementIds = useMemo(() => [...new Set((app?.lines ?? []).map((l) => l.proposal.agreement?.id).filter((x): x is string => Boolean(x)))], [app]);
  const agreements = useQueries({
    queries: agreementIds.map((aid) => ({
      queryKey: ['agreement', aid],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get('/agreements/{id}', { params: { id: aid }, signal }),
      staleTime: 60_000,
    })),
  });

  const [drafts, setDrafts] = useState<Record<number, Draft>>({});
  const [tried, setTried] = useState(false);
  const draftOf = (l: TransferLine) => drafts[l.lineNo] ?? blank(l);

  const decide = useMutation({
    mutationFn: (lines: LineDecision[]) => api.post('/transfers/{id}/decide', { params: { id: id ?? '' }, body: { lines } }),
    onSuccess: (a) => {
      queryClient.setQueryData(transferKey(a.id), a);
      void queryClient.invalidateQueries({ queryKey: ['transfers', 'queue'] });
      void message.success(t('transfer.decide.done'));
    },
  });

  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.isError || !app) return <ErrorAlert error={q.error} />;

  const open = app.status === 'submitted';
  const deciding = open && canDecide;
  const all = app.lines.map((l) => ({ l, d: draftOf(l) }));
  const decided = all.filter((x) => x.d.decision).length;
  const ready = all.every((x) => problems(x.l, x.d).length === 0);

  const submit = () => {
    setTried(true);
    if (!ready) {
      void message.error(t('transfer.decide.notReady'));
      return;
    }
    const { counts, credits } = confirmText(t, app, Object.fromEntries(all.map((x) => [x.l.lineNo, x.d])), unit);
    modal.confirm({
      title: t('transfer.decide.confirmTitle'),
      content: (
        <Space direction="vertical" size={4}>
          <span data-testid="transfer-decide-confirm-counts">{counts}</span>
          <span>{t('transfer.decide.confirmCredits', { credits, learner: app.learnerName })}</span>
          <Typography.Text type="secondary">{t('transfer.decide.confirmFinal')}</Typography.Text>
        </Space>
      ),
      okText: t('transfer.decide.submit'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'transfer-decide-confirm' } as ButtonProps,
      onOk: () => decide.mutateAsync(all.map((x) => toBody(x.l, x.d))).catch(() => undefined),
    });
  };

  const caps = [
    ...agreements
      .map((a) => a.data)
      .filter((a): a is Agreement => Boolean(a))
      .map((a) => t('transfer.decide.capAgreement', { code: a.code, cap: capText(t, a.capCredits, unit) })),
    ...(policy.data
      ? [
          t('transfer.decide.capPerSource', { cap: capText(t, policy.data.capPerSource, unit) }),
          t('transfer.decide.capTotal', { cap: capText(t, policy.data.capTotal, unit) }),
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t('transfer.decide.title', { learner: app.learnerName })}
        subtitle={t('transfer.decide.subtitle', { at: formatDateTime(app.createdAt) })}
        extra={
          <Space wrap>
            {app.status === 'decided' && canDecide && <WithdrawTransferButton app={app} />}
            <Link to="/institution/transfers" data-testid="transfer-back">
              <ArrowLeftOutlined /> {t('transfer.queue.back')}
            </Link>
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <TransferSummary app={app} showLearner />
          {open && !canDecide && <Alert type="info" showIcon style={{ marginTop: 12 }} message={t('transfer.decide.reviewerOnly')} />}
          {app.status === 'withdrawn' && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="transfer-withdrawn-alert"
              message={t('transfer.detail.withdrawn')}
              description={<WithdrawalNote app={app} />}
            />
          )}
          {deciding && <Alert type="info" showIcon style={{ marginTop: 12 }} message={t('transfer.decide.howTitle')} description={t('transfer.decide.how')} />}
        </Card>
        <Card
          title={t('transfer.detail.linesTitle')}
          extra={
            deciding && (
              <Space size={12} wrap>
                <Typography.Text type="secondary" data-testid="transfer-decided-count">
                  {t('transfer.decide.progress', { done: decided, total: app.lines.length })}
                </Typography.Text>
                <Tooltip title={t('transfer.decide.acceptMatchesHelp')}>
                  <Button
                    icon={<CheckOutlined />}
                    disabled={!app.lines.some(acceptable)}
                    onClick={() =>
                      setDrafts((prev) => {
                        const next = { ...prev };
                        for (const l of app.lines) if (acceptable(l) && !prev[l.lineNo]?.decision) next[l.lineNo] = { ...draftOf(l), decision: 'accept' };
                        return next;
                      })
                    }
                    data-testid="transfer-accept-matches"
                  >
                    {t('transfer.decide.acceptMatches')}
                  </Button>
                </Tooltip>
              </Space>
            )
          }
        >
          <LinesTable
            app={app}
            decisionTitle={t(deciding ? 'transfer.line.yourDecision' : 'transfer.line.decision')}
            decisionWidth={deciding ? 380 : 300}
            decision={(l) =>
              deciding ? (
                <LineControl
                  line={l}
                  draft={draftOf(l)}
                  onChange={(d) => setDrafts((prev) => ({ ...prev, [l.lineNo]: d }))}
                  institutionId={app.targetInstitution.id}
                  unit={unit}
                  showProblems={tried}
                />
              ) : (
                <DecisionView line={l} />
              )
            }
          />
          {deciding && (
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', gap: 16, flexWrap: 'wrap', marginTop: 16 }}>
              <Space direction="vertical" size={2} data-testid="transfer-caps">
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('transfer.decide.capsTitle')}
                </Typography.Text>
                {caps.map((c) => (
                  <Typography.Text key={c} type="secondary" style={{ fontSize: 12 }}>
                    {c}
                  </Typography.Text>
                ))}
              </Space>
              <Button type="primary" size="large" icon={<SendOutlined />} loading={decide.isPending} onClick={submit} data-testid="transfer-decide-submit">
                {t('transfer.decide.submit')}
              </Button>
            </div>
          )}
          {decide.isError &&
            (capRefusal(t, decide.error, unit) ? (
              <Alert
                type="error"
                showIcon
                role="alert"
                style={{ marginTop: 16 }}
                message={t('transfer.decide.capTitle')}
                description={capRefusal(t, decide.error, unit)}
                data-testid="transfer-cap-refused"
              />
            ) : (
              <ErrorAlert error={decide.error} title={t('transfer.decide.failed')} style={{ marginTop: 16 }} />
            ))}
        </Card>
        {!open && <PostingsCard app={app} />}
      </Space>
    </>
  );
}
