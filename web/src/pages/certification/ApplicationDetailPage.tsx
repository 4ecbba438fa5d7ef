import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Skeleton, Space, Table, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { hasRole, useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, formatDecimal, localName } from '../../format';
import { eqfLevelText, iscedText } from '../standards/present';
import { useLanguage } from '../../i18n/useLanguage';
import { ActionModal } from './ActionModal';
import { tallyOf } from './duration';
import { StatusTag, useCredits, useFormatDuration, useNow, useStandardName } from './common';
import { AppealEvidenceCard } from './AppealEvidence';
import { certificationKey, EvidencePanel } from './EvidencePanel';
import { CERT_STATUSES, OPEN_STATUSES, type ApplicationDetail, type CertAction, type CertEvent, type CertStatus, type Votes } from './types';
import { RateDecision } from '../quality/RateDecision';

/** Decided applications, whose decision the learner may rate. */
const RATEABLE: CertStatus[] = ['approved', 'rejected', 'revoked'];

/** The order buttons appear in: the learner's, then the decisions, then the rare ones. */
const ACTION_ORDER: CertAction[] = ['submit', 'resubmit', 'approve', 'vote', 'request_info', 'reject', 'appeal', 'withdraw', 'revoke'];
const PRIMARY: CertAction[] = ['submit', 'resubmit', 'approve', 'vote', 'appeal'];
const DANGER: CertAction[] = ['reject', 'withdraw', 'revoke'];

const isStatus = (s: string | null): s is CertStatus => s !== null && (CERT_STATUSES as readonly string[]).includes(s);

export function useCertification(id: string | undefined) {
  return useQuery({
    queryKey: certificationKey(id ?? ''),
    enabled: Boolean(id),
    queryFn: ({ signal }) => api.get('/certifications/{id}', { params: { id: id ?? '' }, signal }),
  });
}

/** One application, for its learner, its reviewer, the committee and administrators. */
export function ApplicationDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const me = useCurrentUser();
  const detail = useCertification(id);
  const [action, setAction] = useState<CertAction | null>(null);

  // Back to the list this user came from: their own applications, the review queue or the committee's.
  const back =
    hasRole(me, 'learner') && detail.data?.learnerId === me.learnerId
      ? '/certifications'
      : hasRole(me, 'committee') && detail.data?.route === 'committee'
        ? '/committee/certifications'
        : hasRole(me, 'reviewer', 'admin')
          ? '/review/certifications'
          : hasRole(me, 'committee')
            ? '/committee/certifications'
            : hasRole(me, 'learner')
              ? '/certifications'
              : null;

  if (detail.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (detail.isError) {
    if (detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 403)) {
      return (
        <Result
          status={detail.error.status === 404 ? '404' : '403'}
          title={detail.error.status}
          subTitle={t('certification.detail.notFound')}
          extra={back && <Link to={back}>{t('certification.detail.back')}</Link>}
        />
      );
    }
    return <ErrorAlert error={detail.error} />;
  }
  const app = detail.data;
  const actions = ACTION_ORDER.filter((a) => app.allowedActions.includes(a));
  const mine = app.learnerId === me.learnerId;

  return (
    <>
      {back && (
        <Link to={back} style={{ display: 'inline-block', marginBottom: 8 }} data-testid="cert-back">
          <ArrowLeftOutlined /> {t('certification.detail.back')}
        </Link>
      )}
      <PageHeader
        title={
          <Space size={12} wrap>
            <span data-testid="cert-title">{app.title}</span>
            <StatusTag status={app.status} testId="cert-status" />
          </Space>
        }
        subtitle={mine ? t('certification.detail.subtitleMine') : t('certification.detail.subtitle', { name: app.learnerName, accountNo: app.accountNo })}
        extra={
          actions.length > 0 && (
            <Space wrap data-testid="cert-actions">
              {actions.map((a) => (
                <Button
                  key={a}
                  type={PRIMARY.includes(a) ? 'primary' : 'default'}
                  danger={DANGER.includes(a)}
                  onClick={() => setAction(a)}
                  data-testid={`cert-action-${a}`}
                >
                  {t(`certification.action.${a}`)}
                </Button>
              ))}
            </Space>
          )
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <StatusAlert app={app} mine={mine} />
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={14}>
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              <Summary app={app} />
              {app.votes && <VotesCard votes={app.votes} app={app} />}
              <Card title={t('certification.evidence.title')}>
                <EvidencePanel app={app} editable={mine && (app.status === 'draft' || app.status === 'more_info')} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} xl={10}>
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              {mine && app.status === 'appealed' && <AppealEvidenceCard app={app} />}
              {mine && RATEABLE.includes(app.status) && <RateDecision subjectType="certification" subjectId={app.id} />}
              <History app={app} />
            </Space>
          </Col>
        </Row>
      </Space>
      <ActionModal app={app} action={action} onClose={() => setAction(null)} />
    </>
  );
}

