import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { InteractionOutlined, KeyOutlined, LockOutlined, ReadOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Me } from '../../api/types';
import { ME_KEY, useMe } from '../../auth';
import { landingPath } from '../../routes';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useErrorMessage } from '../../components/ErrorAlert';
import { SsoButtons } from './SsoButtons';

interface LoginForm {
  username: string;
  password: string;
}

/** Only same-site paths may be returned to after signing in. */
function safeReturnPath(state: unknown): string | null {
  const from = (state as { from?: unknown } | null)?.from;
  if (typeof from !== 'string' || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/login')) return null;
  return from;
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const me = useMe();
  const returnTo = safeReturnPath(location.state);

  // Already signed in (e.g. a bookmarked /login): go straight home.
  useEffect(() => {
    if (me.data) navigate(landingPath(me.data, returnTo), { replace: true });
  }, [me.data, navigate, returnTo]);

  const signedIn = (user: Me) => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    queryClient.setQueryData(ME_KEY, user);
    navigate(landingPath(user, returnTo), { replace: true });
  };
  // staff with a second factor: the password step answers with a challenge, the code step signs in
  const [challenge, setChallenge] = useState<string | null>(null);
  const login = useMutation({
    mutationFn: (form: LoginForm) => api.post('/auth/login', { body: form }),
    onSuccess: (r) => ('user' in r ? signedIn(r.user) : setChallenge(r.secondFactor.challenge)),
  });
  const second = useMutation({
    mutationFn: (code: string) => api.post('/auth/login/second-factor', { body: { challenge: challenge ?? '', code } }),
    onSuccess: ({ user }) => signedIn(user),
    onError: () => setChallenge(null),
  });

  // A 401 gets our own wording in the UI language; the server's detail follows when it says something else.
  let failure: { message: string; detail?: string } | null = null;
  if (second.error && !challenge) failure = { message: errorMessage(second.error) };
  else if (login.error) {
    const serverText = errorMessage(login.error);
    if (login.error instanceof ApiError && login.error.status === 401) {
      const message = t('login.invalid');
      const same = (a: string, b: string) => a.replace(/[.。!！\s]+$/u, '').toLowerCase() === b.replace(/[.。!！\s]+$/u, '').toLowerCase();
      failure = { message, detail: login.error.problem && !same(serverText, message) ? serverText : undefined };
    } else {
      failure = { message: serverText };
    }
  }

  return (
    <div className="cb-login">
      <Card className="cb-login-card" variant="borderless" styles={{ body: { padding: 32 } }}>
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: -16, marginRight: -16 }}>
          <LanguageSwitch />
        </div>
        <Space direction="vertical" size={4} style={{ width: '100%', textAlign: 'center', marginBottom: 24 }}>
          <img src="/favicon.svg" alt="" width={48} height={48} />
          <Typography.Title level={3} style={{ margin: '8px 0 0' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </Space>
        {failure && (
          <Alert
            type="error"
            showIcon
            message={failure.message}
            description={failure.detail}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            role="alert"
          />
        )}
        {challenge && (
          <Form<{ code: string }> layout="vertical" requiredMark={false} onFinish={(v) => second.mutate(v.code)} disabled={second.isPending}>
            <Typography.Paragraph type="secondary">{t('lifecycle.totpAsk')}</Typography.Paragraph>
            <Form.Item label={t('lifecycle.totpCode')} name="code" rules={[{ required: true, message: t('lifecycle.required') }]}>
              <Input size="large" autoComplete="one-time-code" inputMode="numeric" autoFocus data-testid="login-totp" />
            </Form.Item>
            <Button type="primary" htmlType="submit" size="large" block loading={second.isPending} data-testid="login-totp-submit">
              {t('login.submit')}
            </Button>
          </Form>
        )}
        <Form<LoginForm>
          style={challenge ? { display: 'none' } : undefined}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => login.mutate(values)}
          disabled={login.isPending}
          autoComplete="on"
        >
          <Form.Item label={t('login.username')} name="username" rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
            <Input
              prefix={<UserOutlined />}
              size="large"
              autoComplete="username"
              autoFocus
              placeholder={t('login.usernamePlaceholder')}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password
              prefix={<LockOutlined />}
              size="large"
              autoComplete="current-password"
              placeholder={t('login.passwordPlaceholder')}
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <SsoButtons returnTo={returnTo} />
        <div style={{ marginTop: 12, display: 'flex', justifyContent: 'space-between' }}>
          <Link to="/forgot-password" data-testid="login-forgot-link">
            {t('lifecycle.forgotLink')}
          </Link>
          <Link to="/signup" data-testid="login-signup-link">
            {t('lifecycle.signUpLink')}
          </Link>
        </div>
        <div style={{ marginTop: 8, textAlign: 'center' }}>
          <Link to="/activate" data-testid="login-activate-link">
            <KeyOutlined /> {t('invitations.activate.loginLink')}
          </Link>
        </div>
        <div style={{ marginTop: 20, textAlign: 'center' }}>
          <Link to="/standards" data-testid="login-standards-link">
            <ReadOutlined /> {t('standards.loginLink')}
          </Link>
          <br />
          <Link to="/transfer-check" data-testid="login-transfer-check-link">
            <InteractionOutlined /> {t('recognition.loginLink')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
