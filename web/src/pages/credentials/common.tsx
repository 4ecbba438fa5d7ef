// Pieces the credential pages share: status tags, kinds, and the verification result card that the
// public verify page shows for a pasted file and for a share link.
import type { ReactNode } from 'react';
import { Alert, Card, Descriptions, List, Result, Space, Tag, Tooltip, Typography } from 'antd';
import {
  CheckCircleFilled,
  ClockCircleFilled,
  CloseCircleFilled,
  ExclamationCircleFilled,
  MinusCircleFilled,
  PauseCircleFilled,
  QuestionCircleFilled,
  StopFilled,
  WarningFilled,
} from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CredentialKind, CredentialStatus, Verdict, Verification, VerificationProblem } from '../../api/credentials';
import { formatDateTime, formatDecimal } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { termText } from '../qualifications/common';
import { NameCheck, NameNotDisclosed, type HashedIdentity } from './HashedIdentity';

const STATUS_COLOR: Record<CredentialStatus, string> = { active: 'success', suspended: 'warning', revoked: 'error' };
const STATUS_ICON: Record<CredentialStatus, ReactNode> = { active: <CheckCircleFilled />, suspended: <PauseCircleFilled />, revoked: <StopFilled /> };

/** 有效 / 已暂停 / 已撤销, green / orange / red, with what it means on hover. */
export function CredentialStatusTag({ status, testId = 'credential-status' }: { status: CredentialStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`credentials.statusHelp.${status}`)}>
      <Tag
        color={STATUS_COLOR[status]}
        icon={STATUS_ICON[status]}
        bordered={false}
        style={{ marginInlineEnd: 0, fontWeight: 500 }}
        data-testid={testId}
        data-status={status}
      >
        {t(`credentials.status.${status}`)}
      </Tag>
    </Tooltip>
  );
}

const KIND_COLOR: Record<CredentialKind, string> = {
  award: 'gold',
  outcome: 'blue',
  certification: 'purple',
  transfer: 'geekblue',
  transcript: 'cyan',
  external: 'default',
};

export function KindTag({ kind }: { kind: CredentialKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLOR[kind]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="credential-kind" data-kind={kind}>
      {t(`credentials.kind.${kind}`)}
    </Tag>
  );
}

/** The reason and date of the last change of a credential that is not active. */
export function StatusReason({ reason, at }: { reason: string | null; at?: string | null }) {
  const { t } = useTranslation();
  if (!reason) return null;
  return (
    <Typography.Text style={{ fontSize: 12 }} data-testid="credential-status-reason">
      {t('credentials.reasonGiven', { reason })}
      {at && <Typography.Text type="secondary" style={{ fontSize: 12 }} className="cb-num">{` · ${formatDateTime(at)}`}</Typography.Text>}
    </Typography.Text>
  );
}

/** The verdict's look: a Result status, an icon colour and whether the details can be trusted. */
const VERDICT_STYLE: Record<Verdict, { color: string; Icon: typeof CheckCircleFilled; trusted: boolean }> = {
  valid: { color: '#237804', Icon: CheckCircleFilled, trusted: true },
  revoked: { color: '#cf1322', Icon: StopFilled, trusted: true },
  suspended: { color: '#ad4e00', Icon: PauseCircleFilled, trusted: true },
  expired: { color: '#595959', Icon: ClockCircleFilled, trusted: true },
  not_yet_valid: { color: '#595959', Icon: ClockCircleFilled, trusted: true },
  altered: { color: '#cf1322', Icon: CloseCircleFilled, trusted: false },
  unknown_issuer: { color: '#ad4e00', Icon: QuestionCircleFilled, trusted: false },
  malformed: { color: '#cf1322', Icon: WarningFilled, trusted: false },
};

const PROBLEM_CODES = [
  'malformed',
  'unknown_context',
  'unknown_issuer',
  'undefined_term',
  'key_not_authorized',
  'invalid_signature',
  'key_retired',
  'revoked',
  'suspended',
  'expired',
  'not_yet_valid',
  'status_not_checked',
];

