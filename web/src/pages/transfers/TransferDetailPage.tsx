import { Alert, Card, Descriptions, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TransferApplication } from '../../api/transfers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { institutionLabel, useProgrammes } from '../recognition/common';
import { LinesTable } from './LinesTable';
import { WithdrawTransferButton, WithdrawalNote } from './WithdrawTransfer';
import { DecisionView, PostingsCard, TransferStatusTag, grantedText, isGranted, lineSummary, useTransfer } from './common';

/** The facts of an application: where to, when, in which state, what was granted. */
export function TransferSummary({ app, showLearner = false }: { app: TransferApplication; showLearner?: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const programmes = useProgrammes(app.programmeId ? app.targetInstitution.id : null);
  const programme = programmes.data?.items.find((p) => p.id === app.programmeId);
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} data-testid="transfer-summary">
      {showLearner && (
        <Descriptions.Item label={t('transfer.field.learner')}>
          <span data-testid="transfer-learner">{app.learnerName}</span>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('transfer.field.target')}>{institutionLabel(lang, app.targetInstitution)}</Descriptions.Item>
      <Descriptions.Item label={t('transfer.field.status')}>
        <TransferStatusTag status={app.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('transfer.field.submittedAt')}>
        <span className="cb-num">{formatDateTime(app.createdAt)}</span>
      </Descriptions.Item>
      {app.withdrawal?.by === 'learner' ? (
        // withdrawn while it waited: nothing was decided
        <Descriptions.Item label={t('transfer.field.withdrawnAt')}>
          <span className="cb-num">{formatDateTime(app.withdrawal.at)}</span>
        </Descriptions.Item>
      ) : (
        <Descriptions.Item label={t('transfer.field.decidedAt')}>
          <span className="cb-num">{formatDateTime(app.decidedAt)}</span>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('transfer.field.courses')}>
        {t('transfer.summary.courses', { count: app.lines.length })} · {lineSummary(t, app.lines)}
      </Descriptions.Item>
      <Descriptions.Item label={t('transfer.field.granted')}>
        {app.status === 'submitted' ? (
          <Typography.Text type="secondary">{t('transfer.field.notYet')}</Typography.Text>
        ) : (
          <Typography.Text strong className="cb-num" style={{ color: '#237804' }} data-testid="transfer-granted">
            {grantedText(t, app)}
          </Typography.Text>
        )}
      </Descriptions.Item>
      {programme && (
        <Descriptions.Item
          label={t('transfer.field.programme')}
        >{`${programme.code} · ${localName(lang, programme.titleZh, programme.titleEn)}`}</Descriptions.Item>
      )}
    </Descriptions>
  );
}

/** The learner's view of one application: each course → what the rules proposed → what was decided, and the postings. */
export function TransferDetailPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { id } = useParams<{ id: string }>();
  const q = useTransfer(id);

  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.isError) return <ErrorAlert error={q.error} />;
  const app = q.data;
  const granted = app.lines.filter(isGranted).length;
  const target = localName(lang, app.targetInstitution.nameZh, app.targetInstitution.nameEn);

  return (
    <>
      <PageHeader
        title={t('transfer.detail.title', { institution: target })}
        subtitle={t('transfer.detail.subtitle', { at: formatDateTime(app.createdAt) })}
        extra={
          <Space wrap>
            {app.status === 'submitted' && <WithdrawTransferButton app={app} />}
            <Link to="/transfers" data-testid="transfer-back">
              <ArrowLeftOutlined /> {t('transfer.mine.back')}
            </Link>
          </Space>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <TransferSummary app={app} />
          {app.status === 'submitted' ? (
            <Alert
              type="info"
              showIcon
              style={{ marginTop: 12 }}
              message={t('transfer.detail.waiting', { institution: target })}
              description={t('transfer.detail.waitingHelp')}
            />
          ) : app.status === 'decided' ? (
            <Alert
              type={granted > 0 ? 'success' : 'warning'}
              showIcon
              style={{ marginTop: 12 }}
              data-testid="transfer-outcome-alert"
              message={granted > 0 ? t('transfer.detail.decided', { count: granted, credits: grantedText(t, app) }) : t('transfer.detail.decidedNone')}
              description={t('transfer.detail.decidedHelp')}
            />
          ) : (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="transfer-withdrawn-alert"
              message={t('transfer.detail.withdrawn')}
              description={<WithdrawalNote app={app} />}
            />
          )}
        </Card>
        <Card title={t('transfer.detail.linesTitle')}>
          <LinesTable app={app} decisionTitle={t('transfer.line.decision')} decision={(l) => <DecisionView line={l} />} />
        </Card>
        {app.status !== 'submitted' && <PostingsCard app={app} accountLink="/account" />}
      </Space>
    </>
  );
}
