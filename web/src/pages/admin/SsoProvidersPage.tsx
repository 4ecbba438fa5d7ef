import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

type Kind = 'cas' | 'oidc' | 'saml';
type SsoRole = 'learner' | 'registrar' | 'reviewer';
type Mapping = Res<'/institutions/{id}/sso-providers'>['items'][number]['mapping'];
interface Provider {
  id: string;
  institutionId: string;
  slug: string;
  kind: Kind;
  nameZh: string;
  nameEn: string;
  enabled: boolean;
  jitStaff: boolean;
  settings: Record<string, string>;
  hasSecret: boolean;
  mapping: Mapping;
  updatedAt: string;
}
interface FormValues {
  slug: string;
  nameZh: string;
  nameEn: string;
  kind: Kind;
  enabled: boolean;
  jitStaff: boolean;
  serverUrl?: string;
  issuer?: string;
  clientId?: string;
  clientSecret?: string;
  scopes?: string;
  entryPoint?: string;
  idpCert?: string;
  idpIssuer?: string;
  spEntityId?: string;
  subject?: string;
  name?: string;
  email?: string;
  studentNumber?: string;
  affiliation?: string;
  /** one line per affiliation value: `staff = registrar, reviewer` */
  roles?: string;
  defaultRoles?: SsoRole[];
}

const ROLES: SsoRole[] = ['learner', 'registrar', 'reviewer'];
const clean = (v?: string) => (v && v.trim() ? v.trim() : undefined);
/** A field the form requires (its rules keep it from being empty). */
const required = (v?: string) => (v ?? '').trim();

function toBody(v: FormValues) {
  const roles: Record<string, SsoRole[]> = {};
  for (const line of (v.roles ?? '').split('\n')) {
    const [value, list] = line.split('=');
    if (!value?.trim() || !list) continue;
    roles[value.trim()] = list
      .split(',')
      .map((r) => r.trim())
      .filter((r): r is SsoRole => (ROLES as string[]).includes(r));
  }
  const mapping = {
    subject: clean(v.subject),
    name: clean(v.name),
    email: clean(v.email),
    studentNumber: clean(v.studentNumber),
    affiliation: clean(v.affiliation),
    roles,
    defaultRoles: v.defaultRoles ?? [],
  };
  const protocol =
    v.kind === 'cas'
      ? { kind: 'cas' as const, settings: { serverUrl: required(v.serverUrl) } }
      : v.kind === 'oidc'
        ? {
            kind: 'oidc' as const,
            settings: { issuer: required(v.issuer), clientId: required(v.clientId), scopes: clean(v.scopes) },
            clientSecret: clean(v.clientSecret),
          }
        : {
            kind: 'saml' as const,
            settings: { entryPoint: required(v.entryPoint), idpCert: required(v.idpCert), idpIssuer: clean(v.idpIssuer), spEntityId: clean(v.spEntityId) },
          };
  return { slug: v.slug.trim(), nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), enabled: v.enabled, jitStaff: v.jitStaff, mapping, protocol };
}

function toForm(p: Provider): FormValues {
  return {
    slug: p.slug,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    kind: p.kind,
    enabled: p.enabled,
    jitStaff: p.jitStaff,
    ...p.settings,
    ...p.mapping,
    roles: Object.entries(p.mapping.roles)
      .map(([k, rs]) => `${k} = ${rs.join(', ')}`)
      .join('\n'),
    defaultRoles: p.mapping.defaultRoles,
  };
}

