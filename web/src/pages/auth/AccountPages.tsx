// Public pages of the account lifecycle (issue 20): sign up, verify the e-mail address, forgot
// password, choose a new password. Each answer that could tell whether an account exists is the
// same "check your e-mail".
import { useEffect, useRef, type ReactNode } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Result, Select, Space, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { LanguageSwitch } from '../../components/LanguageSwitch';

export const ID_TYPES = ['resident_id', 'hk_macao_permit', 'taiwan_permit', 'residence_permit', 'foreign_permanent', 'passport', 'other'] as const;
/** The server checks the rest (the commonest passwords); the form says the length rule at once. */
export const passwordRules = (t: (k: string) => string) => [
  { required: true, message: t('lifecycle.passwordRequired') },
  { min: 10, message: t('lifecycle.passwordMin') },
  { max: 200, message: t('lifecycle.passwordMax') },
];

export function Frame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="cb-login">
      <Card className="cb-login-card" variant="borderless" styles={{ body: { padding: 32 } }} style={{ maxWidth: 520 }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: -16, marginRight: -16 }}>
          <LanguageSwitch />
        </div>
        <Space direction="vertical" size={4} style={{ width: '100%', textAlign: 'center', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.name')}</Typography.Text>
        </Space>
        {children}
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/login" data-testid="back-to-login">
            {t('lifecycle.backToLogin')}
          </Link>
        </div>
      </Card>
    </div>
  );
}

const CheckEmail = () => {
  const { t } = useTranslation();
  return (
    <div data-testid="check-email">
      <Result status="success" title={t('lifecycle.checkEmail')} subTitle={t('lifecycle.checkEmailHint')} />
    </div>
  );
};

interface SignUpForm {
  username: string;
  password: string;
  fullName: string;
  birthDate: { format(f: string): string };
  email: string;
  idType: (typeof ID_TYPES)[number];
  idNumber: string;
  idCountry?: string;
  idTypeName?: string;
}

