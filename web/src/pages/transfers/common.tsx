// Pieces the credit transfer pages share: status tags, a line's source course, the rules' proposal,
// the decision taken, and the ledger postings a decision made.
import type { ReactNode } from 'react';
import { Card, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, RollbackOutlined, SwapOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Verdict } from '../../api/recognition';
import type { LineStatus, LineTarget, TransferApplication, TransferLine, TransferPosting, TransferStatus } from '../../api/transfers';
import type { CreditUnit } from '../../api/types';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { CourseName, VerdictTag } from '../recognition/common';
import { sumByUnit, toHundredths } from '../recognition/credits';
import { gradeMethodText, reasonText } from '../recognition/reasons';

export const MY_TRANSFERS_KEY = ['transfers', 'mine'] as const;
export const transferKey = (id: string) => ['transfers', 'one', id] as const;

export function useMyTransfers() {
  return useQuery({
    queryKey: MY_TRANSFERS_KEY,
    queryFn: ({ signal }) => api.get('/me/transfers', { signal }),
  });
}

export function useTransfer(id: string | undefined) {
  return useQuery({
    queryKey: transferKey(id ?? ''),
    enabled: Boolean(id),
    queryFn: ({ signal }) => api.get('/transfers/{id}', { params: { id: id ?? '' }, signal }),
  });
}

const APP_COLORS: Record<TransferStatus, string> = { submitted: 'processing', decided: 'success', withdrawn: 'default' };

export function TransferStatusTag({ status, testId = 'transfer-status' }: { status: TransferStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`transfer.statusHelp.${status}`)}>
      <Tag color={APP_COLORS[status]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid={testId} data-status={status}>
        {t(`transfer.status.${status}`)}
      </Tag>
    </Tooltip>
  );
}

const LINE_STYLE: Record<LineStatus, { color: string; icon: ReactNode }> = {
  pending: { color: 'processing', icon: <ClockCircleOutlined /> },
  accepted: { color: 'success', icon: <CheckCircleFilled /> },
  substituted: { color: 'cyan', icon: <SwapOutlined /> },
  rejected: { color: 'error', icon: <CloseCircleFilled /> },
  withdrawn: { color: 'default', icon: <RollbackOutlined /> },
};

