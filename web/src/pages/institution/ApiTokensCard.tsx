// The institution's API tokens for its academic-affairs system: issued with scopes and an expiry,
// listed with their last use, revoked at once. The secret is shown once, when issued.
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDate, formatDateTime } from '../../format';
import { FormCheckboxGroup } from '../../components/FormSelect';

type Scope = 'read' | 'import' | 'issue';
const SCOPES: Scope[] = ['read', 'import', 'issue'];

type ApiToken = Res<'/institutions/{id}/api-tokens'>['items'][number];

interface IssuedToken extends Omit<ApiToken, 'lastUsedAt' | 'revokedAt'> {
  token: string;
}

export function ApiTokensCard({ institutionId }: { institutionId: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; scopes: Scope[]; expiresAt: Dayjs }>();
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const key = ['api-tokens', institutionId];
  const tokens = useQuery({ queryKey: key, queryFn: () => api.get('/institutions/{id}/api-tokens', { params: { id: institutionId } }) });

  const issue = useMutation({
    mutationFn: (v: { name: string; scopes: Scope[]; expiresAt: Dayjs }) =>
      api.post('/institutions/{id}/api-tokens', {
        params: { id: institutionId },
        body: { name: v.name, scopes: v.scopes, expiresAt: v.expiresAt.endOf('day').toISOString() },
      }),
    onSuccess: (made) => {
      setIssued(made);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete('/api-tokens/{id}', { params: { id } }),
    onSuccess: () => {
      void message.success(t('apiTokens.revoked'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  const now = Date.now();
  const columns: ColumnsType<ApiToken> = [
    { title: t('apiTokens.name'), dataIndex: 'name' },
    { title: t('apiTokens.prefix'), dataIndex: 'prefix', render: (p: string) => <span className="cb-mono">cbk_{p}_…</span> },
    { title: t('apiTokens.scopes'), dataIndex: 'scopes', render: (s: Scope[]) => s.map((x) => <Tag key={x}>{t(`apiTokens.scope.${x}`)}</Tag>) },
    { title: t('apiTokens.expiresAt'), dataIndex: 'expiresAt', render: (v: string) => formatDate(v) },
    { title: t('apiTokens.lastUsedAt'), dataIndex: 'lastUsedAt', render: (v: string | null) => (v ? formatDateTime(v) : t('apiTokens.never')) },
    {
      title: t('apiTokens.status'),
      key: 'status',
      render: (_, r) =>
        r.revokedAt ? (
          <Tag>{t('apiTokens.state.revoked')}</Tag>
        ) : Date.parse(r.expiresAt) <= now ? (
          <Tag color="orange">{t('apiTokens.state.expired')}</Tag>
        ) : (
          <Tag color="green">{t('apiTokens.state.active')}</Tag>
        ),
    },
    {
      key: 'actions',
      render: (_, r) =>
        r.revokedAt ? null : (
          <Popconfirm title={t('apiTokens.revokeConfirm')} onConfirm={() => revoke.mutate(r.id)}>
            <Button size="small" danger loading={revoke.isPending && revoke.variables === r.id}>
              {t('apiTokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card title={t('apiTokens.title')} extra={<Typography.Text type="secondary">{t('apiTokens.hint')}</Typography.Text>} data-testid="api-tokens-card">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {issued && (
          <Alert
            type="success"
            showIcon
            closable
            onClose={() => setIssued(null)}
            message={t('apiTokens.issuedOnce')}
            description={
              <Typography.Text copyable code data-testid="api-token-secret">
                {issued.token}
              </Typography.Text>
            }
          />
        )}
        <Form form={form} layout="inline" initialValues={{ scopes: ['read', 'import'], expiresAt: dayjs().add(1, 'year') }} onFinish={(v) => issue.mutate(v)}>
          <Form.Item name="name" rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input placeholder={t('apiTokens.name')} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="scopes" rules={[{ required: true, type: 'array', min: 1 }]}>
            <FormCheckboxGroup options={SCOPES.map((s) => ({ value: s, label: t(`apiTokens.scope.${s}`) }))} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('apiTokens.expiresAt')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={issue.isPending}>
              {t('apiTokens.issue')}
            </Button>
          </Form.Item>
        </Form>
        {issue.isError && <ErrorAlert error={issue.error} />}
        {tokens.isError && <ErrorAlert error={tokens.error} />}
        <Table<ApiToken>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={tokens.data?.items ?? []}
          loading={tokens.isPending}
          pagination={false}
          scroll={{ x: 800 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('apiTokens.empty')} /> }}
        />
      </Space>
    </Card>
  );
}