/** What the application waits for, and what the learner can do about it. */
function StatusAlert({ app, mine }: { app: ApplicationDetail; mine: boolean }) {
  const { t } = useTranslation();
  const credits = useCredits();
  const formatDuration = useFormatDuration();
  const now = useNow();
  const lastEvent = app.events[app.events.length - 1];
  const tally = lastEvent ? tallyOf(lastEvent) : null;
  const lastReason = tally
    ? t('certification.alert.committeeTally', tally)
    : ([...app.events].reverse().find((e) => e.reason && e.action !== 'vote')?.reason ?? null);
  const waited = formatDuration(now - new Date(app.waitingSince).getTime());
  const canAppeal = app.allowedActions.includes('appeal');

  switch (app.status) {
    case 'approved':
      return (
        <Alert
          type="success"
          showIcon
          data-testid="cert-status-alert"
          message={t(mine ? 'certification.alert.approved' : 'certification.alert.approvedStaff', { credits: credits(app.creditsGranted, app.unit) })}
          description={app.decidedAt ? t('certification.alert.decidedAt', { at: formatDateTime(app.decidedAt) }) : undefined}
        />
      );
    case 'rejected':
      return (
        <Alert
          type="error"
          showIcon
          data-testid="cert-status-alert"
          message={app.appealed ? t('certification.alert.rejectedFinal') : t('certification.alert.rejected')}
          description={
            <>
              {tally ? <div>{lastReason}</div> : lastReason && <div>{t('certification.alert.reason', { reason: lastReason })}</div>}
              {canAppeal && app.appealDeadline && (
                <div data-testid="cert-appeal-deadline">
                  {t(mine ? 'certification.alert.appealUntil' : 'certification.alert.appealUntilStaff', { at: formatDateTime(app.appealDeadline) })}
                </div>
              )}
              {!canAppeal && !app.appealed && app.appealDeadline && new Date(app.appealDeadline).getTime() < now && (
                <div>{t('certification.alert.appealClosed', { at: formatDateTime(app.appealDeadline) })}</div>
              )}
            </>
          }
        />
      );
    case 'more_info':
      return (
        <Alert
          type="warning"
          showIcon
          data-testid="cert-status-alert"
          message={mine ? t('certification.alert.moreInfoMine') : t('certification.alert.moreInfo')}
          description={lastReason ? t('certification.alert.reason', { reason: lastReason }) : undefined}
        />
      );
    case 'draft':
      return mine ? <Alert type="info" showIcon data-testid="cert-status-alert" message={t('certification.alert.draft')} /> : null;
    case 'submitted':
    case 'committee':
    case 'appealed':
      return (
        <Alert
          type="info"
          showIcon
          icon={<ClockCircleOutlined />}
          data-testid="cert-status-alert"
          message={t(`certification.alert.${app.status}`, { waited })}
        />
      );
    case 'withdrawn':
    case 'revoked':
      return (
        <Alert
          type="warning"
          showIcon
          data-testid="cert-status-alert"
          message={t(`certification.alert.${app.status}`)}
          description={lastReason ? t('certification.alert.reason', { reason: lastReason }) : undefined}
        />
      );
  }
}

