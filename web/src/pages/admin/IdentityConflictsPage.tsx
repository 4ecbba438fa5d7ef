import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, Modal, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { fetchAccount } from '../../api/account';
import type { ConflictStatus, IdentityConflict } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ID_TYPES, idDocumentText } from '../../components/IdDocument';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

const STATUSES: ConflictStatus[] = ['open', 'same_person', 'different', 'declined'];
const NOTE_MIN = 3;
const NOTE_MAX = 500;

type Decision = 'same_person' | 'different';

const STATUS_COLORS: Record<ConflictStatus, string> = { open: 'warning', same_person: 'success', different: 'default', declined: 'default' };

/** A value that differs from the other record's is marked, so the administrator sees what to check. */

/** What the institution submitted, as the server keeps it (free-form JSON): its text fields, checked one by one. */
function submittedOf(c: IdentityConflict) {
  const text = (key: string): string | null => {
    const v = c.submitted[key];
    return typeof v === 'string' ? v : null;
  };
  const idType = ID_TYPES.find((type) => type === c.submitted.idType) ?? null;
  return {
    externalId: text('externalId'),
    fullName: text('fullName'),
    fullNameLatin: text('fullNameLatin'),
    birthDate: text('birthDate'),
    idType,
    idNumber: text('idNumber'),
    idCountry: text('idCountry'),
    idTypeName: text('idTypeName'),
    institutionCode: text('institutionCode'),
  };
}
function Field({ label, value, differs, testId }: { label: string; value: string; differs?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ whiteSpace: 'nowrap' }}>
      <Typography.Text type="secondary">{t('conflicts.fieldLabel', { label })}</Typography.Text>
      {differs ? (
        <Tooltip title={t('conflicts.differs')}>
          <Typography.Text type="danger" strong data-testid={testId}>
            {value} <ExclamationCircleFilled />
          </Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text data-testid={testId}>{value}</Typography.Text>
      )}
    </div>
  );
}

/** The existing learner, fetched for comparison (an administrator may read any account). */
function ExistingLearner({ conflict }: { conflict: IdentityConflict }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const path = `/learners/${encodeURIComponent(conflict.existingLearnerId)}/account`;
  const account = useQuery({
    queryKey: ['account', path],
    queryFn: ({ signal }) => fetchAccount(path, signal),
    staleTime: 60_000,
  });
  const link = (
    <Link to={`/institution/learners/${encodeURIComponent(conflict.existingLearnerId)}`} data-testid="conflict-existing-link">
      {account.data?.learner.fullName ?? t('conflicts.viewExisting')}
    </Link>
  );
  if (!account.data) {
    return (
      <Space direction="vertical" size={0}>
        {link}
        {account.isError && <Typography.Text type="secondary">{t('conflicts.existingUnavailable')}</Typography.Text>}
      </Space>
    );
  }
  const l = account.data.learner;
  const s = submittedOf(conflict);
  return (
    <Space direction="vertical" size={0}>
      <Space size={6}>
        {s.fullName && s.fullName !== l.fullName ? (
          <Tooltip title={t('conflicts.differs')}>
            <Typography.Text type="danger" strong>
              {link} <ExclamationCircleFilled />
            </Typography.Text>
          </Tooltip>
        ) : (
          link
        )}
        {l.fullNameLatin && l.fullNameLatin !== l.fullName && <Typography.Text type="secondary">{l.fullNameLatin}</Typography.Text>}
      </Space>
      <Field
        label={t('conflicts.field.birthDate')}
        value={formatDate(l.birthDate)}
        differs={Boolean(s.birthDate && l.birthDate && s.birthDate !== l.birthDate)}
      />
      <Field label={t('conflicts.field.id')} value={idDocumentText(t, lang, l)} />
      <Field label={t('conflicts.field.accountNo')} value={l.accountNo} />
      <Field label={t('conflicts.field.enrolments')} value={account.data.enrolments.map((e) => `${e.institutionCode} ${e.externalId}`).join('、') || '—'} />
    </Space>
  );
}

