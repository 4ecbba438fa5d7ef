// Administrators: users, their roles (with the institution of each) and state; create a user (the
// first password is chosen by a mailed link), change a user's roles, disable / re-enable (sessions and
// API tokens stop at once), force a password reset, record an e-mail address, turn off a lost second factor.
import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Card, Empty, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { showFieldErrors } from '../certification/common';
import { GrantsField, grantsBody, type GrantValue } from './GrantsField';

type UserRow = Res<'/users'>['items'][number];
type Grant = UserRow['grants'][number];

const ALL_ROLES = ['registrar', 'reviewer', 'committee', 'admin', 'learner'] as const;
const STAFF_ROLES = ['registrar', 'reviewer', 'committee', 'admin'] as const;

interface NewUserValues {
  username: string;
  displayName: string;
  email: string;
  grants: GrantValue[];
}

export function UsersPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [lang] = useLanguage();
  const { message: notify } = AntApp.useApp();
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [email, setEmail] = useState('');
  const [creating, setCreating] = useState(false);
  const [rolesOf, setRolesOf] = useState<UserRow | null>(null);
  const [createForm] = Form.useForm<NewUserValues>();
  const [rolesForm] = Form.useForm<{ grants: GrantValue[] }>();
  const users = useQuery({ queryKey: ['users', q], queryFn: () => api.get('/users', { query: { q } }) });
  const institutions = useQuery({ queryKey: ['institutions'], queryFn: ({ signal }) => api.get('/institutions', { signal }) });
  const done = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const grantLabel = (g: Grant) =>
    g.institutionId ? `${t(`roles.${g.role}`)} · ${localName(lang, g.institutionNameZh, g.institutionNameEn) || g.institutionCode}` : t(`roles.${g.role}`);
  const create = useMutation({
    mutationFn: (v: NewUserValues) =>
      api.post('/users', {
        body: { username: v.username.trim(), displayName: v.displayName.trim(), email: v.email.trim(), grants: grantsBody(v.grants, ALL_ROLES) },
      }),
    onSuccess: (u) => {
      setCreating(false);
      void notify.success(t('adminUsers.created', { username: u.username, email: u.email ?? '' }));
      done();
    },
    onError: (err) => showFieldErrors(createForm, err, ['username', 'displayName', 'email']),
  });
  const saveRoles = useMutation({
    mutationFn: (v: { grants: GrantValue[] }) =>
      api.put('/users/{id}/roles', { params: { id: rolesOf!.id }, body: { grants: grantsBody(v.grants, STAFF_ROLES) } }),
    onSuccess: (r) => {
      void notify.success(r.changed ? t('adminUsers.rolesSaved', { username: rolesOf?.username }) : t('adminUsers.rolesUnchanged'));
      setRolesOf(null);
      done();
    },
  });
  const openCreate = () => {
    create.reset();
    createForm.resetFields();
    setCreating(true);
  };
  const openRoles = (u: UserRow) => {
    saveRoles.reset();
    rolesForm.setFieldsValue({ grants: u.grants.filter((g) => g.role !== 'learner').map((g) => ({ role: g.role, institutionId: g.institutionId })) });
    setRolesOf(u);
  };
  const institutionList = institutions.data?.items ?? [];
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'disable' | 'enable' | 'force-password-reset' | 'totp-off' }) =>
      action === 'totp-off' ? api.delete('/users/{id}/totp', { params: { id } }) : api.post(`/users/{id}/${action}`, { params: { id } }),
    onSuccess: (r, v) => {
      if (v.action === 'force-password-reset')
        void notify.info(r && 'mailed' in r && r.mailed ? t('lifecycle.admin.resetMailed') : t('lifecycle.admin.resetNoEmail'));
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
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('lifecycle.admin.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="user-create">
          {t('adminUsers.create')}
        </Button>
      </Space>
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
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('adminUsers.noMatch') : t('adminUsers.empty')} /> }}
          columns={[
            { title: t('login.username'), dataIndex: 'username' },
            { title: t('lifecycle.fullName'), dataIndex: 'displayName' },
            {
              title: t('lifecycle.admin.roles'),
              render: (_, u) =>
                u.grants.length === 0 ? (
                  <Typography.Text type="secondary">{t('adminUsers.noRolesShort')}</Typography.Text>
                ) : (
                  <Space size={[4, 4]} wrap data-testid={`roles-${u.username}`}>
                    {u.grants.map((g) => (
                      <Tag key={`${g.role}:${g.institutionId ?? ''}`} color={g.role === 'admin' ? 'red' : g.institutionId ? 'blue' : undefined}>
                        {grantLabel(g)}
                      </Tag>
                    ))}
                  </Space>
                ),
            },
            { title: t('lifecycle.email'), render: (_, u) => (u.email ? `${u.email}${u.emailVerified ? '' : ` (${t('lifecycle.emailUnverified')})`}` : '—') },
            { title: t('lifecycle.lastLogin'), render: (_, u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('lifecycle.admin.never')) },
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
                  <Button size="small" onClick={() => openRoles(u)} data-testid={`roles-edit-${u.username}`}>
                    {t('adminUsers.editRoles')}
                  </Button>
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
      <Modal
        open={creating}
        title={t('adminUsers.create')}
        onCancel={() => setCreating(false)}
        onOk={() => createForm.submit()}
        okText={t('adminUsers.createOk')}
        confirmLoading={create.isPending}
        width={640}
        forceRender
      >
        {create.error && <ErrorAlert error={create.error} style={{ marginBottom: 12 }} />}
        <Form<NewUserValues>
          form={createForm}
          layout="vertical"
          initialValues={{ grants: [{ role: 'registrar', institutionId: null }] }}
          onFinish={(v) => create.mutate(v)}
          data-testid="user-create-form"
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            extra={t('adminUsers.usernameHelp')}
            rules={[
              { required: true, message: t('adminUsers.usernameRequired') },
              { pattern: /^[A-Za-z0-9._@-]{3,60}$/, message: t('adminUsers.usernameRule') },
            ]}
          >
            <Input autoComplete="off" placeholder="zhang.registrar" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('adminUsers.displayName')}
            rules={[{ required: true, whitespace: true, message: t('adminUsers.displayNameRequired') }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="email"
            label={t('lifecycle.email')}
            extra={t('adminUsers.emailHelp')}
            rules={[
              { required: true, message: t('adminUsers.emailRequired') },
              { type: 'email', message: t('adminUsers.emailRule') },
            ]}
          >
            <Input type="email" autoComplete="off" placeholder="name@example.edu.cn" />
          </Form.Item>
          <Form.Item label={t('lifecycle.admin.roles')} required>
            <GrantsField name="grants" roles={ALL_ROLES} institutions={institutionList} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!rolesOf}
        title={t('adminUsers.rolesTitle', { name: rolesOf?.displayName ?? '', username: rolesOf?.username ?? '' })}
        onCancel={() => setRolesOf(null)}
        onOk={() => rolesForm.submit()}
        okText={t('adminUsers.saveRoles')}
        confirmLoading={saveRoles.isPending}
        width={640}
        forceRender
      >
        {saveRoles.error && <ErrorAlert error={saveRoles.error} style={{ marginBottom: 12 }} />}
        <Typography.Paragraph type="secondary">{t('adminUsers.rolesHelp')}</Typography.Paragraph>
        {rolesOf?.grants.some((g) => g.role === 'learner') && (
          <Typography.Paragraph>
            <Tag>{t('roles.learner')}</Tag> {t('adminUsers.learnerKept')}
          </Typography.Paragraph>
        )}
        <Form<{ grants: GrantValue[] }> form={rolesForm} layout="vertical" onFinish={(v) => saveRoles.mutate(v)} data-testid="roles-form">
          <GrantsField name="grants" roles={STAFF_ROLES} institutions={institutionList} />
        </Form>
      </Modal>
    </Space>
  );
}
