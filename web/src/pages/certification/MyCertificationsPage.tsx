import { useMemo } from 'react';
import { Button, Card, Empty, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../format';
import { StatusTag, useCredits, useFormatDuration, useNow, useStandardName } from './common';
import { OPEN_STATUSES, type Application } from './types';

export const MY_CERTIFICATIONS_KEY = ['my-certifications'] as const;

export function useMyCertifications() {
  return useQuery({
    queryKey: MY_CERTIFICATIONS_KEY,
    queryFn: ({ signal }) => api.get('/me/certifications', { signal }),
  });
}

/** The learner's applications to have learning certified, newest first. */
export function MyCertificationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useMyCertifications();
  const credits = useCredits();
  const standardName = useStandardName();
  const formatDuration = useFormatDuration();
  const now = useNow();
  const rows = list.data?.items ?? [];

  const columns: ColumnsType<Application> = useMemo(
    () => [
      {
        title: t('certification.field.title'),
        key: 'title',
        render: (_, a) => (
          <Space direction="vertical" size={0}>
            <Link to={`/certifications/${encodeURIComponent(a.id)}`} data-testid="cert-row-link">
              {a.title}
            </Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {a.issuingBody}
              {a.certificateNo && (
                <>
                  {' '}
                  · <span className="cb-mono">{a.certificateNo}</span>
                </>
              )}
            </Typography.Text>
          </Space>
        ),
      },
      { title: t('certification.field.standard'), key: 'standard', render: (_, a) => standardName(a) },
      { title: t('certification.field.status'), dataIndex: 'status', render: (_, a) => <StatusTag status={a.status} testId="cert-row-status" /> },
      {
        title: t('certification.field.creditsRequested'),
        key: 'requested',
        align: 'right',
        render: (_, a) => <span className="cb-num">{credits(a.creditsRequested ?? a.standard?.credits, a.unit)}</span>,
      },
      {
        title: t('certification.field.creditsGranted'),
        dataIndex: 'creditsGranted',
        align: 'right',
        render: (_, a) => (
          <span className={a.creditsGranted ? 'cb-num cb-amount-plus' : 'cb-num'} data-testid="cert-row-granted">
            {credits(a.creditsGranted, a.unit)}
          </span>
        ),
      },
      {
        title: t('certification.field.waiting'),
        key: 'waiting',
        render: (_, a) =>
          OPEN_STATUSES.includes(a.status) ? (
            <Tooltip title={t('certification.list.since', { at: formatDateTime(a.waitingSince) })}>
              <span data-testid="cert-row-waiting">{formatDuration(now - new Date(a.waitingSince).getTime())}</span>
            </Tooltip>
          ) : (
            <Typography.Text type="secondary">{t('certification.list.decidedOn', { at: formatDate(a.decidedAt ?? a.updatedAt) })}</Typography.Text>
          ),
      },
      {
        title: t('common.actions'),
        key: 'actions',
        render: (_, a) => <Link to={`/certifications/${encodeURIComponent(a.id)}`}>{t('certification.list.open')}</Link>,
      },
    ],
    [t, credits, standardName, formatDuration, now],
  );

  return (
    <>
      <PageHeader
        title={t('certification.nav.mine')}
        subtitle={t('certification.list.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/certifications/new')} data-testid="cert-new">
            {t('certification.list.new')}
          </Button>
        }
      />
      <Card>
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
        <Table<Application>
          data-testid="cert-my-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('certification.list.empty')}>
                <Button type="primary" onClick={() => navigate('/certifications/new')}>
                  {t('certification.list.new')}
                </Button>
              </Empty>
            ),
          }}
        />
      </Card>
    </>
  );
}