export function SignUpPage() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<SignUpForm>();
  const idType = Form.useWatch('idType', form);
  const signUp = useMutation({
    mutationFn: (v: SignUpForm) =>
      api.post('/auth/signup', { body: { ...v, birthDate: v.birthDate.format('YYYY-MM-DD'), locale: i18n.language === 'en' ? 'en' : 'zh-CN' } }),
  });
  return (
    <Frame title={t('lifecycle.signUpTitle')}>
      {signUp.isSuccess ? (
        <CheckEmail />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('lifecycle.signUpIntro')}</Typography.Paragraph>
          {signUp.error && <ErrorAlert error={signUp.error} title={t('lifecycle.signUpFailed')} style={{ marginBottom: 16 }} />}
          <Form<SignUpForm>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={(v) => signUp.mutate(v)}
            disabled={signUp.isPending}
            initialValues={{ idType: 'resident_id' }}
          >
            <Form.Item
              label={t('login.username')}
              name="username"
              rules={[{ required: true, pattern: /^[A-Za-z0-9._@-]{3,60}$/, message: t('lifecycle.usernameRule') }]}
            >
              <Input autoComplete="username" data-testid="signup-username" />
            </Form.Item>
            <Form.Item label={t('login.password')} name="password" rules={passwordRules(t)} extra={t('lifecycle.passwordHint')}>
              <Input.Password autoComplete="new-password" data-testid="signup-password" />
            </Form.Item>
            <Form.Item label={t('lifecycle.fullName')} name="fullName" rules={[{ required: true, whitespace: true, message: t('lifecycle.required') }]}>
              <Input autoComplete="name" data-testid="signup-fullname" />
            </Form.Item>
            <Form.Item label={t('lifecycle.birthDate')} name="birthDate" rules={[{ required: true, message: t('lifecycle.required') }]}>
              <DatePicker style={{ width: '100%' }} data-testid="signup-birthdate" />
            </Form.Item>
            <Form.Item label={t('lifecycle.email')} name="email" rules={[{ required: true, type: 'email', message: t('lifecycle.emailRule') }]}>
              <Input autoComplete="email" data-testid="signup-email" />
            </Form.Item>
            <Form.Item label={t('lifecycle.idType')} name="idType" rules={[{ required: true }]}>
              <Select options={ID_TYPES.map((v) => ({ value: v, label: t(`idType.${v}`) }))} data-testid="signup-idtype" />
            </Form.Item>
            <Form.Item
              label={t('lifecycle.idNumber')}
              name="idNumber"
              rules={[{ required: true, whitespace: true, message: t('lifecycle.required') }]}
              extra={t('lifecycle.idHint')}
            >
              <Input autoComplete="off" data-testid="signup-idnumber" />
            </Form.Item>
            {idType === 'passport' && (
              <Form.Item label={t('lifecycle.idCountry')} name="idCountry" rules={[{ required: true, message: t('lifecycle.required') }]}>
                <Input placeholder="CHN, USA …" />
              </Form.Item>
            )}
            {idType === 'other' && (
              <Form.Item label={t('lifecycle.idTypeName')} name="idTypeName" rules={[{ required: true, message: t('lifecycle.required') }]}>
                <Input />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block size="large" loading={signUp.isPending} data-testid="signup-submit">
              {t('lifecycle.signUp')}
            </Button>
          </Form>
        </>
      )}
    </Frame>
  );
}

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useMutation({ mutationFn: () => api.post('/auth/verify-email', { body: { token } }) });
  const started = useRef(false);
  useEffect(() => {
    if (!started.current && token) {
      started.current = true;
      verify.mutate();
    }
  }, [token, verify]);
  return (
    <Frame title={t('lifecycle.verifyTitle')}>
      {verify.isSuccess && (
        <div data-testid="email-verified">
          <Result status="success" title={t('lifecycle.verified')} extra={<Link to="/login">{t('login.submit')}</Link>} />
        </div>
      )}
      {(verify.isError || !token) && <Alert type="error" showIcon message={t('lifecycle.linkInvalid')} data-testid="verify-failed" />}
      {verify.isPending && <Typography.Text>{t('lifecycle.verifying')}</Typography.Text>}
    </Frame>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const ask = useMutation({ mutationFn: (v: { login: string }) => api.post('/auth/password-reset', { body: v }) });
  return (
    <Frame title={t('lifecycle.forgotTitle')}>
      {ask.isSuccess ? (
        <CheckEmail />
      ) : (
        <Form<{ login: string }> layout="vertical" requiredMark={false} onFinish={(v) => ask.mutate(v)} disabled={ask.isPending}>
          {ask.error && <ErrorAlert error={ask.error} style={{ marginBottom: 16 }} />}
          <Form.Item label={t('lifecycle.usernameOrEmail')} name="login" rules={[{ required: true, whitespace: true, message: t('lifecycle.required') }]}>
            <Input autoComplete="username" data-testid="forgot-login" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={ask.isPending} data-testid="forgot-submit">
            {t('lifecycle.sendLink')}
          </Button>
        </Form>
      )}
    </Frame>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useMutation({ mutationFn: (v: { password: string }) => api.post('/auth/password-reset/complete', { body: { token, password: v.password } }) });
  return (
    <Frame title={t('lifecycle.resetTitle')}>
      {reset.isSuccess ? (
        <div data-testid="reset-done">
          <Result status="success" title={t('lifecycle.resetDone')} extra={<Link to="/login">{t('login.submit')}</Link>} />
        </div>
      ) : (
        <Form<{ password: string; repeat: string }>
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => reset.mutate(v)}
          disabled={reset.isPending || !token}
        >
          {!token && <Alert type="error" showIcon message={t('lifecycle.linkInvalid')} style={{ marginBottom: 16 }} />}
          {reset.error && <ErrorAlert error={reset.error} title={t('lifecycle.resetFailed')} style={{ marginBottom: 16 }} />}
          <Form.Item label={t('lifecycle.newPassword')} name="password" rules={passwordRules(t)} extra={t('lifecycle.passwordHint')}>
            <Input.Password autoComplete="new-password" data-testid="reset-password" />
          </Form.Item>
          <Form.Item
            label={t('lifecycle.repeatPassword')}
            name="repeat"
            dependencies={['password']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('lifecycle.mismatch')))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="reset-repeat" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={reset.isPending} data-testid="reset-submit">
            {t('lifecycle.savePassword')}
          </Button>
        </Form>
      )}
    </Frame>
  );
}
