import { useCallback, useMemo } from 'react';
import { App as AntApp, Card, Empty, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CreditSystem, Institution } from '../../api/types';
import { hasRole, useCurrentUser } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';

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
  const readOnly = !hasRole(me, 'admin');

  const institutions = useQuery({
    queryKey: ['institutions'],
    queryFn: ({ signal }) => api.get('/institutions', { signal }),
  });
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  // the exemption rule: administrators, and each institution's registrars for their own
  const canEdit = useCallback((i: Institution) => hasRole(me, 'admin') || me.roles.some((r) => r.role === 'registrar' && r.institutionId === i.id), [me]);
  const setExemption = useMutation({
    mutationFn: ({ id, exemptionEarnsCredit }: { id: string; exemptionEarnsCredit: boolean }) =>
      api.patch('/institutions/{id}', { params: { id }, body: { exemptionEarnsCredit } }),
    onSuccess: (i) => {
      void queryClient.invalidateQueries({ queryKey: ['institutions'] });
      void message.success(t(i.exemptionEarnsCredit ? 'institutions.exemption.savedOn' : 'institutions.exemption.savedOff', { code: i.code }));
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

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
    ],
    [t, lang, creditSystem, canEdit, setExemption],
  );

  return (
    <>
      <PageHeader title={t('nav.institutions')} subtitle={t('institutions.subtitle')} extra={readOnly ? <Tag>{t('common.readOnly')}</Tag> : undefined} />
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
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('institutions.empty')} /> }}
        />
      </Card>
    </>
  );
}
