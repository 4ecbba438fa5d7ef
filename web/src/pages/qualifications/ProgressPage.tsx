// Degree progress (学业进度): the learner's audit against their programme, and "what if" against
// others. The programme and the what-if programmes live in the address (?programme=…&whatif=a,b)
// so that the planner's "back" returns to the same view.
import { useMemo } from 'react';
import { Button, Card, Empty, Form, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CheckCircleFilled, ExclamationCircleFilled, ScheduleOutlined } from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { AuditView } from '../../api/qualifications';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { AuditPanel, AuditStatusTag, auditUnit } from './AuditPanel';
import { programmeLabel, ProgrammeName, useMyAudits, useProgrammes } from './common';
import { GraduationCards } from './GraduationCards';

const planPath = (programmeId: string, back: string) => `/progress/plan?${new URLSearchParams({ programme: programmeId, back }).toString()}`;

/** Programmes side by side: credits, status, and how many items count in more than one. */
function Comparison({ audits, countedTwice }: { audits: AuditView[]; countedTwice: string[] }) {
  const { t } = useTranslation();
  const twice = new Set(countedTwice);
  return (
    <Card title={t('qualification.whatIf.compare')} data-testid="whatif-compare">
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('qualification.whatIf.compareHelp')}
      </Typography.Paragraph>
      <Table<AuditView>
        size="small"
        rowKey={(a) => a.programme.id}
        pagination={false}
        dataSource={audits}
        onRow={(a) => ({ 'data-testid': 'whatif-row', 'data-programme': a.programme.code }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('qualification.programme'), key: 'programme', render: (_, a) => <ProgrammeName p={a.programme} /> },
          {
            title: t('qualification.audit.total'),
            key: 'total',
            align: 'right',
            render: (_, a) => (
              <span className="cb-num cb-nowrap">
                {formatDecimal(a.total.credits)} / {formatDecimal(a.total.required)} {t(`unitLabel.${auditUnit(a)}`)}
              </span>
            ),
          },
          {
            title: t('qualification.whatIf.requirementsMet'),
            key: 'met',
            align: 'right',
            render: (_, a) => (
              <span className="cb-num">
                {a.nodes.filter((n) => n.satisfied || n.waived).length} / {a.nodes.length}
              </span>
            ),
          },
          {
            title: t('qualification.whatIf.shared'),
            key: 'shared',
            align: 'right',
            render: (_, a) => <span className="cb-num">{a.counted.filter((id) => twice.has(id)).length}</span>,
          },
          { title: t('qualification.audit.status'), key: 'status', width: 130, render: (_, a) => <AuditStatusTag audit={a} /> },
        ]}
      />
    </Card>
  );
}