/** A problem the verifier reported, in the UI language when we know its code; the server's words otherwise. */
export function problemText(t: TFunction, p: VerificationProblem): string {
  return PROBLEM_CODES.includes(p.code) ? t(`credentials.problem.${p.code}`) : p.message;
}

const ACHIEVEMENT_TYPES = [
  'BachelorDegree',
  'AssociateDegree',
  'MasterDegree',
  'Diploma',
  'Certificate',
  'Course',
  'MicroCredential',
  'ApprenticeshipCertificate',
  'Award',
];

function achievementType(t: TFunction, type: string | null): string | null {
  if (!type) return null;
  return ACHIEVEMENT_TYPES.includes(type) ? t(`credentials.achievementType.${type}`) : type;
}

/** Which of the three checks passed, failed, or were not reached, from the verdict. */
function checkStates(v: Verification): { key: 'proof' | 'validity' | 'status'; state: 'ok' | 'failed' | 'skipped' | 'partial' }[] {
  const proofFailed = v.status === 'altered' || v.status === 'unknown_issuer' || v.status === 'malformed';
  const statusNotChecked = v.warnings.some((w) => w.code === 'status_not_checked');
  return [
    { key: 'proof', state: proofFailed ? 'failed' : 'ok' },
    {
      key: 'status',
      state:
        proofFailed || !v.checks.includes('status')
          ? 'skipped'
          : v.status === 'revoked' || v.status === 'suspended'
            ? 'failed'
            : statusNotChecked
              ? 'partial'
              : 'ok',
    },
    {
      key: 'validity',
      state:
        proofFailed || v.status === 'revoked' || v.status === 'suspended'
          ? 'skipped'
          : v.status === 'expired' || v.status === 'not_yet_valid'
            ? 'failed'
            : 'ok',
    },
  ];
}

const CHECK_LOOK = {
  ok: { color: 'success', icon: <CheckCircleFilled /> },
  failed: { color: 'error', icon: <CloseCircleFilled /> },
  partial: { color: 'warning', icon: <ExclamationCircleFilled /> },
  skipped: { color: 'default', icon: <MinusCircleFilled /> },
} as const;

/**
 * The verifier's errors or warnings in words. In Chinese the server's own (English) words follow in
 * grey, as the technical detail; in English they are the text.
 */