/** Identity conflicts waiting for (or given) an administrator's decision. */
export function IdentityConflictsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<ConflictStatus>('open');
  const [deciding, setDeciding] = useState<{ conflict: IdentityConflict; decision: Decision } | null>(null);
  const [form] = Form.useForm<{ note: string }>();

  const conflicts = useQuery({
    queryKey: ['identity-conflicts', status],
    queryFn: ({ signal }) => api.get('/identity-conflicts', { query: { status }, signal }),
  });
  const institutions = useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api.get('/institutions', { signal }),
    staleTime: 300_000,
  });
  const institutionById = useMemo(() => new Map((institutions.data?.items ?? []).map((i) => [i.id, i])), [institutions.data]);

  const resolve = useMutation({
    mutationFn: (v: { id: string; decision: Decision; note: string }) =>
      api.post('/identity-conflicts/{id}/resolve', { params: { id: v.id }, body: { decision: v.decision, note: v.note } }),
    onSuccess: (c) => {
      void message.success(t(`conflicts.resolvedAs.${c.status}`));
      setDeciding(null);
      void queryClient.invalidateQueries({ queryKey: ['identity-conflicts'] });
      void queryClient.invalidateQueries({ queryKey: ['account'] });
    },
    // The modal shows the error; the list may have changed meanwhile (409: decided by someone else).
    onError: () => void queryClient.invalidateQueries({ queryKey: ['identity-conflicts'] }),
  });

  const institutionName = (c: IdentityConflict) => {
    const inst = institutionById.get(c.institutionId);
    return inst ? localName(lang, inst.nameZh, inst.nameEn) : (submittedOf(c).institutionCode ?? '—');
  };

  const open = (conflict: IdentityConflict, decision: Decision) => {
    resolve.reset();
    setDeciding({ conflict, decision });
  };

  const columns: ColumnsType<IdentityConflict> = [
    { title: t('conflicts.col.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
    {
      title: t('conflicts.col.institution'),
      key: 'institution',
      render: (_, c) => {
        const inst = institutionById.get(c.institutionId);
        return (
          <Space direction="vertical" size={0}>
            <span>{inst ? localName(lang, inst.nameZh, inst.nameEn) : '—'}</span>
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
              {inst?.code ?? submittedOf(c).institutionCode}
            </Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('conflicts.col.submitted'),
      key: 'submitted',
      render: (_, c) => {
        const s = submittedOf(c);
        return (
          <Space direction="vertical" size={0} data-testid="conflict-submitted">
            <Space size={6}>
              <Typography.Text strong>{s.fullName ?? '—'}</Typography.Text>
              {s.fullNameLatin && s.fullNameLatin !== s.fullName && <Typography.Text type="secondary">{s.fullNameLatin}</Typography.Text>}
            </Space>
            <Field label={t('conflicts.field.birthDate')} value={formatDate(s.birthDate)} />
            <Field label={t('conflicts.field.id')} value={idDocumentText(t, lang, s)} />
            <Field label={t('conflicts.field.studentNo')} value={`${s.institutionCode ?? ''} ${s.externalId ?? '—'}`.trim()} />
          </Space>
        );
      },
    },
    { title: t('conflicts.col.existing'), key: 'existing', render: (_, c) => <ExistingLearner conflict={c} /> },
    {
      title: status === 'open' ? t('common.actions') : t('conflicts.col.decision'),
      key: 'actions',
      width: status === 'open' ? 240 : 280,
      render: (_, c) =>
        c.status === 'open' ? (
          <Space wrap>
            <Button icon={<CheckOutlined />} onClick={() => open(c, 'same_person')} data-testid="conflict-same-person">
              {t('conflicts.samePerson')}
            </Button>
            <Button icon={<CloseOutlined />} onClick={() => open(c, 'different')} data-testid="conflict-different">
              {t('conflicts.different')}
            </Button>
          </Space>
        ) : (
          <Space direction="vertical" size={2}>
            <Tag color={STATUS_COLORS[c.status]} bordered={false}>
              {t(`conflicts.status.${c.status}`)}
            </Tag>
            {c.note && <Typography.Text>{c.note}</Typography.Text>}
          </Space>
        ),
    },
  ];

  const d = deciding;
  const submitted = d ? submittedOf(d.conflict) : undefined;

  return (
    <>
      <PageHeader title={t('nav.identityConflicts')} subtitle={t('conflicts.subtitle')} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="info" showIcon message={t('conflicts.help.title')} description={t('conflicts.help.body')} data-testid="conflicts-help" />
        <Card>
          <Segmented<ConflictStatus>
            data-testid="conflicts-status"
            value={status}
            onChange={(s) => setStatus(s)}
            options={STATUSES.map((s) => ({ value: s, label: t(`conflicts.status.${s}`) }))}
            style={{ marginBottom: 16 }}
          />
          {conflicts.isError && <ErrorAlert error={conflicts.error} style={{ marginBottom: 16 }} />}
          <Table<IdentityConflict>
            data-testid="conflicts-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={conflicts.data?.items ?? []}
            loading={conflicts.isPending}
            pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 1000 }}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={status === 'open' ? t('conflicts.emptyOpen') : t('conflicts.empty')} />,
            }}
          />
        </Card>
      </Space>

      <Modal
        open={Boolean(d)}
        title={d ? t(`conflicts.modal.title.${d.decision}`) : ''}
        okText={t('conflicts.modal.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={resolve.isPending}
        okButtonProps={{ 'data-testid': 'conflict-confirm' } as ButtonProps}
        onCancel={() => setDeciding(null)}
        onOk={() => {
          if (!d) return;
          void form
            .validateFields()
            .then(({ note }) => resolve.mutate({ id: d.conflict.id, decision: d.decision, note: note.trim() }))
            .catch(() => undefined);
        }}
        destroyOnHidden
      >
        {d && (
          <Space direction="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Paragraph style={{ margin: 0 }}>
              {t(`conflicts.modal.body.${d.decision}`, {
                externalId: submitted?.externalId ?? '—',
                institution: institutionName(d.conflict),
                name: submitted?.fullName ?? '—',
              })}
            </Typography.Paragraph>
            <Form form={form} layout="vertical" requiredMark={false}>
              <Form.Item
                name="note"
                label={t('conflicts.modal.note')}
                rules={[
                  {
                    validator: (_, value: string | undefined) =>
                      (value ?? '').trim().length >= NOTE_MIN ? Promise.resolve() : Promise.reject(new Error(t('conflicts.modal.noteRequired'))),
                  },
                ]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={NOTE_MAX}
                  showCount
                  placeholder={t('conflicts.modal.notePlaceholder')}
                  data-testid="conflict-note"
                  autoFocus
                />
              </Form.Item>
            </Form>
            {resolve.isError && <ErrorAlert error={resolve.error} title={t('conflicts.modal.failed')} />}
          </Space>
        )}
      </Modal>
    </>
  );
}
