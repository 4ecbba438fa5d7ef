// The registrar's credentials page (凭证): the institution as an issuer (its DID, the did.json that
// verifiers read, its signing keys and their rotation) and every credential signed in its name, each
// suspended, reinstated or revoked with a reason. Revocation is final.
import { useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ExportOutlined, KeyOutlined, PauseCircleOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { holderOf, institutionCredentialsKey, issuerKey, type Credential, type CredentialStatus, type IssuerKey } from '../../api/credentials';
import { useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { CredentialStatusTag, KindTag, StatusReason } from './common';

type Action = 'suspend' | 'reinstate' | 'revoke';
type Filter = CredentialStatus | 'all';
const FILTERS: Filter[] = ['all', 'active', 'suspended', 'revoked'];

/** The did.json on this site: the configured public address may differ in development. */
const localUrl = (url: string) => {
  try {
    const u = new URL(url);
    return `${window.location.origin}${u.pathname}`;
  } catch {
    return url;
  }
};

/** Asks for the reason (3–500 characters) and takes the action; revoking says it cannot be undone. */
function ReasonModal({
  title,
  help,
  okText,
  danger,
  warning,
  placeholder,
  onSubmit,
  onClose,
  testId,
}: {
  title: string;
  help: React.ReactNode;
  okText: string;
  danger: boolean;
  warning?: string;
  placeholder: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  const act = useMutation({ mutationFn: onSubmit, onSuccess: onClose });
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) act.mutate(v.reason?.trim() ?? '');
  };
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={okText}
      cancelText={t('common.cancel')}
      confirmLoading={act.isPending}
      okButtonProps={{ danger, 'data-testid': `${testId}-confirm` } as ButtonProps}
      destroyOnHidden
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid={testId}>
        {help}
        {warning && <Alert type="error" showIcon message={warning} data-testid={`${testId}-warning`} />}
        <Form form={form} layout="vertical" requiredMark="optional">
          <Form.Item
            name="reason"
            label={t('credentials.reason')}
            rules={[
              { required: true, whitespace: true, message: t('credentials.reasonRequired') },
              { min: 3, message: t('credentials.reasonShort') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={placeholder} data-testid={`${testId}-reason`} />
          </Form.Item>
        </Form>
        {act.isError && <ErrorAlert error={act.error} title={t('credentials.actionFailed')} />}
      </Space>
    </Modal>
  );
}

/** Every status change of a credential, oldest first, each with its reason. */
function StatusHistory({ credential }: { credential: Credential }) {
  const { t } = useTranslation();
  return (
    <div style={{ paddingInlineStart: 8 }} data-testid="credential-history">
      <Typography.Text strong style={{ display: 'block', marginBottom: 12 }}>
        {t('credentials.admin.history')}
      </Typography.Text>
      <Timeline
        style={{ marginBottom: -24 }}
        items={[
          { color: 'green', children: <span className="cb-num">{`${formatDateTime(credential.issuedAt)} · ${t('credentials.admin.issuedEvent')}`}</span> },
          ...credential.events.map((e) => ({
            color: e.status === 'revoked' ? 'red' : e.status === 'suspended' ? 'orange' : 'green',
            children: (
              <span>
                <span className="cb-num">{formatDateTime(e.at)}</span> ·{' '}
                {t(`credentials.admin.event.${e.status === 'active' ? 'active' : e.status === 'revoked' ? 'revoked' : 'suspended'}`)} ·{' '}
                {t('credentials.reasonGiven', { reason: e.reason })}
              </span>
            ),
          })),
        ]}
      />
    </div>
  );
}

function IssuerCard({ institutionId, canManage }: { institutionId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [rotating, setRotating] = useState(false);
  const issuer = useQuery({
    queryKey: issuerKey(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/issuer', { params: { id: institutionId }, signal }),
  });
  const keys = [...(issuer.data?.keys ?? [])].sort(
    (a, b) => Number(a.retiredAt !== null) - Number(b.retiredAt !== null) || b.createdAt.localeCompare(a.createdAt),
  );

  return (
    <Card
      title={t('credentials.issuer.title')}
      data-testid="issuer-card"
      extra={
        canManage && (
          <Button icon={<KeyOutlined />} onClick={() => setRotating(true)} disabled={!issuer.data || keys.length === 0} data-testid="issuer-rotate">
            {t('credentials.issuer.rotate')}
          </Button>
        )
      }
    >
      {issuer.isError && <ErrorAlert error={issuer.error} />}
      {issuer.data && (
        <Space direction="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('credentials.issuer.help')}
          </Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            styles={{ label: { width: 130 } }}
            items={[
              {
                key: 'did',
                label: t('credentials.issuer.did'),
                children: (
                  <Typography.Text className="cb-mono" copyable={{ tooltips: [t('common.copy'), t('common.copied')] }} data-testid="issuer-did">
                    {issuer.data.did}
                  </Typography.Text>
                ),
              },
              {
                key: 'doc',
                label: t('credentials.issuer.didDocument'),
                children: (
                  <a href={localUrl(issuer.data.didDocumentUrl)} target="_blank" rel="noreferrer" data-testid="issuer-did-json">
                    did.json <ExportOutlined />
                  </a>
                ),
              },
            ]}
          />
          <Table<IssuerKey>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={keys}
            loading={issuer.isPending}
            data-testid="issuer-keys"
            onRow={(k) => ({ 'data-testid': 'issuer-key', 'data-current': String(k.retiredAt === null) }) as React.HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credentials.issuer.noKeys')} /> }}
            columns={[
              {
                title: t('credentials.issuer.key'),
                key: 'key',
                render: (_, k) => (
                  <Typography.Text
                    className="cb-mono"
                    style={{ fontSize: 12, wordBreak: 'break-all' }}
                    copyable={{ text: k.didKey, tooltips: [t('common.copy'), t('common.copied')] }}
                  >
                    {k.didKey}
                  </Typography.Text>
                ),
              },
              {
                title: t('credentials.issuer.createdAt'),
                dataIndex: 'createdAt',
                width: 150,
                render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span>,
              },
              {
                title: t('credentials.issuer.state'),
                key: 'state',
                width: 320,
                render: (_, k) =>
                  k.retiredAt ? (
                    <Space direction="vertical" size={0}>
                      <span>
                        <Tag bordered={false}>{t('credentials.issuer.retired')}</Tag>
                        <span className="cb-num">{formatDateTime(k.retiredAt)}</span>
                      </span>
                      {k.retireReason && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('credentials.reasonGiven', { reason: k.retireReason })}
                        </Typography.Text>
                      )}
                    </Space>
                  ) : (
                    <Tag color="success" bordered={false}>
                      {t('credentials.issuer.current')}
                    </Tag>
                  ),
              },
            ]}
          />
        </Space>
      )}
      {rotating && (
        <ReasonModal
          title={t('credentials.issuer.rotateTitle')}
          help={<Typography.Paragraph style={{ marginBottom: 0 }}>{t('credentials.issuer.rotateHelp')}</Typography.Paragraph>}
          okText={t('credentials.issuer.rotate')}
          danger={false}
          placeholder={t('credentials.issuer.rotatePlaceholder')}
          testId="rotate"
          onSubmit={async (reason) => {
            const view = await api.post('/institutions/{id}/issuer/rotate', { params: { id: institutionId }, body: { reason } });
            queryClient.setQueryData(issuerKey(institutionId), view);
            void message.success(t('credentials.issuer.rotated'));
          }}
          onClose={() => setRotating(false)}
        />
      )}
    </Card>
  );
}

export function InstitutionCredentialsPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const canManage = Boolean(institutionId) && me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);
  const [filter, setFilter] = useState<Filter>('all');
  const [search, setSearch] = useState('');
  const [acting, setActing] = useState<{ credential: Credential; action: Action } | null>(null);

  const list = useQuery({
    queryKey: institutionCredentialsKey(institutionId ?? ''),
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/credentials', { params: { id: institutionId ?? '' }, signal }),
  });

  const all = useMemo(() => list.data?.items ?? [], [list.data]);
  const counts = useMemo(() => {
    const c: Record<Filter, number> = { all: all.length, active: 0, suspended: 0, revoked: 0 };
    for (const x of all) c[x.status] += 1;
    return c;
  }, [all]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return all.filter((c) => {
      if (filter !== 'all' && c.status !== filter) return false;
      if (!q) return true;
      const h = holderOf(c.document);
      return [c.name, ...h.names, h.accountNo ?? ''].some((s) => s.toLowerCase().includes(q));
    });
  }, [all, filter, search]);

  const columns: ColumnsType<Credential> = [
    {
      title: t('credentials.col.learner'),
      key: 'learner',
      width: 170,
      render: (_, c) => {
        const h = holderOf(c.document);
        return (
          <Space direction="vertical" size={0}>
            <Typography.Text strong data-testid="credential-holder">
              {h.names[0] ?? '—'}
            </Typography.Text>
            {h.names[1] && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {h.names[1]}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" className="cb-mono cb-nowrap" style={{ fontSize: 12 }}>
              {h.accountNo ?? c.learnerId ?? t('credentials.kind.external')}
            </Typography.Text>
          </Space>
        );
      },
    },
    {
      title: t('credentials.col.credential'),
      key: 'name',
      render: (_, c) => (
        <Space direction="vertical" size={2}>
          <span data-testid="credential-name">{c.name}</span>
          <Space size={6}>
            <KindTag kind={c.kind} />
            <Typography.Text type="secondary" className="cb-mono" style={{ fontSize: 12 }}>
              {c.cryptosuite}
            </Typography.Text>
          </Space>
        </Space>
      ),
    },
    {
      title: t('credentials.col.credits'),
      key: 'credits',
      align: 'right',
      width: 80,
      render: (_, c) => <span className="cb-num">{c.creditsEarned === null ? '—' : formatDecimal(c.creditsEarned)}</span>,
    },
    { title: t('credentials.col.issuedAt'), dataIndex: 'issuedAt', width: 140, render: (v: string) => <span className="cb-num">{formatDateTime(v)}</span> },
    {
      title: t('credentials.col.status'),
      key: 'status',
      width: 230,
      render: (_, c) => (
        <Space direction="vertical" size={2}>
          <CredentialStatusTag status={c.status} testId="credential-row-status" />
          {c.status !== 'active' && <StatusReason reason={c.statusReason} at={c.events.at(-1)?.at} />}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_, c) =>
        !canManage || c.status === 'revoked' ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.status === 'revoked' ? t('credentials.admin.final') : '—'}
          </Typography.Text>
        ) : (
          <Space size={6} wrap>
            {c.status === 'active' && (
              <Button
                size="small"
                icon={<PauseCircleOutlined />}
                onClick={() => setActing({ credential: c, action: 'suspend' })}
                data-testid="credential-suspend"
              >
                {t('credentials.action.suspend')}
              </Button>
            )}
            {c.status === 'suspended' && (
              <Button
                size="small"
                icon={<PlayCircleOutlined />}
                onClick={() => setActing({ credential: c, action: 'reinstate' })}
                data-testid="credential-reinstate"
              >
                {t('credentials.action.reinstate')}
              </Button>
            )}
            <Button size="small" danger icon={<StopOutlined />} onClick={() => setActing({ credential: c, action: 'revoke' })} data-testid="credential-revoke">
              {t('credentials.action.revoke')}
            </Button>
          </Space>
        ),
    },
  ];

  const institutionName = grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : '';

  return (
    <>
      <PageHeader title={t('credentials.nav.institution')} subtitle={t('credentials.admin.subtitle', { institution: institutionName })} extra={picker} />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {institutionId && <IssuerCard institutionId={institutionId} canManage={canManage} />}
        <Card title={t('credentials.admin.issuedTitle')}>
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', justifyContent: 'space-between', marginBottom: 16 }}>
            <Segmented<Filter>
              value={filter}
              onChange={setFilter}
              data-testid="credential-filter"
              options={FILTERS.map((f) => ({ value: f, label: `${t(`credentials.filter.${f}`)} ${counts[f]}` }))}
            />
            <Input.Search
              allowClear
              style={{ maxWidth: 320 }}
              placeholder={t('credentials.admin.search')}
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              data-testid="credential-search"
            />
          </div>
          {!canManage && institutionId && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('credentials.admin.readOnly')} />}
          {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
          <Table<Credential>
            data-testid="credential-table"
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={shown}
            loading={list.isPending && Boolean(institutionId)}
            pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 1000 }}
            rowClassName={(c) => (c.status === 'revoked' ? 'cb-row-muted' : '')}
            onRow={(c) =>
              ({ 'data-testid': 'credential-row', 'data-kind': c.kind, 'data-status': c.status, 'data-id': c.id }) as React.HTMLAttributes<HTMLElement>
            }
            expandable={{
              rowExpandable: (c) => c.events.length > 0,
              expandedRowRender: (c) => <StatusHistory credential={c} />,
            }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('credentials.admin.none')} /> }}
          />
        </Card>
      </Space>
      {acting && (
        <ReasonModal
          title={t(`credentials.action.title.${acting.action}`)}
          help={
            <Space direction="vertical" size={4}>
              <div>
                <Typography.Text strong>{holderOf(acting.credential.document).names[0] ?? '—'}</Typography.Text>{' '}
                <Typography.Text type="secondary" className="cb-mono">
                  {holderOf(acting.credential.document).accountNo}
                </Typography.Text>
              </div>
              <Typography.Text>{acting.credential.name}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {t(`credentials.action.help.${acting.action}`)}
              </Typography.Paragraph>
            </Space>
          }
          warning={acting.action === 'revoke' ? t('credentials.action.revokeFinal') : undefined}
          okText={t(`credentials.action.${acting.action}`)}
          danger={acting.action !== 'reinstate'}
          placeholder={t(`credentials.action.placeholder.${acting.action}`)}
          testId="credential-action"
          onSubmit={async (reason) => {
            const c = acting.credential;
            await api.post(`/credentials/{id}/${acting.action}`, { params: { id: c.id }, body: { reason } });
            void message.success(t(`credentials.action.done.${acting.action}`));
            await queryClient.invalidateQueries({ queryKey: institutionCredentialsKey(institutionId ?? '') });
          }}
          onClose={() => setActing(null)}
        />
      )}
    </>
  );
}