export function LineStatusTag({ status }: { status: LineStatus }) {
  const { t } = useTranslation();
  const s = LINE_STYLE[status];
  return (
    <Tooltip title={t(`transfer.lineStatusHelp.${status}`)}>
      <Tag
        color={s.color}
        icon={s.icon}
        bordered={false}
        style={{ marginInlineEnd: 0, fontWeight: 500 }}
        data-testid="transfer-line-status"
        data-status={status}
      >
        {t(`transfer.lineStatus.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/** "3.5 学分" with the amount emphasised. */
export function Credits({ amount, unit, strong = false, testId }: { amount: string | null; unit: CreditUnit | null; strong?: boolean; testId?: string }) {
  const { t } = useTranslation();
  if (amount === null) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span className="cb-nowrap" data-testid={testId}>
      <Typography.Text strong={strong} className="cb-num" style={strong ? { color: '#237804' } : undefined}>
        {formatDecimal(amount)}
      </Typography.Text>{' '}
      <Typography.Text type="secondary">{unit ? t(`unitLabel.${unit}`) : ''}</Typography.Text>
    </span>
  );
}

/** Totals by unit, "7.5 学分" (or "—"), of lines or verdicts. */
export function totalsText(t: TFunction, items: { credits: string | null; unit: CreditUnit | null }[]): string {
  const totals = sumByUnit(items);
  if (totals.length === 0) return '—';
  return totals.map((x) => `${formatDecimal(x.total)} ${t(`unitLabel.${x.unit}`)}`).join(' + ');
}

/** Whether a posting takes credits out of the available balance: a use, or the reversal of credits that arrived. */
const takesOut = (p: TransferPosting) => p.kind === 'use' || p.reverses === 'transfer_in';

export const isGranted = (l: Pick<TransferLine, 'status'>) => l.status === 'accepted' || l.status === 'substituted';

/** The credits granted by an application, by unit. */
export function grantedText(t: TFunction, app: TransferApplication): string {
  return totalsText(t, app.lines.filter(isGranted));
}

/**
 * A Match that carries no credits of its own: the second course of a many-to-one equivalence; the
 * credits come on its partner's line. Returns the partner codes.
 */
export function countedWith(v: Pick<Verdict, 'status' | 'credits' | 'reason'>): string | null {
  if (v.status !== 'match' || v.credits === null || toHundredths(v.credits) !== 0) return null;
  return /^together with (.+)$/.exec(v.reason ?? '')?.[1] ?? '';
}

/** The other courses a Match needs ("together with JN-SW212, JN-SW213"), by code. */
export function partnersOf(v: Pick<Verdict, 'status' | 'reason'>): string[] {
  if (v.status !== 'match') return [];
  const m = /^together with (.+)$/.exec(v.reason ?? '');
  return m ? m[1]!.split(/,\s*/).filter(Boolean) : [];
}

/** What a credit becomes: target course(s), or elective credit of a category. */
export function TargetView({ target, testId }: { target: LineTarget | Verdict['target']; testId?: string }) {
  const { t } = useTranslation();
  if (!target) return <Typography.Text type="secondary">—</Typography.Text>;
  if (target.kind === 'elective')
    return (
      <span data-testid={testId}>
        <Tag color="blue" bordered={false} style={{ marginInlineEnd: 4 }}>
          {t('recognition.elective')}
        </Tag>
        {target.category}
      </span>
    );
  return (
    <Space direction="vertical" size={2} data-testid={testId}>
      {target.courses.map((c) => (
        <CourseName key={c.id} c={c} />
      ))}
    </Space>
  );
}

/** The course the learner completed: code and title, and where, with which grade, for how many credits. */
export function SourceCourse({ line, showInstitution = true }: { line: TransferLine; showInstitution?: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const bits = [
    showInstitution ? line.sourceInstitution.code : null,
    line.grade ? t('transfer.gradeGiven', { grade: line.grade }) : null,
    `${formatDecimal(line.sourceCredits)} ${t(`unitLabel.${line.sourceUnit}`)}`,
  ].filter(Boolean);
  return (
    <Tooltip title={showInstitution ? localName(lang, line.sourceInstitution.nameZh, line.sourceInstitution.nameEn) : undefined}>
      <span data-testid="transfer-line-source">
        <CourseName c={line.course} extra={bits.join(' · ')} />
      </span>
    </Tooltip>
  );
}

/** "82 · by the grading tables, largest overlap": the suggested grade and how it was reached. */
export function ConvertedGradeText({ v }: { v: Verdict }) {
  const { t } = useTranslation();
  const g = v.convertedGrade;
  if (!g) return null;
  if (g.method.trim() === 'none')
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('transfer.proposal.gradeAsGiven', { grade: g.grade })}
      </Typography.Text>
    );
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t('transfer.proposal.grade', { grade: g.grade })}
      <Tooltip title={t('recognition.grade.method', { method: gradeMethodText(t, g.method) })}>
        <span style={{ borderBottom: '1px dotted', marginInlineStart: 4 }}>{gradeMethodText(t, g.method)}</span>
      </Tooltip>
    </Typography.Text>
  );
}

/** The rules' proposal for a line: Match / Maybe / Miss, what it becomes, credits, grade, why, under which agreement. */
export function Proposal({ v, showAgreement = true, codesInApplication }: { v: Verdict; showAgreement?: boolean; codesInApplication?: Set<string> }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const partner = countedWith(v);
  const missing = codesInApplication ? partnersOf(v).filter((c) => !codesInApplication.has(c)) : [];
  const why =
    partner !== null
      ? t('transfer.proposal.countedWith', { codes: partner })
      : (reasonText(t, v) ?? (v.status === 'match' ? t('recognition.reason.matched') : null));
  return (
    <Space direction="vertical" size={4} data-testid="transfer-proposal" data-status={v.status}>
      <Space size={8} wrap>
        <VerdictTag status={v.status} />
        {v.credits !== null && partner === null && <Credits amount={v.credits} unit={v.unit} strong testId="transfer-proposal-credits" />}
      </Space>
      {v.target && <TargetView target={v.target} />}
      <ConvertedGradeText v={v} />
      {why && (
        <Typography.Text style={{ fontSize: 13 }} data-testid="transfer-proposal-reason">
          {why}
        </Typography.Text>
      )}
      {missing.length > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="transfer-proposal-partner-missing">
          <WarningOutlined /> {t('transfer.proposal.partnerMissing', { codes: missing.join(', ') })}
        </Typography.Text>
      )}
      {v.publicNote && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('recognition.check.note', { note: v.publicNote })}
        </Typography.Text>
      )}
      {showAgreement && v.agreement && (
        <Tooltip title={localName(lang, v.agreement.titleZh, v.agreement.titleEn)}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('transfer.proposal.agreement')} <span className="cb-mono">{v.agreement.code}</span>
          </Typography.Text>
        </Tooltip>
      )}
    </Space>
  );
}

/** The decision on a line: status, what was granted (target, credits, grade) and the registrar's reason. */
export function DecisionView({ line }: { line: TransferLine }) {
  const { t } = useTranslation();
  return (
    <Space direction="vertical" size={4} data-testid="transfer-decision">
      <Space size={8} wrap>
        <LineStatusTag status={line.status} />
        {isGranted(line) && <Credits amount={line.credits} unit={line.unit} strong testId="transfer-line-credits" />}
      </Space>
      {line.status === 'pending' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('transfer.decision.waiting')}
        </Typography.Text>
      )}
      {line.target && <TargetView target={line.target} testId="transfer-line-target" />}
      {isGranted(line) && line.convertedGrade && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="transfer-line-grade">
          {t(
            line.status === 'accepted' && line.proposal.convertedGrade && line.proposal.convertedGrade.method.trim() !== 'none'
              ? 'transfer.decision.gradeConverted'
              : 'transfer.decision.gradeAsGiven',
            { grade: line.convertedGrade },
          )}
        </Typography.Text>
      )}
      {line.reason && (
        <Typography.Text style={{ fontSize: 13 }} data-testid="transfer-line-reason">
          {t('transfer.decision.reason', { reason: line.reason })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The ledger postings a decided application made: each granted line uses the source credits and brings in the converted ones. */
export function PostingsCard({ app, accountLink }: { app: TransferApplication; accountLink?: string }) {
  const { t } = useTranslation();
  return (
    <Card
      title={t('transfer.postings.title')}
      extra={
        accountLink ? (
          <Link to={accountLink} data-testid="transfer-account-link">
            {t('transfer.postings.toAccount')}
          </Link>
        ) : undefined
      }
      data-testid="transfer-postings"
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('transfer.postings.help')}
      </Typography.Paragraph>
      <Table<TransferPosting>
        size="small"
        rowKey="seq"
        pagination={false}
        dataSource={app.postings}
        onRow={(p) => ({ 'data-testid': 'transfer-posting', 'data-kind': p.kind }) as React.HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t(app.status === 'submitted' ? 'transfer.postings.none' : 'transfer.postings.noneGranted')}
            />
          ),
        }}
        columns={[
          { title: t('ledger.seq'), dataIndex: 'seq', width: 80, align: 'right', render: (s: number) => <span className="cb-num">#{s}</span> },
          {
            title: t('ledger.kind'),
            dataIndex: 'kind',
            render: (k: string) => (
              <Tag bordered={false} color={k === 'transfer_in' ? 'cyan' : k === 'use' ? 'blue' : 'default'}>
                {t(`ledger.kindName.${k}`, { defaultValue: k })}
              </Tag>
            ),
          },
          {
            title: t('transfer.postings.meaning'),
            key: 'meaning',
            render: (_, p) => t(`transfer.postings.kind.${p.reverses ? `reversal_${p.reverses}` : p.kind}`, { defaultValue: '' }) || '—',
          },
          {
            title: t('ledger.amount'),
            key: 'amount',
            align: 'right',
            render: (_, p) => (
              <span className={takesOut(p) ? 'cb-amount-minus' : 'cb-amount-plus'}>
                {takesOut(p) ? '−' : '+'}
                {formatDecimal(p.amount)} <Typography.Text type="secondary">{t(`unitLabel.${p.unit}`)}</Typography.Text>
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** "3 courses: 2 Match · 1 Miss", from the proposals. */
export function ProposalCounts({ lines }: { lines: TransferLine[] }) {
  const counts = { match: 0, maybe: 0, miss: 0 };
  for (const l of lines) counts[l.proposal.status] += 1;
  return (
    <Space size={4} wrap>
      {(['match', 'maybe', 'miss'] as const)
        .filter((s) => counts[s] > 0)
        .map((s) => (
          <span key={s} style={{ whiteSpace: 'nowrap' }}>
            <VerdictTag status={s} /> <span className="cb-num">×{counts[s]}</span>
          </span>
        ))}
    </Space>
  );
}

/** "2 granted · 1 rejected" (or "3 waiting"), from the lines' statuses. */
export function lineSummary(t: TFunction, lines: TransferLine[]): string {
  const n = { pending: 0, accepted: 0, substituted: 0, rejected: 0, withdrawn: 0 };
  for (const l of lines) n[l.status] += 1;
  return (['pending', 'accepted', 'substituted', 'rejected', 'withdrawn'] as const)
    .filter((s) => n[s] > 0)
    .map((s) => t(`transfer.summary.${s}`, { count: n[s] }))
    .join(' · ');
}
