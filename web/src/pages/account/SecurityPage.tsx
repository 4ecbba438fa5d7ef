// Sign-in and security, for everyone signed in (issue 20): last sign-in, password change (the other
// sessions end), the TOTP second factor for staff, and for learners the requests to institutions to
// link their records.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, List, Modal, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { api, type Res } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { passwordRules } from '../auth/AccountPages';

type SignInStatus = Res<'/me/sign-in'>;

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function SecurityPage() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: ['me', 'sign-in'], queryFn: () => api.get('/me/sign-in') });
  if (status.error) return <ErrorAlert error={status.error} />;
  const s = status.data;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('lifecycle.securityTitle')}
      </Typography.Title>
      <Card loading={status.isLoading}>
        {s && (
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('lifecycle.email')}>
              {s.email ?? '—'}{' '}
              {s.email && (s.emailVerified ? <Tag color="green">{t('lifecycle.emailVerified')}</Tag> : <Tag>{t('lifecycle.emailUnverified')}</Tag>)}
            </Descriptions.Item>
            <Descriptions.Item label={t('lifecycle.lastLogin')}>{when(s.lastLoginAt)}</Descriptions.Item>
            {s.identityClaims.map((c) => (
              <Descriptions.Item key={c.createdAt} label={t('lifecycle.declaredDocument')}>
                {t(`idType.${c.idType}`)} {c.idNumber} <Tag>{t(`lifecycle.claim.${c.status}`)}</Tag>
              </Descriptions.Item>
            ))}
          </Descriptions>
        )}
      </Card>
      <ChangePasswordCard />
      {s?.staff && <TotpCard status={s} />}
      {s && !s.staff && <LinkRequestsCard />}
    </Space>
  );
}

function ChangePasswordCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api.post('/me/password', { body: v }),
    onSuccess: (r) => {
      form.resetFields();
      void message.success(t('lifecycle.passwordChanged', { count: r.otherSessionsEnded }));
    },
  });
  return (
    <Card title={t('lifecycle.changePassword')}>
      {change.error && <ErrorAlert error={change.error} title={t('lifecycle.changeFailed')} style={{ marginBottom: 16 }} />}
      {change.isSuccess && (
        <Alert
          type="success"
          showIcon
          message={t('lifecycle.passwordChanged', { count: change.data.otherSessionsEnded })}
          style={{ marginBottom: 16 }}
          data-testid="password-changed"
        />
      )}
      <Form form={form} layout="vertical" style={{ maxWidth: 420 }} onFinish={(v) => change.mutate(v)} disabled={change.isPending}>
        <Form.Item label={t('lifecycle.currentPassword')} name="currentPassword" rules={[{ required: true, message: t('lifecycle.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item label={t('lifecycle.newPassword')} name="newPassword" rules={passwordRules(t)} extra={t('lifecycle.passwordHint')}>
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password-submit">
          {t('lifecycle.savePassword')}
        </Button>
      </Form>
    </Card>
  );
}

function TotpCard({ status }: { status: SignInStatus }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [qr, setQr] = useState<string>();
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['me', 'sign-in'] });
  const start = useMutation({ mutationFn: () => api.post('/me/totp'), onSuccess: setEnrolment });
  const confirm = useMutation({
    mutationFn: (code: string) => api.post('/me/totp/confirm', { body: { code } }),
    onSuccess: (r) => {
      setCodes(r.recoveryCodes);
      setEnrolment(null);
      void refresh();
    },
  });
  const off = useMutation({ mutationFn: (password: string) => api.delete('/me/totp', { body: { password } }), onSuccess: () => void refresh() });
  useEffect(() => {
    if (enrolment) void QRCode.toDataURL(enrolment.otpauthUri, { margin: 1, width: 192 }).then(setQr);
  }, [enrolment]);
  return (
    <Card title={t('lifecycle.totpTitle')}>
      {[start.error, confirm.error, off.error].filter(Boolean).map((e, i) => (
        <ErrorAlert key={i} error={e} style={{ marginBottom: 16 }} />
      ))}
      {codes && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('lifecycle.recoveryCodesTitle')}
          description={
            <List
              size="small"
              dataSource={codes}
              renderItem={(c) => <List.Item style={{ fontFamily: 'monospace' }}>{c}</List.Item>}
              data-testid="recovery-codes"
            />
          }
        />
      )}
      {status.totpEnabled ? (
        <Space direction="vertical">
          <Typography.Text>
            <Tag color="green">{t('lifecycle.totpOn')}</Tag> {t('lifecycle.recoveryLeft', { count: status.recoveryCodesLeft })}
          </Typography.Text>
          <Form layout="inline" onFinish={(v: { password: string }) => off.mutate(v.password)}>
            <Form.Item name="password" rules={[{ required: true, message: t('lifecycle.required') }]}>
              <Input.Password placeholder={t('login.password')} autoComplete="current-password" />
            </Form.Item>
            <Button danger htmlType="submit" loading={off.isPending}>
              {t('lifecycle.totpOff')}
            </Button>
          </Form>
        </Space>
      ) : enrolment ? (
        <Space align="start" size="large" wrap>
          {qr && <img src={qr} alt="otpauth QR" width={192} height={192} />}
          <Space direction="vertical">
            <Typography.Text>{t('lifecycle.totpScan')}</Typography.Text>
            <Typography.Text code copyable data-testid="totp-secret">
              {enrolment.secret}
            </Typography.Text>
            <Form layout="inline" onFinish={(v: { code: string }) => confirm.mutate(v.code)}>
              <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: t('lifecycle.sixDigits') }]}>
                <Input placeholder="123456" inputMode="numeric" maxLength={6} data-testid="totp-confirm-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={confirm.isPending}>
                {t('lifecycle.totpConfirm')}
              </Button>
            </Form>
          </Space>
        </Space>
      ) : (
        <Space direction="vertical">
          <Typography.Text type="secondary">{t('lifecycle.totpIntro')}</Typography.Text>
          <Button onClick={() => start.mutate()} loading={start.isPending} data-testid="totp-start">
            {t('lifecycle.totpStart')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

interface Institution {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string | null;
}
interface MyLinkRequest {
  id: string;
  externalId: string;
  status: string;
  decisionNote: string | null;
  createdAt: string;
  institution: Institution;
}

function LinkRequestsCard() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const name = (i: Institution) => (i18n.language === 'en' ? (i.nameEn ?? i.nameZh) : i.nameZh);
  const requests = useQuery({ queryKey: ['me', 'link-requests'], queryFn: () => api.get('/me/link-requests') });
  const institutions = useQuery({ queryKey: ['institutions'], queryFn: () => api.get('/institutions'), enabled: open });
  const list = institutions.data ? (Array.isArray(institutions.data) ? institutions.data : institutions.data.items) : [];
  const ask = useMutation({
    mutationFn: (v: { institutionId: string; externalId: string; note?: string }) => api.post('/me/link-requests', { body: v }),
    onSuccess: () => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: ['me', 'link-requests'] });
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: string) => api.delete('/me/link-requests/{id}', { params: { id } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['me', 'link-requests'] }),
  });
  return (
    <Card title={t('lifecycle.linkTitle')} extra={<Button onClick={() => setOpen(true)}>{t('lifecycle.linkAsk')}</Button>}>
      <Typography.Paragraph type="secondary">{t('lifecycle.linkIntro')}</Typography.Paragraph>
      {requests.error && <ErrorAlert error={requests.error} />}
      <Table<MyLinkRequest>
        rowKey="id"
        size="small"
        loading={requests.isLoading}
        dataSource={requests.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('lifecycle.institution'), render: (_, r) => name(r.institution) },
          { title: t('lifecycle.studentNumber'), dataIndex: 'externalId' },
          { title: t('lifecycle.status'), render: (_, r) => <Tag>{t(`lifecycle.linkStatus.${r.status}`)}</Tag> },
          { title: t('lifecycle.note'), dataIndex: 'decisionNote' },
          {
            title: '',
            render: (_, r) =>
              r.status === 'open' && (
                <Button size="small" onClick={() => withdraw.mutate(r.id)}>
                  {t('lifecycle.withdraw')}
                </Button>
              ),
          },
        ]}
      />
      <Modal open={open} title={t('lifecycle.linkAsk')} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        {ask.error && <ErrorAlert error={ask.error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={(v) => ask.mutate(v)}>
          <Form.Item label={t('lifecycle.institution')} name="institutionId" rules={[{ required: true, message: t('lifecycle.required') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={institutions.isLoading}
              options={list.map((i) => ({ value: i.id, label: `${name(i)} (${i.code})` }))}
            />
          </Form.Item>
          <Form.Item label={t('lifecycle.studentNumber')} name="externalId" rules={[{ required: true, whitespace: true, message: t('lifecycle.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('lifecycle.note')} name="note">
            <Input.TextArea maxLength={500} rows={2} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={ask.isPending}>
            {t('lifecycle.send')}
          </Button>
        </Form>
      </Modal>
    </Card>
  );
}
