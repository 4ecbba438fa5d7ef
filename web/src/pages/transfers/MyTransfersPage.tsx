import { useMemo } from 'react';
import { Alert, Button, Card, Empty, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { TransferApplication } from '../../api/transfers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { ProposalCounts, TransferStatusTag, grantedText, lineSummary, useMyTransfers } from './common';

/** The learner's credit transfer applications, newest first, and the way to a new one. */
export function MyTransfersPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const list = useMyTransfers();
  const rows = useMemo(() => [...(list.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [list.data]);
  const open = (a: TransferApplication) => navigate(`/transfers/${encodeURIComponent(a.id)}`);

  const columns: ColumnsType<TransferApplication> = [
    {
      title: t('transfer.field.target'),
      key: 'target',
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <Link to={`/transfers/${encodeURIComponent(a.id)}`} onClick={(e) => e.stopPropagation()} data-testid="transfer-row-link">
            {localName(lang, a.targetInstitution.nameZh, a.targetInstitution.nameEn)}
          </Link>
          <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
            {a.targetInstitution.code}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('transfer.field.submittedAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
    {
      title: t('transfer.field.status'),
      dataIndex: 'status',
      width: 110,
      render: (_, a) => <TransferStatusTag status={a.status} testId="transfer-row-status" />,
    },
    {
      title: t('transfer.field.courses'),
      key: 'lines',
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          <span data-testid="transfer-row-lines">
            {t('transfer.summary.courses', { count: a.lines.length })} · {lineSummary(t, a.lines)}
          </span>
          {a.status === 'submitted' && (
            <Tooltip title={t('transfer.field.proposalHelp')}>
              <span>
                <ProposalCounts lines={a.lines} />
              </span>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('transfer.field.granted'),
      key: 'granted',
      align: 'right',
      render: (_, a) =>
        a.status === 'submitted' ? (
          <Typography.Text type="secondary">{t('transfer.field.notYet')}</Typography.Text>
        ) : (
          <span className="cb-num cb-amount-plus cb-nowrap" data-testid="transfer-row-granted">
            {grantedText(t, a)}
          </span>
        ),
    },
    {
      title: t('transfer.field.decidedAt'),
      dataIndex: 'decidedAt',
      width: 120,
      render: (v: string | null) => <span className="cb-num">{v ? formatDate(v) : '—'}</span>,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('transfer.nav.mine')}
        subtitle={t('transfer.mine.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/transfers/new')} data-testid="transfer-new">
            {t('transfer.mine.apply')}
          </Button>
        }
      />
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('transfer.mine.howTitle')} description={t('transfer.mine.how')} />
      <Card>
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
        <Table<TransferApplication>
          data-testid="transfer-my-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          onRow={(a) =>
            ({
              onClick: () => open(a),
              style: { cursor: 'pointer' },
              'data-testid': 'transfer-row',
              'data-status': a.status,
            }) as React.HTMLAttributes<HTMLElement>
          }
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('transfer.mine.empty')}>
                <Button type="primary" onClick={() => navigate('/transfers/new')}>
                  {t('transfer.mine.apply')}
                </Button>
              </Empty>
            ),
          }}
        />
      </Card>
    </>
  );
}
