// Administrators: users, their last sign-in and state; disable / re-enable (sessions and API
// tokens stop at once), force a password reset, record an e-mail address, turn off a lost second factor.
import { useState } from 'react';
import { Button, Card, Input, Modal, Popconfirm, Space, Table, Tag, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';

type UserRow = Res<'/users'>['items'][number];

export function UsersPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [email, setEmail] = useState('');
  const users = useQuery({ queryKey: ['users', q], queryFn: () => api.get('/users', { query: { q } }) });
  const done = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'disable' | 'enable' | 'force-password-reset' | 'totp-off' }) =>
      action === 'totp-off' ? api.delete('/users/{id}/totp', { params: { id } }) : api.post(`/users/{id}/${action}`, { params: { id } }),
    onSuccess: (r, v) => {
      if (v.action === 'force-password-reset')
        void message.info(r && 'mailed' in r && r.mailed ? t('lifecycle.admin.resetMailed') : t('lifecycle.admin.resetNoEmail'));
      done();
    },
  });
  const saveEmail = useMutation({
    mutationFn: () => api.put('/users/{id}/email', { params: { id: editing!.id }, body: { email: email.trim() || null } }),
    onSuccess: () => {
      setEditing(null);
      done();
    },
  });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('lifecycle.admin.title')}
      </Typography.Title>
      <Card>
        <Input.Search
          allowClear
          placeholder={t('lifecycle.admin.search')}
          onSearch={setQ}
          style={{ maxWidth: 360, marginBottom: 16 }}
          data-testid="users-search"
        />
        {users.error && <ErrorAlert error={users.error} />}
        {act.error && <ErrorAlert error={act.error} style={{ marginBottom: 16 }} />}
        <Table<UserRow>
          rowKey="id"
          size="small"
          loading={users.isLoading}
          dataSource={users.data?.items ?? []}
          columns={[
            { title: t('login.username'), dataIndex: 'username' },
            { title: t('lifecycle.fullName'), dataIndex: 'displayName' },
            { title: t('lifecycle.admin.roles'), render: (_, u) => u.roles.map((r) => <Tag key={r}>{t(`roles.${r}`)}</Tag>) },
            { title: t('lifecycle.email'), render: (_, u) => (u.email ? `${u.email}${u.emailVerified ? '' : ` (${t('lifecycle.emailUnverified')})`}` : '—') },
            { title: t('lifecycle.lastLogin'), render: (_, u) => (u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : t('lifecycle.admin.never')) },
            {
              title: t('lifecycle.status'),
              render: (_, u) => (
                <Space size={4} wrap>
                  {u.disabledAt ? <Tag color="red">{t('lifecycle.admin.disabled')}</Tag> : <Tag color="green">{t('lifecycle.admin.active')}</Tag>}
                  {u.passwordResetRequired && <Tag color="orange">{t('lifecycle.admin.mustReset')}</Tag>}
                  {u.totpEnabled && <Tag color="blue">2FA</Tag>}
                </Space>
              ),
            },
            {
              title: '',
              render: (_, u) => (
                <Space size={4} wrap>
                  {u.disabledAt ? (
                    <Button size="small" onClick={() => act.mutate({ id: u.id, action: 'enable' })} data-testid={`enable-${u.username}`}>
                      {t('lifecycle.admin.enable')}
                    </Button>
                  ) : (
                    <Popconfirm title={t('lifecycle.admin.disableConfirm')} onConfirm={() => act.mutate({ id: u.id, action: 'disable' })}>
                      <Button size="small" danger data-testid={`disable-${u.username}`}>
                        {t('lifecycle.admin.disable')}
                      </Button>
                    </Popconfirm>
                  )}
                  <Popconfirm title={t('lifecycle.admin.resetConfirm')} onConfirm={() => act.mutate({ id: u.id, action: 'force-password-reset' })}>
                    <Button size="small">{t('lifecycle.admin.forceReset')}</Button>
                  </Popconfirm>
                  <Button
                    size="small"
                    onClick={() => {
                      setEditing(u);
                      setEmail(u.email ?? '');
                    }}
                  >
                    {t('lifecycle.email')}
                  </Button>
                  {u.totpEnabled && (
                    <Popconfirm title={t('lifecycle.admin.totpOffConfirm')} onConfirm={() => act.mutate({ id: u.id, action: 'totp-off' })}>
                      <Button size="small">{t('lifecycle.totpOff')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={!!editing}
        title={`${t('lifecycle.email')} · ${editing?.username ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={() => saveEmail.mutate()}
        confirmLoading={saveEmail.isPending}
      >
        {saveEmail.error && <ErrorAlert error={saveEmail.error} style={{ marginBottom: 16 }} />}
        <Input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      </Modal>
    </Space>
  );
}
