// A learner asks an institution where they are enrolled to correct their data or a record, and sees
// the answers; a registrar answers the institution's requests (accept or reject, with a note).
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FormSelect } from '../../components/FormSelect';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

const SUBJECTS = ['fullName', 'fullNameLatin', 'birthDate', 'email', 'idDocument', 'result', 'other'] as const;
type Subject = (typeof SUBJECTS)[number];

type Correction = Res<'/me/corrections'>['items'][number];

const STATUS_COLOR = { open: 'blue', accepted: 'green', rejected: 'red' } as const;

function useColumns(extra: ColumnsType<Correction> = []): ColumnsType<Correction> {
  const { t } = useTranslation();
  return [
    { title: t('corrections.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('corrections.subject'), dataIndex: 'subject', render: (s: Subject) => t(`corrections.subjects.${s}`) },
    { title: t('corrections.requested'), dataIndex: 'requested' },
    { title: t('corrections.reasonColumn'), dataIndex: 'reason', render: (r: string | null) => r ?? '' },
    {
      title: t('corrections.status'),
      dataIndex: 'status',
      render: (s: Correction['status']) => <Tag color={STATUS_COLOR[s]}>{t(`corrections.statuses.${s}`)}</Tag>,
    },
    { title: t('corrections.note'), dataIndex: 'note', render: (n: string | null) => n ?? '' },
    ...extra,
  ];
}

/** The learner's side, under their account. */
export function MyCorrectionsCard({ inner = false }: { inner?: boolean }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ institutionId: string; subject: Subject; requested: string; reason?: string }>();
  const account = useQuery({ queryKey: ['account', '/me/account'], queryFn: ({ signal }) => api.get('/me/account', { signal }) });
  const mine = useQuery({ queryKey: ['my-corrections'], queryFn: ({ signal }) => api.get('/me/corrections', { signal }) });
  const ask = useMutation({
    mutationFn: (v: { institutionId: string; subject: Subject; requested: string; reason?: string }) => api.post('/me/corrections', { body: v }),
    onSuccess: () => {
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['my-corrections'] });
    },
  });
  const columns = useColumns();
  return (
    <Card title={t('corrections.title')} type={inner ? 'inner' : undefined} data-testid="my-corrections">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('corrections.hint')}</Typography.Text>
        <Form form={form} layout="inline" onFinish={(v) => ask.mutate(v)}>
          <Form.Item name="institutionId" rules={[{ required: true }]}>
            <FormSelect
              style={{ width: 220 }}
              aria-label={t('corrections.institution')}
              placeholder={t('corrections.institution')}
              options={(account.data?.enrolments ?? []).map((e) => ({
                value: e.institutionId,
                label: localName(lang, e.institutionNameZh, e.institutionNameEn),
              }))}
            />
          </Form.Item>
          <Form.Item name="subject" rules={[{ required: true }]}>
            <FormSelect
              style={{ width: 160 }}
              aria-label={t('corrections.subject')}
              placeholder={t('corrections.subject')}
              options={SUBJECTS.map((s) => ({ value: s, label: t(`corrections.subjects.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="requested" rules={[{ required: true, whitespace: true, max: 1000 }]}>
            <Input style={{ width: 220 }} placeholder={t('corrections.requested')} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ max: 2000 }]}>
            <Input style={{ width: 220 }} placeholder={t('corrections.reason')} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={ask.isPending}>
              {t('corrections.ask')}
            </Button>
          </Form.Item>
        </Form>
        {ask.isError && <ErrorAlert error={ask.error} />}
        {mine.isError && <ErrorAlert error={mine.error} />}
        <Table<Correction>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={mine.data?.items ?? []}
          loading={mine.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
        />
      </Space>
    </Card>
  );
}

/** The registrar's side: the institution's open requests, each answered with a note. */
export function InstitutionCorrectionsCard({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [answering, setAnswering] = useState<{ id: string; decision: 'accept' | 'reject'; request: Correction } | null>(null);
  const [note, setNote] = useState('');
  const key = ['corrections', institutionId];
  const list = useQuery({ queryKey: key, queryFn: ({ signal }) => api.get('/institutions/{id}/corrections', { params: { id: institutionId }, signal }) });
  const answer = useMutation({
    mutationFn: (a: { id: string; decision: 'accept' | 'reject' }) =>
      api.post('/corrections/{id}/answer', { params: { id: a.id }, body: { decision: a.decision, note } }),
    onSuccess: () => {
      setAnswering(null);
      setNote('');
      void message.success(t('corrections.answered'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const columns = useColumns([
    {
      title: t('corrections.learner'),
      key: 'learner',
      render: (_, r) => <Link to={`/institution/learners/${encodeURIComponent(r.learnerId)}`}>{t('learners.viewAccount')}</Link>,
    },
    {
      key: 'actions',
      render: (_, r) =>
        r.status === 'open' ? (
          <Space>
            <Button size="small" onClick={() => setAnswering({ id: r.id, decision: 'accept', request: r })}>
              {t('corrections.accept')}
            </Button>
            <Button size="small" danger onClick={() => setAnswering({ id: r.id, decision: 'reject', request: r })}>
              {t('corrections.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ]);
  return (
    <Card title={t('corrections.inboxTitle')} data-testid="institution-corrections">
      {list.isError && <ErrorAlert error={list.error} />}
      <Table<Correction>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
      />
      <Modal
        open={answering !== null}
        title={answering?.decision === 'reject' ? t('corrections.rejectTitle') : t('corrections.acceptTitle')}
        okText={answering?.decision === 'reject' ? t('corrections.reject') : t('corrections.accept')}
        okButtonProps={{ danger: answering?.decision === 'reject', disabled: note.trim().length === 0, loading: answer.isPending }}
        onOk={() => answering && answer.mutate(answering)}
        onCancel={() => setAnswering(null)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          {answering && (
            <Typography.Paragraph style={{ marginBottom: 0 }} data-testid="correction-answering">
              {t(`corrections.subjects.${answering.request.subject}`)} → <Typography.Text strong>{answering.request.requested}</Typography.Text>
              {answering.request.reason && <Typography.Text type="secondary">{t('corrections.because', { reason: answering.request.reason })}</Typography.Text>}
            </Typography.Paragraph>
          )}
          <Input.TextArea rows={3} maxLength={2000} placeholder={t('corrections.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} />
          {answer.isError && <ErrorAlert error={answer.error} />}
        </Space>
      </Modal>
    </Card>
  );
}
