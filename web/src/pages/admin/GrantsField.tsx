// A user's roles inside a form: one line per role; registrar and reviewer name the institution where
// they are held (the server refuses them without one, and the other roles with one).
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

export type GrantRole = 'learner' | 'registrar' | 'reviewer' | 'committee' | 'admin';
export interface GrantValue {
  role?: GrantRole;
  institutionId?: string | null;
}

export const scopedRole = (role: GrantRole | undefined) => role === 'registrar' || role === 'reviewer';

/** What the API takes: institution only for registrar and reviewer. */
export function grantsBody<R extends GrantRole>(grants: GrantValue[] | undefined, roles: readonly R[]) {
  return (grants ?? [])
    .filter((g): g is { role: R; institutionId?: string | null } => !!g.role && (roles as readonly GrantRole[]).includes(g.role))
    .map((g) => ({ role: g.role, institutionId: scopedRole(g.role) ? (g.institutionId ?? null) : null }));
}

export function GrantsField({
  name,
  roles,
  institutions,
}: {
  name: string;
  roles: readonly GrantRole[];
  institutions: { id: string; code: string; nameZh: string; nameEn: string | null }[];
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const form = Form.useFormInstance();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }} size={0}>
          {fields.length === 0 && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('adminUsers.noRoles')}
            </Typography.Paragraph>
          )}
          {fields.map((field, index) => (
            <Space key={field.key} align="start" wrap style={{ width: '100%' }} data-testid={`grant-${index}`}>
              <Form.Item name={[field.name, 'role']} rules={[{ required: true, message: t('adminUsers.roleRequired') }]} style={{ marginBottom: 8 }}>
                <Select
                  style={{ width: 160 }}
                  placeholder={t('adminUsers.role')}
                  aria-label={t('adminUsers.role')}
                  data-testid={`grant-role-${index}`}
                  options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  onChange={(role: GrantRole) => {
                    if (!scopedRole(role)) form.setFieldValue([name, field.name, 'institutionId'], null);
                  }}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() =>
                  scopedRole(form.getFieldValue([name, field.name, 'role']) as GrantRole | undefined) ? (
                    <Form.Item
                      name={[field.name, 'institutionId']}
                      rules={[{ required: true, message: t('adminUsers.institutionRequired') }]}
                      style={{ marginBottom: 8 }}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        style={{ width: 260, maxWidth: '100%' }}
                        placeholder={t('adminUsers.institution')}
                        aria-label={t('adminUsers.institution')}
                        data-testid={`grant-institution-${index}`}
                        options={institutions.map((i) => ({ value: i.id, label: `${localName(lang, i.nameZh, i.nameEn)} (${i.code})` }))}
                      />
                    </Form.Item>
                  ) : null
                }
              </Form.Item>
              <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)} aria-label={t('adminUsers.removeRole')} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ role: undefined, institutionId: null })} data-testid="grant-add">
            {t('adminUsers.addRole')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
