import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowRightOutlined, BranchesOutlined, LockOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Equivalence } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { iscedText, useInstitutions } from '../standards/present';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { CourseName, ReasonModal, institutionLabel } from './common';
import { EquivalenceFormDrawer, type EquivalenceFormMode } from './EquivalenceFormDrawer';

type Status = 'active' | 'retired' | 'all';

/** The equivalences (课程对应) the institution grants to other institutions' courses. */
export function EquivalencesPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const institutions = useInstitutions();
  const [status, setStatus] = useState<Status>('active');
  const [sourceId, setSourceId] = useState<string | undefined>();
  const [form, setForm] = useState<EquivalenceFormMode | null>(null);
  const [retiring, setRetiring] = useState<Equivalence | null>(null);

  const list = useQuery({
    queryKey: ['equivalences', institutionId, status, sourceId],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/equivalences', { query: { targetInstitutionId: institutionId, sourceInstitutionId: sourceId, status }, signal }),
  });
  const rows = list.data?.items ?? [];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['equivalences'] });

  const columns: ColumnsType<Equivalence> = [
    {
      title: t('recognition.equivalence.col.from'),
      key: 'from',
      width: 200,
      render: (_, e) => (
        <Space direction="vertical" size={2}>
          <Tooltip title={institutionLabel(lang, e.sourceInstitution)}>
            <Tag bordered={false} style={{ marginInlineEnd: 0 }}>
              {e.sourceInstitution.code}
            </Tag>
          </Tooltip>
          {e.sourceCourses.map((c) => (
            <CourseName key={c.id} c={c} />
          ))}
          {e.sourceCourses.length > 1 && (
            <Tag bordered={false} color="purple" style={{ marginInlineEnd: 0 }}>
              {t('recognition.equivalence.together', { count: e.sourceCourses.length })}
            </Tag>
          )}
        </Space>
      ),
    },
    { key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: '#8c8c8c' }} /> },
    {
      title: t('recognition.equivalence.col.to'),
      key: 'to',
      width: 190,
      render: (_, e) =>
        e.target.kind === 'courses' ? (
          <Space direction="vertical" size={2}>
            {e.target.courses.map((c) => (
              <CourseName key={c.id} c={c} />
            ))}
          </Space>
        ) : (
          <Space direction="vertical" size={0}>
            <span>
              <Tag color="blue" bordered={false} style={{ marginInlineEnd: 4 }}>
                {t('recognition.elective')}
              </Tag>
              {e.target.category}
            </span>
            {e.target.iscedCode && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {iscedText(t, e.target.iscedCode)}
              </Typography.Text>
            )}
          </Space>
        ),
    },
    {
      title: t('recognition.equivalence.col.conditions'),
      key: 'conditions',
      width: 130,
      render: (_, e) => {
        const lines = [
          e.minGrade ? t('recognition.equivalence.minGrade', { grade: e.minGrade }) : null,
          e.maxYears ? t('recognition.equivalence.maxYears', { count: e.maxYears }) : null,
        ].filter(Boolean);
        return lines.length ? (
          <Space direction="vertical" size={0}>
            {lines.map((l) => (
              <span key={l}>{l}</span>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('recognition.equivalence.anyPass')}</Typography.Text>
        );
      },
    },
    {
      title: t('recognition.equivalence.col.effective'),
      key: 'effective',
      width: 120,
      render: (_, e) => (
        <span className="cb-num">
          {e.effectiveTo
            ? t('recognition.equivalence.effectiveRange', { from: formatDate(e.effectiveFrom), to: formatDate(e.effectiveTo) })
            : t('recognition.equivalence.effectiveSince', { from: formatDate(e.effectiveFrom) })}
        </span>
      ),
    },
    {
      title: t('recognition.equivalence.col.notes'),
      key: 'notes',
      width: 160,
      render: (_, e) =>
        e.publicNote || e.privateNote ? (
          <Space direction="vertical" size={2}>
            {e.publicNote && <span>{e.publicNote}</span>}
            {e.privateNote && (
              <Tooltip title={t('recognition.equivalence.privateNoteHelp')}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <LockOutlined /> {e.privateNote}
                </Typography.Text>
              </Tooltip>
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('recognition.equivalence.col.version'),
      key: 'version',
      width: 80,
      render: (_, e) => (
        <Space direction="vertical" size={2}>
          <span className="cb-num">v{e.version}</span>
          <Tag color={e.status === 'active' ? 'success' : 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
            {t(`recognition.equivalence.status.${e.status}`)}
          </Tag>
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_, e) =>
        e.status === 'active' ? (
          <Space direction="vertical" size={4}>
            <Button size="small" icon={<BranchesOutlined />} onClick={() => setForm({ kind: 'version', source: e })} data-testid="eq-new-version">
              {t('recognition.equivalence.newVersion')}
            </Button>
            <Button size="small" danger icon={<StopOutlined />} onClick={() => setRetiring(e)} data-testid="eq-retire">
              {t('recognition.equivalence.retire')}
            </Button>
          </Space>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader
        title={t('recognition.equivalence.title')}
        subtitle={t('recognition.equivalence.subtitle', { institution: grant ? localName(lang, grant.institutionNameZh, grant.institutionNameEn) : '' })}
        extra={
          <Space>
            {picker}
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setForm({ kind: 'create' })} data-testid="eq-create">
              {t('recognition.equivalence.create')}
            </Button>
          </Space>
        }
      />
      <Card>
        <Space style={{ marginBottom: 16 }} wrap>
          <Segmented<Status>
            value={status}
            onChange={setStatus}
            options={(['active', 'retired', 'all'] as const).map((s) => ({ value: s, label: t(`recognition.equivalence.filter.${s}`) }))}
            data-testid="eq-status-filter"
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('recognition.equivalence.filterSource')}
            placeholder={t('recognition.equivalence.filterSource')}
            style={{ width: 280 }}
            value={sourceId}
            onChange={(v?: string) => setSourceId(v)}
            options={(institutions.data?.items ?? []).filter((i) => i.id !== institutionId).map((i) => ({ value: i.id, label: institutionLabel(lang, i) }))}
            data-testid="eq-source-filter"
          />
          <Typography.Text type="secondary">
            {t('recognition.equivalence.tasksHint')} <Link to="/institution/evaluations">{t('recognition.nav.evaluations')}</Link>
          </Typography.Text>
        </Space>
        {list.isError && <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />}
        <Table<Equivalence>
          data-testid="eq-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          rowClassName={(e) => (e.status === 'retired' ? 'cb-row-muted' : '')}
          onRow={(e) => ({ 'data-source': e.sourceCourses.map((c) => c.code).join(' ') }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recognition.equivalence.empty')} /> }}
        />
      </Card>
      {form && (
        <EquivalenceFormDrawer
          key={form.kind === 'version' ? form.source.id : 'create'}
          institutionId={institutionId}
          mode={form}
          onClose={() => setForm(null)}
          onSaved={(e) => {
            refresh();
            setForm(null);
            void message.success(
              form.kind === 'version' ? t('recognition.equivalence.versionSaved', { version: e.version }) : t('recognition.equivalence.saved'),
            );
          }}
        />
      )}
      <ReasonModal<Equivalence>
        open={retiring !== null}
        title={t('recognition.equivalence.retireTitle')}
        help={t('recognition.equivalence.retireHelp')}
        okText={t('recognition.equivalence.retire')}
        submit={(reason) => api.post('/equivalences/{id}/retire', { params: { id: retiring?.id ?? '' }, body: { reason } })}
        testPrefix="eq-retire"
        onClose={() => setRetiring(null)}
        onDone={() => {
          refresh();
          void message.success(t('recognition.equivalence.retired'));
        }}
      />
    </>
  );
}
