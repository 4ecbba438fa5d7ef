import { useEffect } from 'react';
import { Alert, App as AntApp, Button, Card, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, apiUrl } from '../../api/client';
import { formatDateTime, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

/** The institutions' sign-ins linked to this account (the password stays), and buttons to link more. */
export function LinkedSignInsCard() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const linked = useQuery({ queryKey: ['sso-identities'], queryFn: ({ signal }) => api.get('/auth/sso/identities', { signal }) });
  const providers = useQuery({ queryKey: ['sso-providers'], queryFn: ({ signal }) => api.get('/auth/sso/providers', { signal }), staleTime: 60_000 });
  const unlink = useMutation({
    mutationFn: (providerId: string) => api.delete('/auth/sso/identities/{id}', { params: { id: providerId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['sso-identities'] }),
  });
  const justLinked = new URLSearchParams(location.search).get('sso_linked');
  useEffect(() => {
    if (!justLinked) return;
    void message.success(t('sso.account.linkedNow'));
    navigate(location.pathname, { replace: true });
  }, [justLinked, location.pathname, message, navigate, t]);

  const refused = new URLSearchParams(location.search).get('sso_error');
  const items = linked.data?.items ?? [];
  const linkable = (providers.data?.items ?? []).filter((p) => !items.some((i) => i.slug === p.slug));
  if (!items.length && !linkable.length) return null;
  return (
    <Card title={t('sso.linked')} data-testid="linked-sign-ins">
      {refused && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('sso.account.linkFailed')}
          description={t(`sso.error.${refused}`, { defaultValue: t('sso.error.other') })}
          data-testid="sso-link-error"
        />
      )}
      <List
        dataSource={items}
        locale={{ emptyText: t('sso.account.none') }}
        renderItem={(i) => (
          <List.Item
            actions={[
              <Popconfirm key="unlink" title={t('sso.account.unlinkConfirm')} onConfirm={() => unlink.mutate(i.providerId)}>
                <Button size="small" danger>
                  {t('sso.account.unlink')}
                </Button>
              </Popconfirm>,
            ]}
          >
            <Space>
              <Tag>{t(`sso.kind.${i.kind}`)}</Tag>
              <Typography.Text strong>{localName(lang, i.nameZh, i.nameEn)}</Typography.Text>
              <Typography.Text type="secondary">{i.subject}</Typography.Text>
              {i.lastLoginAt && <Typography.Text type="secondary">{t('sso.account.lastUsed', { at: formatDateTime(i.lastLoginAt) })}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
      {linkable.length > 0 && (
        <Space wrap style={{ marginTop: 12 }}>
          {linkable.map((p) => (
            <Button
              key={p.slug}
              icon={<LinkOutlined />}
              href={apiUrl(`/auth/sso/${encodeURIComponent(p.slug)}/login`, { link: '1', returnTo: location.pathname })}
              data-testid={`sso-link-${p.slug}`}
            >
              {t('sso.account.link', { name: localName(lang, p.nameZh, p.nameEn) })}
            </Button>
          ))}
        </Space>
      )}
    </Card>
  );
}
