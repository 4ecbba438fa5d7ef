// The planner (学习计划): what is left of a programme, the earliest term it could be complete, and
// for each unmet requirement the courses that would meet it, at home or at a partner institution
// through an equivalence.
import { Alert, Button, Card, Col, Empty, Result, Row, Select, Skeleton, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, ArrowRightOutlined, CheckCircleFilled, HomeOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { PlanOption, PlanRequirement, PlanView } from '../../api/qualifications';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { amountText, missingText, planKey, programmeLabel, ProgrammeName, termText, useMyAudits, useProgrammes } from './common';

function OptionsTable({ req }: { req: PlanRequirement }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const rows = [...req.options].sort((a, b) => (a.via === b.via ? a.course.code.localeCompare(b.course.code) : a.via === 'home' ? -1 : 1));
  return (
    <Table<PlanOption>
      size="small"
      pagination={false}
      rowKey={(o) => `${o.via}:${o.course.id}`}
      dataSource={rows}
      onRow={(o) => ({ 'data-testid': 'plan-option', 'data-via': o.via, 'data-course': o.course.code }) as React.HTMLAttributes<HTMLElement>}
      locale={{
        emptyText: (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="plan-no-options">{t('qualification.plan.noOptions')}</span>}>
            <Link to="/transfer-check">{t('qualification.plan.noOptionsCheck')}</Link>
          </Empty>
        ),
      }}
      columns={[
        {
          title: t('qualification.item.course'),
          key: 'course',
          render: (_, o) => (
            <span>
              <span className="cb-mono">{o.course.code}</span> {localName(lang, o.course.titleZh, o.course.titleEn)}
            </span>
          ),
        },
        {
          title: t('qualification.plan.where'),
          key: 'where',
          render: (_, o) => (
            <Tooltip title={localName(lang, o.course.institution.nameZh, o.course.institution.nameEn)}>
              <span>
                <span className="cb-mono">{o.course.institution.code}</span>{' '}
                <Typography.Text type="secondary">{localName(lang, o.course.institution.nameZh, o.course.institution.nameEn)}</Typography.Text>
              </span>
            </Tooltip>
          ),
        },
        {
          title: t('qualification.plan.how'),
          key: 'via',
          render: (_, o) =>
            o.via === 'home' ? (
              <Tag bordered={false} color="blue" icon={<HomeOutlined />} style={{ marginInlineEnd: 0 }} data-testid="plan-option-via">
                {t('qualification.plan.viaHome')}
              </Tag>
            ) : (
              <Tooltip title={t('qualification.plan.viaPartnerHelp')}>
                <Tag bordered={false} color="success" style={{ marginInlineEnd: 0 }} data-testid="plan-option-via">
                  {t('recognition.verdict.match')} <ArrowRightOutlined />{' '}
                  {o.countsAs ? t('qualification.plan.countsAs', { code: o.countsAs }) : t('qualification.plan.countsHere')}
                </Tag>
              </Tooltip>
            ),
        },
        {
          title: t('qualification.item.credits'),
          key: 'credits',
          align: 'right',
          width: 120,
          render: (_, o) => <span className="cb-num cb-nowrap">{amountText(t, o.course.credits, o.course.unit)}</span>,
        },
      ]}
    />
  );
}

function PlanBody({ plan }: { plan: PlanView }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  if (plan.complete)
    return (
      <Card>
        <Result
          status="success"
          icon={<CheckCircleFilled />}
          title={t('qualification.plan.completeTitle')}
          subTitle={t('qualification.plan.completeHelp')}
          data-testid="plan-complete"
        />
      </Card>
    );
  const caps = [
    plan.perSemester ? t('qualification.plan.perSemester', { credits: formatDecimal(plan.perSemester) }) : null,
    plan.perYear ? t('qualification.plan.perYear', { credits: formatDecimal(plan.perYear) }) : null,
  ].filter(Boolean);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} md={8}>
            <Statistic
              title={t('qualification.plan.remaining')}
              valueRender={() => (
                <span data-testid="plan-remaining">
                  <span className="cb-num">{formatDecimal(plan.remaining)}</span>
                  <span style={{ fontSize: 14, color: 'rgba(0,0,0,0.6)' }}> {t('unitLabel.credit')}</span>
                </span>
              )}
            />
          </Col>
          <Col xs={24} md={8}>
            <Statistic title={t('qualification.plan.earliest')} valueRender={() => <span data-testid="plan-earliest">{termText(t, plan.earliestTerm)}</span>} />
          </Col>
          <Col xs={24} md={8}>
            <Statistic title={t('qualification.plan.unmet')} valueRender={() => <span className="cb-num">{plan.requirements.length}</span>} />
          </Col>
        </Row>
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 16 }}
          message={t('qualification.plan.earliestHelp')}
          description={
            <>
              {caps.length > 0 && <div>{t('qualification.plan.capsHelp', { caps: caps.join(lang === 'en' ? ', ' : '，') })}</div>}
              <div>{t('qualification.plan.restNote')}</div>
              {plan.requirements.length > 0 && <div>{t('qualification.plan.optionsHelp')}</div>}
            </>
          }
        />
      </Card>
      {plan.requirements.map((r) => (
        <Card
          key={r.nodeId}
          data-testid={`plan-requirement-${r.nodeId}`}
          title={localName(lang, r.titleZh, r.titleEn)}
          extra={
            <Typography.Text type="danger" data-testid="plan-requirement-missing">
              {missingText(t, lang, r.missing)}
            </Typography.Text>
          }
        >
          <OptionsTable req={r} />
        </Card>
      ))}
    </Space>
  );
}

export function PlanPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const programmes = useProgrammes();
  const mine = useMyAudits([]);
  const programmeId = params.get('programme') ?? mine.data?.audits[0]?.programme.id ?? null;
  const back = params.get('back');
  const plan = useQuery({
    queryKey: planKey(programmeId ?? ''),
    enabled: Boolean(programmeId),
    queryFn: ({ signal }) => api.get('/me/plan', { query: { programme: programmeId }, signal }),
  });
  const choose = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('programme', id);
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title={t('qualification.plan.title')}
        subtitle={plan.data ? <ProgrammeName p={plan.data.programme} /> : t('qualification.plan.subtitle')}
        extra={
          <Space wrap>
            <Select
              style={{ minWidth: 'min(320px, 100%)' }}
              data-testid="plan-programme"
              aria-label={t('qualification.programme')}
              value={programmeId ?? undefined}
              placeholder={t('qualification.progress.programmePlaceholder')}
              loading={programmes.isPending}
              showSearch
              optionFilterProp="label"
              onChange={choose}
              options={(programmes.data?.items ?? []).map((p) => ({ value: p.id, label: programmeLabel(lang, p) }))}
            />
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(back && back.startsWith('/progress') ? back : '/progress')} data-testid="plan-back">
              {t('qualification.plan.back')}
            </Button>
          </Space>
        }
      />
      {(mine.isError || plan.isError) && <ErrorAlert error={plan.error ?? mine.error} style={{ marginBottom: 16 }} />}
      {!programmeId && !mine.isPending && (
        <Card>
          <Empty description={t('qualification.progress.noProgramme')} />
        </Card>
      )}
      {plan.isPending && (programmeId || mine.isPending) && !plan.isError && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {plan.data && <PlanBody plan={plan.data} />}
    </>
  );
}
