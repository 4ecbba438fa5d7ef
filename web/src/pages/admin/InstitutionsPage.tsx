import { useCallback, useMemo, useState } from 'react';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CreditSystem, Institution } from '../../api/types';
import { holds, may, usePermissions } from '../../api/permissions';
import { useCurrentUser } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { showFieldErrors } from '../certification/common';

const COUNTRIES = ['CN', 'HK', 'MO', 'TW', 'KR', 'DE', 'NL', 'FR', 'GB', 'US'];
const FIELDS = ['code', 'nameZh', 'nameEn', 'kind', 'country', 'website'];

interface InstitutionForm {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: Institution['kind'];
  country: string;
  website?: string | null;
  exemptionEarnsCredit: boolean;
  unit: 'credit' | 'ects';
  hoursPerCredit: number;
  hourType: 'contact' | 'workload';
  effectiveFrom: Dayjs;
}

const KIND_COLORS: Record<Institution['kind'], string> = {
  university: 'blue',
  vocational_college: 'green',
  open_university: 'purple',
  training_provider: 'gold',
  enterprise: 'orange',
  certification_body: 'cyan',
};

/** Every institution in the bank, with its credit system and grading scales. */
export function InstitutionsPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  // what the policy table lets this user do: admit (administrators), edit (an institution's registrars, administrators)
  const permissions = usePermissions(me.id).data;
  const readOnly = !holds(permissions, 'institution.update');
  const isAdmin = holds(permissions, 'institution.create');
  const [editing, setEditing] = useState<Institution | 'new' | null>(null);
  const [form] = Form.useForm<InstitutionForm>();

  const institutions = useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api.get('/institutions', { signal }),
  });
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  // the exemption rule and the rest: administrators, and each institution's registrars for their own
  const canEdit = useCallback((i: Institution) => may(permissions, 'institution.update', { institutionId: i.id }), [permissions]);
  const setExemption = useMutation({
    mutationFn: ({ id, exemptionEarnsCredit }: { id: string; exemptionEarnsCredit: boolean }) =>
      api.patch('/institutions/{id}', { params: { id }, body: { exemptionEarnsCredit } }),
    onSuccess: (i) => {
      void queryClient.invalidateQueries({ queryKey: ['institutions'] });
      void message.success(t(i.exemptionEarnsCredit ? 'institutions.exemption.savedOn' : 'institutions.exemption.savedOff', { code: i.code }));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });
  const save = useMutation({
    mutationFn: (v: InstitutionForm) => {
      const details = {
        nameZh: v.nameZh.trim(),
        nameEn: v.nameEn.trim(),
        kind: v.kind,
        country: v.country,
        website: v.website?.trim() || null,
        exemptionEarnsCredit: v.exemptionEarnsCredit,
      };
      return editing && editing !== 'new'
        ? api.patch('/institutions/{id}', { params: { id: editing.id }, body: details })
        : api.post('/institutions', {
            body: {
              ...details,
              code: v.code.trim(),
              creditSystem: {
                unit: v.unit,
                hoursPerCredit: String(v.hoursPerCredit),
                hourType: v.hourType,
                effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
              },
            },
          });
    },
    onSuccess: (i) => {
      void queryClient.invalidateQueries({ queryKey: ['institutions'] });
      void message.success(t(editing === 'new' ? 'adminInstitutions.admitted' : 'adminInstitutions.saved', { name: localName(lang, i.nameZh, i.nameEn) }));
      setEditing(null);
    },
    onError: (err) => showFieldErrors(form, err, FIELDS),
  });
  const { reset: resetSave } = save;
  const open = useCallback(
    (i: Institution | 'new') => {
      resetSave();
      form.resetFields();
      form.setFieldsValue(
        i === 'new'
          ? { country: 'CN', kind: 'university', exemptionEarnsCredit: true, unit: 'credit', hoursPerCredit: 16, hourType: 'contact', effectiveFrom: dayjs() }
          : {
              code: i.code,
              nameZh: i.nameZh,
              nameEn: i.nameEn,
              kind: i.kind,
              country: i.country,
              website: i.website,
              exemptionEarnsCredit: i.exemptionEarnsCredit,
            },
      );
      setEditing(i);
    },
    [form, resetSave],
  );

  const creditSystem = useCallback(
    (cs: CreditSystem | null) =>
      cs
        ? t('institutions.creditSystemValue', {
            hours: formatDecimal(cs.hoursPerCredit),
            hourType: t(`hourType.${cs.hourType}`),
            unit: t(`creditUnit.${cs.unit}`),
          })
        : '—',
    [t],
  );

  const columns: ColumnsType<Institution> = useMemo(
    () => [
      {
        title: t('institutions.code'),
        dataIndex: 'code',
        sorter: (a, b) => a.code.localeCompare(b.code),
        render: (c: string) => <span className="cb-mono">{c}</span>,
      },
      {
        title: t('institutions.name'),
        key: 'name',
        render: (_, i) => (
          <Space direction="vertical" size={0}>
            {i.website ? (
              <Typography.Link href={i.website} target="_blank" rel="noreferrer">
                {localName(lang, i.nameZh, i.nameEn)}
              </Typography.Link>
            ) : (
              <span>{localName(lang, i.nameZh, i.nameEn)}</span>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {lang === 'en' ? i.nameZh : i.nameEn}
            </Typography.Text>
          </Space>
        ),
      },
      {
        title: t('institutions.kind'),
        dataIndex: 'kind',
        filters: (Object.keys(KIND_COLORS) as Institution['kind'][]).map((k) => ({ text: t(`institutionKind.${k}`), value: k })),
        onFilter: (value, i) => i.kind === value,
        render: (k: Institution['kind']) => (
          <Tag color={KIND_COLORS[k] ?? 'default'} bordered={false}>
            {t(`institutionKind.${k}`, { defaultValue: k })}
          </Tag>
        ),
      },
      { title: t('institutions.country'), dataIndex: 'country', render: (c: string) => t(`country.${c}`, { defaultValue: c }) },
      {
        title: t('institutions.creditSystem'),
        dataIndex: 'creditSystem',
        render: (cs: CreditSystem | null) => (
          <Space direction="vertical" size={0}>
            <span>{creditSystem(cs)}</span>
            {cs && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('institutions.effectiveFrom', { date: formatDate(cs.effectiveFrom) })}
              </Typography.Text>
            )}
          </Space>
        ),
      },
      {
        title: t('institutions.gradingScale'),
        key: 'scales',
        render: (_, i) =>
          i.gradingScales.length === 0 ? (
            '—'
          ) : (
            <Space direction="vertical" size={0}>
              {i.gradingScales.map((s) => (
                <span key={s.id}>{localName(lang, s.nameZh, s.nameEn)}</span>
              ))}
            </Space>
          ),
      },
      {
        title: (
          <Tooltip title={t('institutions.exemption.help')}>
            <span>{t('institutions.exemption.title')}</span>
          </Tooltip>
        ),
        dataIndex: 'exemptionEarnsCredit',
        render: (on: boolean, i) => (
          <Space size={6}>
            <Switch
              size="small"
              checked={on}
              disabled={!canEdit(i)}
              loading={setExemption.isPending && setExemption.variables?.id === i.id}
              onChange={(checked) => setExemption.mutate({ id: i.id, exemptionEarnsCredit: checked })}
              aria-label={t('institutions.exemption.title')}
              data-testid={`exemption-${i.code}`}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(on ? 'institutions.exemption.on' : 'institutions.exemption.off')}
            </Typography.Text>
          </Space>
        ),
      },
      {
        key: 'edit',
        fixed: 'right',
        render: (_, i) =>
          canEdit(i) ? (
            <Button size="small" icon={<EditOutlined />} onClick={() => open(i)} data-testid={`institution-edit-${i.code}`}>
              {t('adminInstitutions.edit')}
            </Button>
          ) : null,
      },
    ],
    [t, lang, creditSystem, canEdit, setExemption, open],
  );

  return (
    <>
      <PageHeader
        title={t('nav.institutions')}
        subtitle={t('institutions.subtitle')}
        extra={
          isAdmin ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="institution-admit">
              {t('adminInstitutions.admit')}
            </Button>
          ) : readOnly ? (
            <Tag>{t('common.readOnly')}</Tag>
          ) : undefined
        }
      />
      <Card>
        {institutions.isError && <ErrorAlert error={institutions.error} style={{ marginBottom: 16 }} />}
        <Table<Institution>
          data-testid="institutions-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={institutions.data?.items ?? []}
          loading={institutions.isPending}
          pagination={{ defaultPageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 960 }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={isAdmin ? t('adminInstitutions.emptyAdmin') : t('institutions.empty')} />,
          }}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={
          editing === 'new'
            ? t('adminInstitutions.admit')
            : t('adminInstitutions.editTitle', { name: editing ? localName(lang, editing.nameZh, editing.nameEn) : '' })
        }
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={editing === 'new' ? t('adminInstitutions.admitOk') : t('adminInstitutions.save')}
        confirmLoading={save.isPending}
        width={680}
        forceRender
      >
        {save.error && <ErrorAlert error={save.error} style={{ marginBottom: 12 }} />}
        <Form<InstitutionForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)} data-testid="institution-form">
          <Form.Item
            name="code"
            label={t('institutions.code')}
            extra={editing === 'new' ? t('adminInstitutions.codeHelp') : t('adminInstitutions.codeFixed')}
            rules={[
              { required: true, message: t('adminInstitutions.codeRequired') },
              { pattern: /^[A-Z][A-Z0-9-]{1,19}$/, message: t('adminInstitutions.codeRule') },
            ]}
            normalize={(v: string) => v?.toUpperCase()}
          >
            <Input disabled={editing !== 'new'} maxLength={20} placeholder="HXU" style={{ maxWidth: 240 }} />
          </Form.Item>
          <Form.Item
            name="nameZh"
            label={t('adminInstitutions.nameZh')}
            rules={[{ required: true, whitespace: true, message: t('adminInstitutions.nameZhRequired') }]}
          >
            <Input maxLength={200} placeholder="华夏大学" />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('adminInstitutions.nameEn')}
            rules={[{ required: true, whitespace: true, message: t('adminInstitutions.nameEnRequired') }]}
          >
            <Input maxLength={200} placeholder="Huaxia University" />
          </Form.Item>
          <Space wrap size="middle">
            <Form.Item name="kind" label={t('institutions.kind')} rules={[{ required: true, message: t('adminInstitutions.kindRequired') }]}>
              <Select
                style={{ width: 220 }}
                data-testid="institution-kind"
                options={(Object.keys(KIND_COLORS) as Institution['kind'][]).map((k) => ({ value: k, label: t(`institutionKind.${k}`) }))}
              />
            </Form.Item>
            <Form.Item name="country" label={t('institutions.country')} rules={[{ required: true, message: t('adminInstitutions.countryRequired') }]}>
              <Select
                style={{ width: 220 }}
                showSearch
                optionFilterProp="label"
                options={COUNTRIES.map((c) => ({ value: c, label: `${t(`country.${c}`, { defaultValue: c })} (${c})` }))}
              />
            </Form.Item>
          </Space>
          <Form.Item name="website" label={t('adminInstitutions.website')} rules={[{ type: 'url', message: t('adminInstitutions.websiteRule') }]}>
            <Input placeholder="https://www.example.edu.cn" />
          </Form.Item>
          <Form.Item name="exemptionEarnsCredit" label={t('institutions.exemption.title')} valuePropName="checked" extra={t('institutions.exemption.help')}>
            <Switch />
          </Form.Item>
          {editing === 'new' ? (
            <>
              <Divider orientation="left" plain>
                {t('institutions.creditSystem')}
              </Divider>
              <Space wrap size="middle">
                <Form.Item name="unit" label={t('adminInstitutions.unit')} rules={[{ required: true }]}>
                  <Select style={{ width: 140 }} options={(['credit', 'ects'] as const).map((u) => ({ value: u, label: t(`creditUnit.${u}`) }))} />
                </Form.Item>
                <Form.Item
                  name="hoursPerCredit"
                  label={t('adminInstitutions.hoursPerCredit')}
                  rules={[{ required: true, message: t('adminInstitutions.hoursRequired') }]}
                >
                  <InputNumber min={0.01} max={1000} step={1} precision={2} style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name="hourType" label={t('adminInstitutions.hourType')} rules={[{ required: true }]}>
                  <Select style={{ width: 140 }} options={(['contact', 'workload'] as const).map((h) => ({ value: h, label: t(`hourType.${h}`) }))} />
                </Form.Item>
                <Form.Item
                  name="effectiveFrom"
                  label={t('adminInstitutions.effectiveFrom')}
                  rules={[{ required: true, message: t('adminInstitutions.effectiveFromRequired') }]}
                >
                  <DatePicker allowClear={false} />
                </Form.Item>
              </Space>
            </>
          ) : (
            <Typography.Paragraph type="secondary">{t('adminInstitutions.creditSystemLater')}</Typography.Paragraph>
          )}
        </Form>
      </Modal>
    </>
  );
}