function ProblemList({ title, items, type, testId }: { title: string; items: VerificationProblem[]; type: 'danger' | 'warning'; testId: string }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  if (items.length === 0) return null;
  return (
    <div style={{ marginTop: 16 }} data-testid={testId}>
      <Typography.Text strong>{title}</Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
        {items.map((p) => (
          <li key={`${p.code}:${p.message}`} data-code={p.code}>
            <Typography.Text type={type}>{lang === 'en' ? p.message : problemText(t, p)}</Typography.Text>
            {lang !== 'en' && p.message !== problemText(t, p) && (
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {t('credentials.technicalDetail')}
                <span lang="en">{p.message}</span>
              </Typography.Text>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const VERDICT_TAG: Record<Verdict, string> = {
  valid: 'success',
  revoked: 'error',
  suspended: 'warning',
  expired: 'default',
  not_yet_valid: 'default',
  altered: 'error',
  unknown_issuer: 'warning',
  malformed: 'error',
};

/** The verdict on one credential inside another (a transcript's courses), as a small tag. */
export function VerdictTag({ status }: { status: Verdict }) {
  const { t } = useTranslation();
  const { Icon } = VERDICT_STYLE[status];
  return (
    <Tag color={VERDICT_TAG[status]} icon={<Icon />} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="verdict-tag" data-status={status}>
      {t(`credentials.verdictShort.${status}`)}
    </Tag>
  );
}

/** A transcript's credentials, each with its own verdict; a warning first when not all are valid. */
function IncludedList({ items, dim }: { items: NonNullable<Verification['included']>; dim: boolean }) {
  const { t } = useTranslation();
  const notValid = items.filter((i) => i.status !== 'valid').length;
  return (
    <div style={{ marginTop: 16 }} data-testid="verify-included" data-count={items.length}>
      <Space size={8} wrap style={{ marginBottom: 6 }}>
        <Typography.Text strong>{t('credentials.included.title')}</Typography.Text>
        <Typography.Text type="secondary">{t('credentials.included.count', { count: items.length })}</Typography.Text>
      </Space>
      {notValid > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={t('credentials.included.notAllValid', { count: notValid, total: items.length })}
          data-testid="verify-included-warning"
        />
      )}
      {items.length === 0 ? (
        <Typography.Paragraph type="secondary">{t('credentials.included.none')}</Typography.Paragraph>
      ) : (
        <List
          size="small"
          bordered
          dataSource={items.map((item, i) => ({ ...item, n: i + 1 }))}
          style={{ opacity: dim ? 0.75 : 1 }}
          renderItem={(item) => (
            <List.Item key={item.n} data-testid="verify-included-item" data-status={item.status} extra={<VerdictTag status={item.status} />}>
              <Space size={8} style={{ minWidth: 0 }}>
                <Typography.Text type="secondary" className="cb-num" style={{ display: 'inline-block', minWidth: 20, textAlign: 'right' }}>
                  {item.n}
                </Typography.Text>
                <Typography.Text data-testid="verify-included-name">{item.name ?? t('credentials.included.unnamed')}</Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

/**
 * The answer to "can I trust this record?": the verdict large, then what the credential states
 * (issuer, holder, achievement, credits, dates), then, for a transcript, the credentials inside it,
 * then the verifier's errors and warnings in words. `name` is the credential's own name, shown when
 * it states no achievement (a transcript). `hidden`: the credential's hashed identifiers, when it names
 * its holder only so (a share with the name hidden): the holder reads "not disclosed", with a box to check a name.
 */
export function VerificationCard({
  v,
  name,
  extra,
  footer,
  hidden = [],
}: {
  v: Verification;
  name?: string | null;
  extra?: ReactNode;
  footer?: ReactNode;
  hidden?: HashedIdentity[];
}) {
  const { t } = useTranslation();
  const look = VERDICT_STYLE[v.status];
  const a = v.achievement;
  const change = v.statusChange;
  const subtitle =
    (v.status === 'revoked' || v.status === 'suspended') && change
      ? t(`credentials.verdictChange.${v.status}`, { date: formatDateTime(change.at) })
      : v.status === 'expired' && v.validUntil
        ? t('credentials.verdictHelp.expiredOn', { date: formatDateTime(v.validUntil) })
        : v.status === 'not_yet_valid' && v.validFrom
          ? t('credentials.verdictHelp.validFromDate', { date: formatDateTime(v.validFrom) })
          : v.status === 'valid' && !v.checks.includes('status')
            ? t('credentials.verdictHelp.validWithoutStatus')
            : t(`credentials.verdictHelp.${v.status}`);

  const rows: { key: string; label: string; children: ReactNode; span?: number }[] = [];
  const add = (key: string, value: ReactNode, span?: number) => {
    if (value === null || value === undefined || value === '') return;
    rows.push({ key, label: t(`credentials.field.${key}`), children: value, span });
  };
  // what was achieved, by whom, then who says so: two columns, the long identifiers across both
  add('holder', v.holder.length ? <span data-testid="verify-holder">{v.holder.join(' / ')}</span> : hidden.length ? <NameNotDisclosed /> : null);
  add('name', !a?.name && name ? <span data-testid="verify-name">{name}</span> : null);
  add('achievement', a?.name ? <span data-testid="verify-achievement">{a.name}</span> : null);
  add('type', achievementType(t, a?.type ?? null));
  add('code', a?.code ? <span className="cb-mono">{a.code}</span> : null);
  add(
    'credits',
    a && (a.creditsEarned !== null || a.creditsAvailable !== null) ? (
      <span className="cb-num" data-testid="verify-credits">
        {a.creditsEarned !== null ? formatDecimal(a.creditsEarned) : '—'}
        {a.creditsAvailable !== null && <Typography.Text type="secondary">{` / ${formatDecimal(a.creditsAvailable)}`}</Typography.Text>}
      </span>
    ) : null,
  );
  add('field', a?.field ?? null);
  add('result', a?.result ? <span className="cb-num">{a.result}</span> : null);
  add('term', a?.term ? termText(t, a.term) : null);
  add(
    'issuer',
    v.issuer.name || v.issuer.id ? (
      <Space size={8} wrap>
        <span data-testid="verify-issuer">{v.issuer.name ?? '—'}</span>
        {v.issuer.ofThisBank && (
          <Tag color="blue" bordered={false}>
            {t('credentials.ofThisBank')}
          </Tag>
        )}
      </Space>
    ) : null,
  );
  add('validFrom', v.validFrom ? <span className="cb-num">{formatDateTime(v.validFrom)}</span> : null);
  add('validUntil', v.validUntil ? <span className="cb-num">{formatDateTime(v.validUntil)}</span> : null);
  add(
    'issuerDid',
    v.issuer.id ? (
      <Typography.Text className="cb-mono" copyable style={{ wordBreak: 'break-all' }}>
        {v.issuer.id}
      </Typography.Text>
    ) : null,
    2,
  );
  add('cryptosuite', v.cryptosuite ? <span className="cb-mono">{v.cryptosuite}</span> : null);
  add(
    'credentialId',
    v.credentialId ? (
      <span className="cb-mono" style={{ wordBreak: 'break-all' }}>
        {v.credentialId}
      </span>
    ) : null,
  );

  return (
    <Card data-testid="verify-result" data-status={v.status} style={{ borderTop: `4px solid ${look.color}` }} styles={{ body: { paddingTop: 8 } }}>
      <Result
        style={{ padding: '16px 0 8px' }}
        icon={<look.Icon style={{ color: look.color, fontSize: 64 }} />}
        title={
          <span data-testid="verify-status" data-status={v.status} style={{ color: look.color, fontWeight: 600 }}>
            {t(`credentials.verdict.${v.status}`)}
          </span>
        }
        subTitle={<span data-testid="verify-subtitle">{subtitle}</span>}
        extra={
          <Space direction="vertical" size={12} style={{ width: '100%', alignItems: 'center' }}>
            {(v.status === 'revoked' || v.status === 'suspended') && change && (
              <Typography.Paragraph style={{ fontSize: 16, marginBottom: 0, maxWidth: 720 }} data-testid="verify-reason">
                {t('credentials.reasonGiven', { reason: change.reason })}
              </Typography.Paragraph>
            )}
            <Space size={8} wrap style={{ justifyContent: 'center' }} data-testid="verify-checks">
              {checkStates(v).map((c) => (
                <Tooltip key={c.key} title={t(`credentials.checkHelp.${c.key}`)}>
                  <Tag color={CHECK_LOOK[c.state].color} icon={CHECK_LOOK[c.state].icon} bordered={false} data-check={c.key} data-state={c.state}>
                    {t(`credentials.check.${c.key}`)} · {t(`credentials.checkState.${c.state}`)}
                  </Tag>
                </Tooltip>
              ))}
            </Space>
            {extra}
          </Space>
        }
      />
      {v.verified && !v.issuer.ofThisBank && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} message={t('credentials.notOfThisBank')} data-testid="verify-not-of-this-bank" />
      )}
      {!look.trusted && rows.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('credentials.untrusted')} data-testid="verify-untrusted" />
      )}
      {rows.length > 0 && (
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
          items={rows}
          styles={{ label: { width: 150, whiteSpace: 'nowrap' } }}
          style={{ opacity: look.trusted ? 1 : 0.75 }}
          data-testid="verify-details"
        />
      )}
      {hidden.length > 0 && look.trusted && <NameCheck identities={hidden} />}
      {v.included && <IncludedList items={v.included} dim={!look.trusted} />}
      <ProblemList title={t('credentials.errors')} items={v.errors} type="danger" testId="verify-errors" />
      <ProblemList title={t('credentials.warnings')} items={v.warnings} type="warning" testId="verify-warnings" />
      {footer}
    </Card>
  );
}
