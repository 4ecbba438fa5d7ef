import { App as AntApp, Button, Card, Form, InputNumber, Skeleton } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { CertificationSettings } from '../../api/standards';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fieldName } from '../standards/StandardFormDrawer';

const SETTINGS_KEY = ['settings', 'certification'] as const;

/** The administrators' settings of certification: the committee's quorum and the appeal window. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CertificationSettings>();

  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => api.get('/settings/certification', { signal }),
  });

  const save = useMutation({
    mutationFn: (values: CertificationSettings) => api.put('/settings/certification', { body: values }),
    onSuccess: (saved) => {
      queryClient.setQueryData(SETTINGS_KEY, saved);
      void message.success(t('settings.saved'));
    },
    onError: (err) => {
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      if (errors.length) form.setFields(errors.map((e) => ({ name: fieldName(e.path) as never, errors: [e.message] })));
    },
  });

  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      <Card title={t('settings.certification.title')} style={{ maxWidth: 640 }} data-testid="settings-certification">
        {settings.isError && <ErrorAlert error={settings.error} style={{ marginBottom: 16 }} />}
        {save.isError && <ErrorAlert error={save.error} title={t('settings.saveFailed')} style={{ marginBottom: 16 }} />}
        {settings.isPending ? (
          <Skeleton active />
        ) : (
          <Form<CertificationSettings> form={form} initialValues={settings.data} layout="vertical" onFinish={(v) => save.mutate(v)} disabled={settings.isError}>
            <Form.Item
              name="committeeQuorum"
              label={t('settings.certification.quorum')}
              extra={t('settings.certification.quorumHelp')}
              rules={[{ required: true, type: 'integer', min: 1, max: 15, message: t('settings.certification.quorumInvalid') }]}
            >
              <InputNumber
                min={1}
                max={15}
                precision={0}
                style={{ width: 160 }}
                addonAfter={t('settings.certification.members')}
                data-testid="settings-quorum"
              />
            </Form.Item>
            <Form.Item
              name="appealWindowDays"
              label={t('settings.certification.appealWindow')}
              extra={t('settings.certification.appealWindowHelp')}
              rules={[{ required: true, type: 'integer', min: 1, max: 365, message: t('settings.certification.appealWindowInvalid') }]}
            >
              <InputNumber
                min={1}
                max={365}
                precision={0}
                style={{ width: 160 }}
                addonAfter={t('settings.certification.days')}
                data-testid="settings-appeal-window"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="settings-save">
              {t('settings.save')}
            </Button>
          </Form>
        )}
      </Card>
    </>
  );
}
