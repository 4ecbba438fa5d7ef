import { Alert, Button, Divider, Space } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, apiUrl, type Res } from '../../api/client';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

export type SsoProviderButton = Res<'/auth/sso/providers'>['items'][number];

const ERRORS = [
  'unknown_provider',
  'bad_state',
  'bad_ticket',
  'bad_token',
  'bad_assertion',
  'not_linked',
  'no_enrolment',
  'no_role',
  'identity_taken',
  'disabled',
];

/** The institutions' sign-in buttons (统一身份认证) under the password form, and why a single sign-on failed. */
export function SsoButtons({ returnTo }: { returnTo: string | null }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const location = useLocation();
  const providers = useQuery({
    queryKey: ['sso-providers'],
    queryFn: ({ signal }) => api.get('/auth/sso/providers', { signal }),
    staleTime: 60_000,
  });
  const error = new URLSearchParams(location.search).get('sso_error');
  const items = providers.data?.items ?? [];
  return (
    <>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 16 }}
          message={t('sso.failed')}
          description={t(`sso.error.${ERRORS.includes(error) ? error : 'other'}`)}
          data-testid="sso-error"
          role="alert"
        />
      )}
      {items.length > 0 && (
        <>
          <Divider plain>{t('sso.or')}</Divider>
          <Space direction="vertical" style={{ width: '100%' }}>
            {items.map((p) => (
              <Button
                key={p.slug}
                block
                size="large"
                icon={<SafetyCertificateOutlined />}
                href={apiUrl(`/auth/sso/${encodeURIComponent(p.slug)}/login`, { returnTo })}
                data-testid={`sso-${p.slug}`}
              >
                {t('sso.signInWith', { name: localName(lang, p.nameZh, p.nameEn) })}
              </Button>
            ))}
          </Space>
        </>
      )}
    </>
  );
}