function Summary({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const credits = useCredits();
  const standardName = useStandardName();
  return (
    <Card title={t('certification.detail.summary')}>
      <Descriptions column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} size="small" data-testid="cert-summary">
        <Descriptions.Item label={t('certification.field.standard')} span="filled">
          {app.standard ? (
            <Space direction="vertical" size={0}>
              <span>
                {standardName(app)}{' '}
                <Typography.Text type="secondary" className="cb-mono">
                  {app.standard.code} · v{app.standard.version}
                </Typography.Text>
              </span>
              <Typography.Text type="secondary">
                {t('certification.detail.grants', { credits: credits(app.standard.credits, app.standard.unit) })}
              </Typography.Text>
            </Space>
          ) : (
            <Space direction="vertical" size={0}>
              <span>{t('certification.individual.title')}</span>
              <Typography.Text type="secondary">{t('certification.individual.decidedBy')}</Typography.Text>
            </Space>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('certification.field.kind')}>{t(`certification.kind.${app.outcomeKind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('certification.field.reviewedBy')}>
          {app.institution ? localName(lang, app.institution.nameZh, app.institution.nameEn) : t('certification.detail.committee')}
        </Descriptions.Item>
        <Descriptions.Item label={app.standard ? t('certification.field.issuingBody') : t('certification.field.issuingBodyIndividual')}>
          {app.issuingBody}
        </Descriptions.Item>
        {(app.standard || app.certificateNo) && (
          <Descriptions.Item label={t('certification.field.certificateNo')}>
            <span className="cb-mono" data-testid="cert-certificate-no">
              {app.certificateNo ?? '—'}
            </span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={app.standard ? t('certification.field.issuedOn') : t('certification.field.outcomeDate')}>
          {formatDate(app.issuedOn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('certification.field.expiresOn')}>
          {app.expiresOn ? formatDate(app.expiresOn) : t('certification.detail.noExpiry')}
        </Descriptions.Item>
        {app.level !== null && <Descriptions.Item label={t('certification.field.level')}>{eqfLevelText(app.level, lang)}</Descriptions.Item>}
        {app.iscedCode && (
          <Descriptions.Item label={t('certification.field.isced')}>
            <span>{iscedText(t, app.iscedCode, lang)}</span>
          </Descriptions.Item>
        )}
        {!app.standard && <Descriptions.Item label={t('certification.field.creditsRequested')}>{credits(app.creditsRequested, app.unit)}</Descriptions.Item>}
        <Descriptions.Item label={t('certification.field.creditsGranted')}>
          <Space direction="vertical" size={2}>
            <span data-testid="cert-credits-granted" className={app.creditsGranted ? 'cb-amount-plus' : undefined} style={{ whiteSpace: 'nowrap' }}>
              {credits(app.creditsGranted, app.unit)}
            </span>
            {app.postings.map((p) => (
              <Tag key={p.seq} bordered={false} color={p.kind === 'reversal' ? 'orange' : 'green'} style={{ marginInlineEnd: 0 }}>
                {t('certification.detail.posting', { seq: p.seq, amount: formatDecimal(p.amount), unit: t(`unitLabel.${p.unit}`) })}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('certification.field.createdAt')}>{formatDateTime(app.createdAt)}</Descriptions.Item>
        {app.decidedAt && <Descriptions.Item label={t('certification.field.decidedAt')}>{formatDateTime(app.decidedAt)}</Descriptions.Item>}
        {app.appealDeadline && (
          <Descriptions.Item label={t('certification.field.appealDeadline')}>
            <span data-testid="cert-appeal-deadline-field">{formatDateTime(app.appealDeadline)}</span>
          </Descriptions.Item>
        )}
        {app.statement && (
          <Descriptions.Item label={t('certification.field.statement')} span="filled">
            <Typography.Paragraph
              style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}
              ellipsis={{ rows: 6, expandable: true, symbol: t('certification.detail.more') }}
            >
              {app.statement}
            </Typography.Paragraph>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function VotesCard({ votes, app }: { votes: Votes; app: ApplicationDetail }) {
  const { t } = useTranslation();
  const credits = useCredits();
  const cast = votes.approve + votes.reject;
  const needed = Math.max(0, votes.quorum - cast);
  const decided = !OPEN_STATUSES.includes(app.status);
  return (
    <Card
      title={t(`certification.votes.title.${votes.stage}`)}
      extra={
        votes.mine && (
          <Tag color={votes.mine === 'approve' ? 'success' : 'error'} bordered={false} data-testid="cert-my-vote">
            {t(`certification.votes.mine.${votes.mine}`)}
          </Tag>
        )
      }
      data-testid="cert-votes"
    >
      <Space size={24} wrap style={{ marginBottom: votes.list?.length ? 16 : 0 }}>
        <Space size={6}>
          <CheckCircleOutlined style={{ color: '#52c41a' }} />
          <span data-testid="cert-votes-approve">{t('certification.votes.approve', { count: votes.approve })}</span>
        </Space>
        <Space size={6}>
          <CloseCircleOutlined style={{ color: '#ff4d4f' }} />
          <span data-testid="cert-votes-reject">{t('certification.votes.reject', { count: votes.reject })}</span>
        </Space>
        <Typography.Text type="secondary" data-testid="cert-votes-needed">
          {decided || needed === 0
            ? t('certification.votes.quorumReached', { quorum: votes.quorum })
            : t('certification.votes.needed', { count: needed, quorum: votes.quorum })}
        </Typography.Text>
      </Space>
      {votes.list && votes.list.length > 0 && (
        <Table
          size="small"
          rowKey={(v) => `${v.voterName}:${v.at}`}
          pagination={false}
          dataSource={votes.list}
          columns={[
            { title: t('certification.votes.voter'), dataIndex: 'voterName' },
            {
              title: t('certification.votes.decision'),
              dataIndex: 'decision',
              render: (d: 'approve' | 'reject') => (
                <Tag color={d === 'approve' ? 'success' : 'error'} bordered={false}>
                  {t(`certification.vote.${d}`)}
                </Tag>
              ),
            },
            {
              title: t('certification.votes.credits'),
              dataIndex: 'credits',
              className: 'cb-nowrap',
              render: (c: string | null) => (c ? credits(c, app.unit) : '—'),
            },
            { title: t('certification.reason'), dataIndex: 'reason' },
            {
              title: t('certification.votes.at'),
              dataIndex: 'at',
              className: 'cb-nowrap',
              render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span>,
            },
          ]}
        />
      )}
    </Card>
  );
}

/** Every event: who, in which role, when, what, why, and how long the step it opened lasted. */
function History({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const formatDuration = useFormatDuration();
  const last = app.events.length - 1;
  const open = OPEN_STATUSES.includes(app.status);

  const color = (e: CertEvent) => {
    if (e.toStatus === 'approved') return 'green';
    if (e.toStatus === 'rejected' || e.toStatus === 'revoked') return 'red';
    if (e.toStatus === 'more_info') return 'orange';
    if (e.action === 'vote') return 'purple';
    return 'blue';
  };

  /** Who took the step. The committee decides as a body; who voted how is hidden from whoever may not see the list of votes. */
  const actor = (e: CertEvent) => {
    if (e.action === 'decide') return t('certification.history.committeeBody');
    if (e.action === 'vote' && app.votes && app.votes.list === null) return t('certification.history.anonymousMember');
    const role = e.actorRole ? ` (${t(`certification.role.${e.actorRole}`, { defaultValue: e.actorRole })})` : '';
    return `${e.actorName ?? t('certification.history.system')}${role}`;
  };

  const reason = (e: CertEvent) => {
    const tally = tallyOf(e);
    return tally ? t('certification.history.tally', tally) : e.reason;
  };

  const waited = (e: CertEvent, i: number) => {
    const duration = formatDuration(e.waitedMs);
    const status = isStatus(e.toStatus) ? t(`certification.status.${e.toStatus}`) : e.toStatus;
    if (i === last) return open ? t('certification.history.waitingNow', { status, duration }) : null;
    return e.fromStatus === e.toStatus ? t('certification.history.nextAfter', { duration }) : t('certification.history.waited', { status, duration });
  };

  return (
    <Card
      title={t('certification.history.title')}
      extra={<Typography.Text type="secondary">{t('certification.history.count', { count: app.events.length })}</Typography.Text>}
    >
      {app.events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('certification.history.empty')} />
      ) : (
        <Timeline
          data-testid="cert-history"
          items={app.events.map((e, i) => ({
            key: e.seq,
            color: color(e),
            dot: i === last && open ? <ClockCircleOutlined /> : undefined,
            children: (
              <div data-testid="cert-event" data-action={e.action} data-to={e.toStatus}>
                <Space size={8} wrap>
                  <Typography.Text strong>{t(`certification.event.${e.action}`, { defaultValue: e.action })}</Typography.Text>
                  {e.fromStatus !== e.toStatus && isStatus(e.toStatus) && (
                    <Typography.Text type="secondary">→ {t(`certification.status.${e.toStatus}`)}</Typography.Text>
                  )}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    <span className="cb-num">{formatDateTime(e.at)}</span> · <span data-testid="cert-event-actor">{actor(e)}</span>
                  </Typography.Text>
                </div>
                {e.reason && (
                  <div
                    style={{ marginTop: 4, padding: '4px 8px', background: '#fafafa', borderInlineStart: '3px solid #d9d9d9', whiteSpace: 'pre-wrap' }}
                    data-testid="cert-event-reason"
                  >
                    {reason(e)}
                  </div>
                )}
                {waited(e, i) && (
                  <Tooltip title={t('certification.history.waitedHelp')}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="cert-event-waited">
                      <ClockCircleOutlined style={{ marginInlineEnd: 4 }} />
                      {waited(e, i)}
                    </Typography.Text>
                  </Tooltip>
                )}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
