// An administrator's view of a learner's personal data: who of the staff read the record, and the
// erasure of the learner's personal data (the ledger and the transparency log stay verifiable).
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../format';

type LearnerRead = Res<'/learners/{id}/reads'>['items'][number];

export function LearnerPrivacyPanel({ learnerId }: { learnerId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const reads = useQuery({
    queryKey: ['learner-reads', learnerId],
    queryFn: ({ signal }) => api.get('/learners/{id}/reads', { params: { id: learnerId }, query: { limit: 100 }, signal }),
  });
  const erase = useMutation({
    mutationFn: () => api.post('/learners/{id}/erase', { params: { id: learnerId }, body: { reason } }),
    onSuccess: () => {
      setAsking(false);
      void message.success(t('privacy.erased'));
      void queryClient.invalidateQueries();
    },
  });

  const columns: ColumnsType<LearnerRead> = [
    { title: t('privacy.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
    {
      title: t('privacy.who'),
      key: 'who',
      render: (_, r) =>
        r.actorName ??
        (r.actorTokenId ? (
          <span className="cb-mono">
            {t('audit.apiToken')} {r.actorTokenId.slice(0, 8)}…
          </span>
        ) : (
          t('privacy.system')
        )),
    },
    { title: t('privacy.part'), dataIndex: 'part', render: (p: string) => <Tag>{t(`privacy.parts.${p}`, { defaultValue: p })}</Tag> },
  ];

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="learner-privacy">
      <Card title={t('privacy.reads')} extra={<Typography.Text type="secondary">{t('privacy.readsHint')}</Typography.Text>}>
        {reads.isError && <ErrorAlert error={reads.error} />}
        <Table<LearnerRead>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={reads.data?.items ?? []}
          loading={reads.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
        />
      </Card>
      <Card title={t('privacy.erase')}>
        <Space direction="vertical">
          <Typography.Paragraph type="secondary">{t('privacy.eraseHelp')}</Typography.Paragraph>
          <Button danger onClick={() => setAsking(true)} data-testid="erase-learner">
            {t('privacy.erase')}
          </Button>
        </Space>
      </Card>
      <Modal
        open={asking}
        title={t('privacy.erase')}
        okText={t('privacy.eraseConfirm')}
        okButtonProps={{ danger: true, disabled: reason.trim().length === 0, loading: erase.isPending }}
        onOk={() => erase.mutate()}
        onCancel={() => setAsking(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert type="warning" showIcon message={t('privacy.eraseWarning')} />
          <Input.TextArea rows={3} maxLength={500} placeholder={t('privacy.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          {erase.isError && <ErrorAlert error={erase.error} />}
        </Space>
      </Modal>
    </Space>
  );
}
