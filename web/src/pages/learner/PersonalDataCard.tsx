// The learner's one place for their personal data: download everything the bank holds on their
// learning, ask for a correction, and ask for the erasure of their personal data (an administrator
// decides; approved, the erasure runs and the learner's sign-in ends).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Divider, Input, Modal, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../../api/client';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';
import { MyCorrectionsCard } from './CorrectionsCard';

const REASON_MAX = 2000;

function ErasureSection() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const key = ['my-erasure-requests'];
  const mine = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get('/me/erasure-requests', { signal }) });
  const ask = useMutation({
    mutationFn: () => api.post('/me/erasure-requests', { body: { reason: reason.trim() || null } }),
    onSuccess: () => {
      setAsking(false);
      setReason('');
      void message.success(t('erasure.sent'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => api.post('/me/erasure-requests/{id}/withdraw', { params: { id } }),
    onSuccess: () => {
      void message.success(t('erasure.withdrawn'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const items = mine.data?.items ?? [];
  const open = items.find((r) => r.status === 'open');
  const latest = items[0];
  const declined = !open && latest?.status === 'declined' ? latest : undefined;

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="my-erasure">
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('erasure.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('erasure.hint')}</Typography.Text>
      {mine.isError && <ErrorAlert error={mine.error} />}
      {open && (
        <Alert
          type="info"
          showIcon
          data-testid="erasure-open"
          message={
            <Space wrap>
              <Tag color="blue">{t('erasure.status.open')}</Tag>
              {t('erasure.openSince', { at: formatDateTime(open.createdAt) })}
            </Space>
          }
          description={
            <Space direction="vertical" size={4}>
              <span>{t('erasure.openHelp')}</span>
              {open.reason && <Typography.Text type="secondary">{t('erasure.yourReason', { reason: open.reason })}</Typography.Text>}
            </Space>
          }
          action={
            <Button size="small" onClick={() => withdraw.mutate(open.id)} loading={withdraw.isPending} data-testid="erasure-withdraw">
              {t('erasure.withdraw')}
            </Button>
          }
        />
      )}
      {declined && (
        <Alert
          type="warning"
          showIcon
          data-testid="erasure-declined"
          message={t('erasure.declinedOn', { at: formatDateTime(declined.decidedAt) })}
          description={
            <Space direction="vertical" size={4}>
              <span>{t('erasure.declinedReason', { reason: declined.decisionNote ?? '' })}</span>
              <Typography.Text type="secondary">{t('erasure.declinedAfter')}</Typography.Text>
            </Space>
          }
        />
      )}
      {withdraw.isError && <ErrorAlert error={withdraw.error} />}
      {!open && (
        <div>
          <Button danger icon={<DeleteOutlined />} onClick={() => setAsking(true)} data-testid="erasure-ask">
            {t('erasure.ask')}
          </Button>
        </div>
      )}
      <Modal
        open={asking}
        width={600}
        title={t('erasure.confirmTitle')}
        okText={t('erasure.confirm')}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true, loading: ask.isPending, disabled: reason.length > REASON_MAX }}
        onOk={() => ask.mutate()}
        onCancel={() => setAsking(false)}
      >
        <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="erasure-confirm">
          <Typography.Text strong>{t('erasure.removes')}</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{t('erasure.removesName')}</li>
            <li>{t('erasure.removesDetails')}</li>
            <li>{t('erasure.removesSignIn')}</li>
          </ul>
          <Typography.Text strong>{t('erasure.keeps')}</Typography.Text>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{t('erasure.keepsLedger')}</li>
            <li>{t('erasure.keepsCredentials')}</li>
          </ul>
          <Alert type="warning" showIcon message={t('erasure.afterApproval')} />
          <Typography.Text type="secondary">{t('erasure.downloadFirst')}</Typography.Text>
          <Input.TextArea
            rows={3}
            maxLength={REASON_MAX}
            placeholder={t('erasure.reasonPlaceholder')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="erasure-reason"
          />
          {ask.isError && <ErrorAlert error={ask.error} />}
        </Space>
      </Modal>
    </Space>
  );
}

/** "My personal data": download, corrections, erasure. */
export function MyPersonalDataCard() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const learnerId = me.learnerId;
  const exportUrl = (fmt: 'csv' | 'xlsx') => apiUrl(`/learners/${encodeURIComponent(learnerId ?? '')}/export.${fmt}`);
  return (
    <Card title={t('erasure.cardTitle')} data-testid="my-personal-data">
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('erasure.downloadTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('erasure.downloadHint')}</Typography.Text>
        {learnerId && (
          <Space wrap data-testid="personal-data-download">
            <Button type="primary" icon={<DownloadOutlined />} href={apiUrl('/me/personal-data')} download data-testid="personal-data-everything">
              {t('erasure.downloadEverything')}
            </Button>
            <Button icon={<DownloadOutlined />} href={exportUrl('csv')} download>
              CSV
            </Button>
            <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')} download>
              Excel
            </Button>
          </Space>
        )}
      </Space>
      <Divider />
      <MyCorrectionsCard inner />
      <Divider />
      <ErasureSection />
    </Card>
  );
}
