// The public activation page (issue 22): a learner enrolled by an institution enters the code of
// their invitation letter or mail, chooses a username and a password, and is signed in on their account.
import { Button, Form, Input, Typography } from 'antd';
import { KeyOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ME_KEY } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { landingPath } from '../../routes';
import { Frame, passwordRules } from './AccountPages';

interface ActivateForm {
  code: string;
  username: string;
  password: string;
  repeat: string;
}

export function ActivatePage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const activate = useMutation({
    mutationFn: (v: ActivateForm) =>
      api.post('/auth/activate', { body: { code: v.code, username: v.username, password: v.password, locale: i18n.language === 'en' ? 'en' : 'zh-CN' } }),
    onSuccess: ({ user }) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, user);
      navigate(landingPath(user, null), { replace: true });
    },
  });
  return (
    <Frame title={t('invitations.activate.title')}>
      <Typography.Paragraph type="secondary">{t('invitations.activate.intro')}</Typography.Paragraph>
      {activate.error && <ErrorAlert error={activate.error} title={t('invitations.activate.failed')} style={{ marginBottom: 16 }} />}
      <Form<ActivateForm>
        layout="vertical"
        requiredMark={false}
        initialValues={{ code: params.get('code') ?? '' }}
        onFinish={(v) => activate.mutate(v)}
        disabled={activate.isPending}
      >
        <Form.Item
          label={t('invitations.activate.code')}
          name="code"
          rules={[{ required: true, whitespace: true, message: t('invitations.activate.codeRequired') }]}
          extra={t('invitations.activate.codeHint')}
        >
          <Input
            prefix={<KeyOutlined />}
            size="large"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="ABCD-EFGH-JKMN"
            className="cb-mono"
            data-testid="activate-code"
          />
        </Form.Item>
        <Form.Item
          label={t('invitations.activate.username')}
          name="username"
          rules={[
            { required: true, whitespace: true, message: t('login.usernameRequired') },
            { pattern: /^[A-Za-z0-9._@-]{3,60}$/, message: t('invitations.activate.usernameRule') },
          ]}
          extra={t('invitations.activate.usernameRule')}
        >
          <Input prefix={<UserOutlined />} size="large" autoComplete="username" data-testid="activate-username" />
        </Form.Item>
        <Form.Item label={t('lifecycle.newPassword')} name="password" rules={passwordRules(t)} extra={t('lifecycle.passwordHint')}>
          <Input.Password prefix={<LockOutlined />} size="large" autoComplete="new-password" data-testid="activate-password" />
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
          <Input.Password prefix={<LockOutlined />} size="large" autoComplete="new-password" data-testid="activate-repeat" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={activate.isPending} data-testid="activate-submit">
          {t('invitations.activate.submit')}
        </Button>
      </Form>
    </Frame>
  );
}