export function ProgressPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const programmes = useProgrammes();
  const mine = useMyAudits([]);
  const enrolled = useMemo(() => mine.data?.audits.map((a) => a.programme) ?? [], [mine.data]);

  const main = params.get('programme') ?? enrolled[0]?.id ?? null;
  const whatIf = (params.get('whatif') ?? '').split(',').filter((id) => id && id !== main);
  const selection = main ? [main, ...whatIf] : [];
  // The default view is the first audit of the default call; anything else asks for exactly the selection.
  const isDefault = !params.get('programme') && whatIf.length === 0;
  const chosen = useMyAudits(isDefault ? [] : selection);
  const data = isDefault ? mine.data : chosen.data;
  const query = isDefault ? mine : chosen;
  const audits = useMemo(() => {
    const all = data?.audits ?? [];
    return isDefault ? all.slice(0, 1) : selection.map((id) => all.find((a) => a.programme.id === id)).filter((a): a is AuditView => Boolean(a));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the selection is derived from the address
  }, [data, isDefault, params]);
  const countedTwice = audits.length > 1 ? (data?.countedTwice ?? []) : [];

  const update = (next: { programme?: string | null; whatif?: string[] }) => {
    const p = new URLSearchParams(params);
    if (next.programme !== undefined) {
      if (next.programme) p.set('programme', next.programme);
      else p.delete('programme');
    }
    const w = (next.whatif ?? whatIf).filter((id) => id !== (next.programme ?? main));
    if (w.length > 0) p.set('whatif', w.join(','));
    else p.delete('whatif');
    setParams(p, { replace: true });
  };

  const enrolledIds = new Set(enrolled.map((p) => p.id));
  const allProgrammes = programmes.data?.items ?? [];
  const options = [...allProgrammes].sort((a, b) => Number(enrolledIds.has(b.id)) - Number(enrolledIds.has(a.id)) || a.code.localeCompare(b.code));
  const programmeOption = (p: (typeof allProgrammes)[number]) => ({
    value: p.id,
    label: programmeLabel(lang, p),
    title: `${programmeLabel(lang, p)} · ${localName(lang, p.institution.nameZh, p.institution.nameEn)}`,
  });
  const back = `/progress${params.toString() ? `?${params.toString()}` : ''}`;

  const loading = (mine.isPending && !mine.isError) || (query.isPending && !query.isError && Boolean(main));

  return (
    <>
      <PageHeader
        title={t('qualification.nav.progress')}
        subtitle={t('qualification.progress.subtitle')}
        extra={
          main ? (
            <Button icon={<ScheduleOutlined />} onClick={() => navigate(planPath(main, back))} data-testid="progress-plan">
              {t('qualification.progress.toPlanner')}
            </Button>
          ) : undefined
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card>
          <Form layout="vertical" style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
            <Form.Item
              label={t('qualification.progress.programme')}
              style={{ marginBottom: 0, minWidth: 'min(320px, 100%)', flex: '1 1 320px' }}
              extra={t('qualification.progress.programmeHelp')}
            >
              <Select
                aria-label={t('qualification.progress.programme')}
                data-testid="progress-programme"
                value={main ?? undefined}
                placeholder={t('qualification.progress.programmePlaceholder')}
                loading={programmes.isPending}
                showSearch
                optionFilterProp="title"
                onChange={(id: string) => update({ programme: id })}
                options={options.map((p) => ({
                  ...programmeOption(p),
                  label: (
                    <Space size={6}>
                      {programmeLabel(lang, p)}
                      {enrolledIds.has(p.id) && (
                        <Tag bordered={false} color="blue" style={{ marginInlineEnd: 0 }}>
                          {t('qualification.progress.enrolled')}
                        </Tag>
                      )}
                    </Space>
                  ),
                }))}
              />
            </Form.Item>
            <Form.Item
              label={t('qualification.whatIf.label')}
              style={{ marginBottom: 0, minWidth: 'min(320px, 100%)', flex: '2 1 420px' }}
              extra={t('qualification.whatIf.help')}
            >
              <Select
                aria-label={t('qualification.whatIf.label')}
                mode="multiple"
                data-testid="progress-whatif"
                value={whatIf}
                placeholder={t('qualification.whatIf.placeholder')}
                loading={programmes.isPending}
                optionFilterProp="title"
                allowClear
                // the server audits at most five programmes at once: this one and four others
                maxCount={4}
                onChange={(ids: string[]) => update({ whatif: ids })}
                options={options.filter((p) => p.id !== main).map(programmeOption)}
              />
            </Form.Item>
          </Form>
        </Card>

        {mine.isError && <ErrorAlert error={mine.error} />}
        {!isDefault && chosen.isError && <ErrorAlert error={chosen.error} />}
        {loading && (
          <Card>
            <Skeleton active paragraph={{ rows: 8 }} />
          </Card>
        )}
        {!loading && !main && !mine.isError && (
          <Card>
            <Empty description={t('qualification.progress.noProgramme')} />
          </Card>
        )}

        {!loading && audits.length > 1 && <Comparison audits={audits} countedTwice={countedTwice} />}
        {!loading && audits.length === 1 && <ProgrammeAudit audit={audits[0]!} countedTwice={countedTwice} back={back} />}
        {!loading && audits.length > 1 && (
          <Tabs
            type="card"
            data-testid="progress-tabs"
            items={audits.map((a) => ({
              key: a.programme.id,
              label: (
                <span data-testid={`progress-tab-${a.programme.code}`}>
                  {a.complete ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ExclamationCircleFilled style={{ color: '#faad14' }} />}{' '}
                  {programmeLabel(lang, a.programme)}
                </span>
              ),
              children: <ProgrammeAudit audit={a} countedTwice={countedTwice} back={back} />,
            }))}
          />
        )}
      </Space>
    </>
  );
}

function ProgrammeAudit({ audit, countedTwice, back }: { audit: AuditView; countedTwice: string[]; back: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <AuditPanel
      audit={audit}
      countedTwice={countedTwice}
      title={
        <Space size={12} wrap style={{ paddingBlock: 8 }}>
          <ProgrammeName p={audit.programme} />
          {!audit.complete && (
            <Button size="small" icon={<ScheduleOutlined />} onClick={() => navigate(planPath(audit.programme.id, back))} data-testid="progress-plan-link">
              {t('qualification.progress.planThis')}
            </Button>
          )}
        </Space>
      }
      actions={<GraduationCards audit={audit} />}
    />
  );
}
