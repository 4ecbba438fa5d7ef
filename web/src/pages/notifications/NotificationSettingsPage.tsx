import { Alert, App as AntApp, Card, Radio, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Body, type Res } from '../../api/client';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { hasRole, useCurrentUser } from '../../auth';

type Preferences = Res<'/me/notification-preferences'>;
type Channel = Preferences['kinds'][number]['channel'];
const CHANNELS: Channel[] = ['inbox', 'email', 'digest', 'off'];

/** Per kind of notification: in-app only, in-app and e-mail, in-app and a daily digest, or off; and the language of messages. */
export function NotificationSettingsPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const { message } = AntApp.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const prefs = useQuery({ queryKey: ['notifications', 'preferences'], queryFn: ({ signal }) => api.get('/me/notification-preferences', { signal }) });
  const save = useMutation({
    mutationFn: (body: Body<'/me/notification-preferences', 'put'>) => api.put('/me/notification-preferences', { body }),
    onSuccess: (p) => {
      queryClient.setQueryData(['notifications', 'preferences'], p);
      void message.success(t('notifications.settings.saved'));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });
  const staff = hasRole(me, 'registrar', 'reviewer', 'committee', 'admin');
  const learner = hasRole(me, 'learner');
  const kinds = (prefs.data?.kinds ?? []).filter((k) => k.audience === 'any' || (k.audience === 'staff' ? staff : learner));

  return (
    <>
      <PageHeader title={t('notifications.settings.title')} subtitle={t('notifications.settings.subtitle')} />
      {prefs.error && <ErrorAlert error={prefs.error} />}
      <Card style={{ marginBottom: 16 }}>
        <Space direction="vertical">
          {prefs.data && !prefs.data.email && <Alert type="info" showIcon message={t('notifications.settings.noEmail')} />}
          {prefs.data?.email && (
            <Typography.Text>
              {t('notifications.settings.emailTo')} <Typography.Text code>{prefs.data.email}</Typography.Text>
            </Typography.Text>
          )}
          <Space>
            <Typography.Text>{t('notifications.settings.language')}</Typography.Text>
            <Select
              value={prefs.data?.language}
              style={{ width: 140 }}
              data-testid="notification-language"
              onChange={(language) => save.mutate({ language })}
              options={[
                { value: 'zh-CN', label: '简体中文' },
                { value: 'en', label: 'English' },
              ]}
            />
          </Space>
        </Space>
      </Card>
      <Card>
        <Table
          rowKey="kind"
          loading={prefs.isLoading}
          pagination={false}
          dataSource={kinds}
          columns={[
            { title: t('notifications.settings.kind'), dataIndex: 'kind', render: (k: string) => t(`notifications.kinds.${k}`, { defaultValue: k }) },
            {
              title: t('notifications.settings.channel'),
              dataIndex: 'channel',
              render: (channel: Channel, row: Preferences['kinds'][number]) => (
                <Radio.Group
                  value={channel}
                  data-testid={`channel-${row.kind}`}
                  onChange={(e) => save.mutate({ kinds: [{ kind: row.kind, channel: e.target.value as Channel }] })}
                  options={CHANNELS.map((c) => ({ value: c, label: t(`notifications.channels.${c}`) }))}
                  optionType="button"
                />
              ),
            },
          ]}
        />
      </Card>
    </>
  );
}