/** Administrators: each institution's identity providers (CAS, OpenID Connect, SAML) and how their attributes map to roles. */
export function SsoProvidersPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [institutionId, setInstitutionId] = useState<string>();
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form);

  const institutions = useQuery({ queryKey: ['institutions'], queryFn: ({ signal }) => api.get('/institutions', { signal }) });
  const chosen = institutionId ?? institutions.data?.items[0]?.id;
  const providers = useQuery({
    queryKey: ['sso-admin', chosen],
    enabled: Boolean(chosen),
    queryFn: ({ signal }) => api.get('/institutions/{id}/sso-providers', { params: { id: chosen ?? '' }, signal }),
  });
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      editing && editing !== 'new'
        ? api.put('/sso-providers/{id}', { params: { id: editing.id }, body: toBody(v) })
        : api.post('/institutions/{id}/sso-providers', { params: { id: chosen ?? '' }, body: toBody(v) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['sso-admin'] });
      void queryClient.invalidateQueries({ queryKey: ['sso-providers'] });
      setEditing(null);
      void message.success(t('sso.admin.saved'));
    },
  });

  const open = (p: Provider | 'new') => {
    save.reset();
    form.resetFields();
    form.setFieldsValue(p === 'new' ? { kind: 'cas', enabled: true, jitStaff: false, defaultRoles: [] } : toForm(p));
    setEditing(p);
  };

  const columns: ColumnsType<Provider> = [
    { title: t('sso.admin.name'), key: 'name', render: (_, p) => localName(lang, p.nameZh, p.nameEn) },
    { title: t('sso.admin.slug'), dataIndex: 'slug', render: (s: string) => <Typography.Text code>{s}</Typography.Text> },
    { title: t('sso.admin.kind'), dataIndex: 'kind', render: (k: Kind) => <Tag>{t(`sso.kind.${k}`)}</Tag> },
    {
      title: t('sso.admin.enabled'),
      dataIndex: 'enabled',
      render: (e: boolean) => (e ? <Tag color="success">{t('sso.admin.on')}</Tag> : <Tag>{t('sso.admin.off')}</Tag>),
    },
    { title: t('sso.admin.jitStaff'), dataIndex: 'jitStaff', render: (e: boolean) => (e ? t('sso.admin.on') : t('sso.admin.off')) },
    {
      title: t('sso.admin.urls'),
      key: 'urls',
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <Typography.Text copyable type="secondary" style={{ fontSize: 12 }}>{`${location.origin}/api/v1/auth/sso/${p.slug}/callback`}</Typography.Text>
          {p.kind === 'saml' && (
            <a href={`/api/v1/auth/sso/${p.slug}/metadata`} target="_blank" rel="noreferrer">
              {t('sso.admin.metadata')}
            </a>
          )}
        </Space>
      ),
    },
    { title: t('sso.admin.updated'), dataIndex: 'updatedAt', render: (d: string) => formatDateTime(d) },
    {
      key: 'edit',
      render: (_, p) => (
        <Button size="small" onClick={() => open(p)} data-testid={`sso-edit-${p.slug}`}>
          {t('sso.admin.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('sso.admin.title')}
        subtitle={t('sso.admin.subtitle')}
        extra={
          <Space>
            <Select
              style={{ minWidth: 240 }}
              aria-label={t('outcomes.institution')}
              value={chosen}
              onChange={setInstitutionId}
              options={(institutions.data?.items ?? []).map((i) => ({ value: i.id, label: localName(lang, i.nameZh, i.nameEn) }))}
              data-testid="sso-institution"
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} disabled={!chosen} data-testid="sso-add">
              {t('sso.admin.add')}
            </Button>
          </Space>
        }
      />
      <Card>
        {providers.error && <ErrorAlert error={providers.error} />}
        <Table
          rowKey="id"
          columns={columns}
          dataSource={providers.data?.items ?? []}
          loading={providers.isLoading}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sso.admin.empty')} /> }}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('sso.admin.add') : t('sso.admin.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        width={720}
        destroyOnHidden
      >
        {save.error && <ErrorAlert error={save.error} style={{ marginBottom: 12 }} />}
        <Form<FormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} preserve={false}>
          <Space wrap>
            <Form.Item name="kind" label={t('sso.admin.kind')} rules={[{ required: true }]}>
              <Select
                style={{ width: 180 }}
                disabled={editing !== 'new'}
                options={(['cas', 'oidc', 'saml'] as Kind[]).map((k) => ({ value: k, label: t(`sso.kind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="slug"
              label={t('sso.admin.slug')}
              rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9-]{1,62}$/, message: t('sso.admin.slugRule') }]}
            >
              <Input style={{ width: 200 }} placeholder="hxu-cas" />
            </Form.Item>
            <Form.Item name="enabled" label={t('sso.admin.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="jitStaff" label={t('sso.admin.jitStaff')} valuePropName="checked" tooltip={t('sso.admin.jitStaffHelp')}>
              <Switch />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="nameZh" label={t('sso.admin.nameZh')} rules={[{ required: true }]}>
              <Input style={{ width: 300 }} placeholder="华夏大学" />
            </Form.Item>
            <Form.Item name="nameEn" label={t('sso.admin.nameEn')} rules={[{ required: true }]}>
              <Input style={{ width: 300 }} placeholder="Huaxia University" />
            </Form.Item>
          </Space>
          {kind === 'cas' && (
            <Form.Item name="serverUrl" label={t('sso.admin.serverUrl')} rules={[{ required: true, type: 'url' }]}>
              <Input placeholder="https://cas.example.edu.cn/cas" />
            </Form.Item>
          )}
          {kind === 'oidc' && (
            <>
              <Form.Item name="issuer" label={t('sso.admin.issuer')} rules={[{ required: true, type: 'url' }]}>
                <Input placeholder="https://id.example.edu" />
              </Form.Item>
              <Space wrap>
                <Form.Item name="clientId" label={t('sso.admin.clientId')} rules={[{ required: true }]}>
                  <Input style={{ width: 300 }} />
                </Form.Item>
                <Form.Item
                  name="clientSecret"
                  label={t('sso.admin.clientSecret')}
                  extra={editing !== 'new' && editing?.hasSecret ? t('sso.admin.secretKept') : undefined}
                >
                  <Input.Password style={{ width: 300 }} autoComplete="new-password" />
                </Form.Item>
              </Space>
              <Form.Item name="scopes" label={t('sso.admin.scopes')}>
                <Input placeholder="profile email" />
              </Form.Item>
            </>
          )}
          {kind === 'saml' && (
            <>
              <Form.Item name="entryPoint" label={t('sso.admin.entryPoint')} rules={[{ required: true, type: 'url' }]}>
                <Input placeholder="https://idp.example.edu/idp/profile/SAML2/Redirect/SSO" />
              </Form.Item>
              <Form.Item name="idpCert" label={t('sso.admin.idpCert')} rules={[{ required: true }]}>
                <Input.TextArea rows={4} placeholder="-----BEGIN CERTIFICATE-----" />
              </Form.Item>
              <Space wrap>
                <Form.Item name="idpIssuer" label={t('sso.admin.idpIssuer')}>
                  <Input style={{ width: 300 }} />
                </Form.Item>
                <Form.Item name="spEntityId" label={t('sso.admin.spEntityId')}>
                  <Input style={{ width: 300 }} />
                </Form.Item>
              </Space>
            </>
          )}
          <Typography.Title level={5}>{t('sso.admin.mapping')}</Typography.Title>
          <Space wrap>
            {(['subject', 'name', 'email', 'studentNumber', 'affiliation'] as const).map((f) => (
              <Form.Item key={f} name={f} label={t(`sso.admin.attr.${f}`)}>
                <Input style={{ width: 200 }} />
              </Form.Item>
            ))}
          </Space>
          <Form.Item name="roles" label={t('sso.admin.roles')} extra={t('sso.admin.rolesHelp')}>
            <Input.TextArea rows={3} placeholder={'staff = registrar\nfaculty = reviewer\nstudent = learner'} />
          </Form.Item>
          <Form.Item name="defaultRoles" label={t('sso.admin.defaultRoles')}>
            <Select mode="multiple" style={{ width: 300 }} options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
