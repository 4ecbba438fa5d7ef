// Registrars: learners who signed up themselves ask to link the records this institution holds
// under a student number. The checks compare what they gave with the record under that number.
import { Button, Card, Empty, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useInstitutionScope } from './useInstitutionScope';

interface Row {
  id: string;
  externalId: string;
  note: string | null;
  status: string;
  decisionNote: string | null;
  createdAt: string;
  fullName: string;
  birthDate: string | null;
  email: string | null;
  claimedIdType: string | null;
  claimedIdNumber: string | null;
  check: { found: boolean | null; nameMatches: boolean | null; birthDateMatches: boolean | null; idDocumentMatches: boolean | null };
}

const mark = (v: boolean | null, t: (k: string) => string) =>
  v === null ? '—' : v ? <Tag color="green">{t('lifecycle.link.matches')}</Tag> : <Tag color="red">{t('lifecycle.link.differs')}</Tag>;

export function LinkRequestsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const scope = useInstitutionScope();
  const institutionId = scope.grant?.institutionId;
  const [notes, setNotes] = useState<Record<string, string>>({});
  const rows = useQuery({
    queryKey: ['link-requests', institutionId],
    queryFn: () => api.get('/institutions/{id}/link-requests', { params: { id: institutionId ?? '' } }),
    enabled: !!institutionId,
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'accept' | 'reject' }) =>
      api.post('/link-requests/{id}/decision', { params: { id }, body: { decision, note: notes[id] || null } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['link-requests'] }),
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('lifecycle.link.queueTitle')}
        </Typography.Title>
        {scope.picker}
      </Space>
      <Card>
        <Typography.Paragraph type="secondary">{t('lifecycle.link.queueIntro')}</Typography.Paragraph>
        {rows.error && <ErrorAlert error={rows.error} />}
        {decide.error && <ErrorAlert error={decide.error} style={{ marginBottom: 16 }} />}
        <Table<Row>
          rowKey="id"
          size="small"
          loading={rows.isLoading}
          dataSource={rows.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lifecycle.link.queueEmpty')} /> }}
          columns={[
            { title: t('lifecycle.studentNumber'), dataIndex: 'externalId' },
            {
              title: t('lifecycle.fullName'),
              render: (_, r) => (
                <>
                  {r.fullName} {mark(r.check.nameMatches, t)}
                </>
              ),
            },
            {
              title: t('lifecycle.birthDate'),
              render: (_, r) => (
                <>
                  {r.birthDate ?? '—'} {mark(r.check.birthDateMatches, t)}
                </>
              ),
            },
            {
              title: t('lifecycle.declaredDocument'),
              render: (_, r) =>
                r.claimedIdType ? (
                  <>
                    {t(`idType.${r.claimedIdType}`)} {r.claimedIdNumber} {mark(r.check.idDocumentMatches, t)}
                  </>
                ) : (
                  '—'
                ),
            },
            { title: t('lifecycle.email'), dataIndex: 'email' },
            { title: t('lifecycle.note'), dataIndex: 'note' },
            {
              title: t('lifecycle.status'),
              render: (_, r) => (
                <>
                  <Tag>{t(`lifecycle.linkStatus.${r.status}`)}</Tag>
                  {r.status === 'open' && r.check.found === false && <Tag color="red">{t('lifecycle.link.notFound')}</Tag>}
                </>
              ),
            },
            {
              title: '',
              render: (_, r) =>
                r.status === 'open' && (
                  <Space direction="vertical" size={4}>
                    <Input
                      size="small"
                      placeholder={t('lifecycle.note')}
                      value={notes[r.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [r.id]: e.target.value })}
                    />
                    <Space size={4}>
                      <Popconfirm title={t('lifecycle.link.acceptConfirm')} onConfirm={() => decide.mutate({ id: r.id, decision: 'accept' })}>
                        <Button size="small" type="primary">
                          {t('lifecycle.link.accept')}
                        </Button>
                      </Popconfirm>
                      <Button size="small" danger onClick={() => decide.mutate({ id: r.id, decision: 'reject' })}>
                        {t('lifecycle.link.reject')}
                      </Button>
                    </Space>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
