import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Popconfirm, Popover, Segmented, Space, Table, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CheckOutlined, ClockCircleOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Agreement } from '../../api/recognition';
import type { CreditUnit } from '../../api/types';
import { useCurrentUser } from '../../auth';
import { ErrorAlert, useErrorMessage } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, formatDecimal, localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { iscedText, useInstitutions } from '../standards/present';
import { useInstitutionScope } from '../institution/useInstitutionScope';
import { AgreementFormDrawer } from './AgreementFormDrawer';
import { levelOrder, tableText } from './GradeTablesEditor';
import { AgreementStatusTag, ReasonModal, creditsText, scaleOf } from './common';

type Scope = 'mine' | 'all';

/** "0.5" for a step of 50 hundredths. */
export function stepText(step: number): string {
  return (step / 100).toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

export function conversionLines(
  t: TFunction,
  a: Pick<Agreement, 'ratio' | 'rounding' | 'gradeMethod' | 'gradeTables' | 'gradePolicy' | 'parties'>,
  unitOf: (institutionId: string) => CreditUnit | undefined,
): { credits: string; rounding: string; grades: string } {
  let credits = t('recognition.agreement.byHours');
  if (a.ratio) {
    const from = a.parties.find((p) => p.id === a.ratio!.from);
    const others = a.parties.filter((p) => p.id !== a.ratio!.from);
    const other = others.length === 1 ? others[0]! : null;
    credits = t('recognition.agreement.ratio', {
      left: `${from?.code ?? '—'} ${creditsText(t, String(a.ratio.den), from ? unitOf(from.id) : null)}`,
      right: other ? `${other.code} ${creditsText(t, String(a.ratio.num), unitOf(other.id))}` : t('recognition.agreement.ratioOthers', { num: a.ratio.num }),
    });
  }
  return {
    credits,
    rounding: t('recognition.agreement.roundingText', { mode: t(`recognition.rounding.${a.rounding.mode}`), step: stepText(a.rounding.step) }),
    grades: gradesText(t, a),
  };
}

/** How the agreement converts grades, in one line; with the pass/fail rules, if any ("PFTC Pass = 75"). */
export function gradesText(t: TFunction, a: Pick<Agreement, 'gradeMethod' | 'gradeTables' | 'gradePolicy' | 'parties'>): string {
  const rules =
    a.gradeMethod === 'none' ? [] : (a.gradeTables ?? []).flatMap((g) => (g.table.type === 'pass_fail' ? [{ from: g.from, pass: g.table.pass }] : []));
  const method = methodText(t, a);
  if (rules.length === 0) return method;
  const code = (id: string) => a.parties.find((p) => p.id === id)?.code ?? '—';
  return `${method}${t('recognition.la.listSeparator')}${rules.map((r) => t('recognition.passFail.ruleText', { from: code(r.from), pass: r.pass })).join(t('recognition.la.listSeparator'))}`;
}

function methodText(t: TFunction, a: Pick<Agreement, 'gradeMethod' | 'gradeTables' | 'gradePolicy' | 'parties'>): string {
  switch (a.gradeMethod) {
    case 'table':
      return t('recognition.agreement.gradeTable', { policy: t(`recognition.policy.${a.gradePolicy}`) });
    case 'fixed': {
      const code = (id: string) => a.parties.find((p) => p.id === id)?.code ?? '—';
      const directions = (a.gradeTables ?? [])
        .filter((g) => g.table.type !== 'pass_fail')
        .map((g) => {
          const others = a.parties.filter((p) => p.id !== g.from).map((p) => p.code);
          return `${code(g.from)} → ${others.length === 1 ? others[0] : t('recognition.agreement.othersShort')}`;
        });
      return t('recognition.agreement.gradeFixed', { directions: directions.join(t('recognition.la.listSeparator')) });
    }
    case 'bavarian':
      return t('recognition.agreement.gradeBavarian');
    default:
      return t('recognition.agreement.gradeNone');
  }
}

/** The fixed tables of an agreement, one per direction, on hover. */
function FixedTablesPopover({ a }: { a: Agreement }) {
  const { t } = useTranslation();
  const institutions = useInstitutions();
  const levelsOf = (id: string) => levelOrder(scaleOf(institutions.data?.items.find((i) => i.id === id)));
  const tables = (a.gradeTables ?? []).filter((g) => g.table.type !== 'pass_fail');
  if (a.gradeMethod !== 'fixed' || tables.length === 0) return null;
  const code = (id: string) => a.parties.find((p) => p.id === id)?.code ?? '—';
  return (
    <Popover
      title={t('recognition.gradeTables.title')}
      content={
        <Space direction="vertical" size={6} style={{ maxWidth: 420 }} data-testid="agr-grade-tables-view">
          {tables.map((g) => (
            <div key={g.from}>
              <Typography.Text strong>
                {t('recognition.gradeTables.direction', {
                  from: code(g.from),
                  to: a.parties
                    .filter((p) => p.id !== g.from)
                    .map((p) => p.code)
                    .join(t('recognition.la.listSeparator')),
                })}
              </Typography.Text>
              <div className="cb-num">{tableText(t, g.table, levelsOf(g.from))}</div>
            </div>
          ))}
        </Space>
      }
    >
      <Typography.Link style={{ fontSize: 12 }} data-testid="agr-grade-tables-link">
        {t('recognition.gradeTables.show')}
      </Typography.Link>
    </Popover>
  );
}

/** The institution's recognition agreements (互认协议): propose, approve for it, terminate. */
export function AgreementsPage() {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const { grant, picker } = useInstitutionScope();
  const institutionId = grant?.institutionId ?? null;
  const registrar = me.roles.some((r) => r.role === 'registrar' && r.institutionId === institutionId);
  const institutions = useInstitutions();
  const unitOf = (id: string) => institutions.data?.items.find((i) => i.id === id)?.creditSystem?.unit;
  const [scope, setScope] = useState<Scope>('mine');
  const [proposing, setProposing] = useState(false);
  const [terminating, setTerminating] = useState<Agreement | null>(null);

  const agreements = useQuery({
    queryKey: ['agreements', scope === 'mine' ? institutionId : 'all'],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/agreements', { query: { institutionId: scope === 'mine' ? institutionId : undefined }, signal }),
  });
  const rows = agreements.data?.items ?? [];

  // Programme scopes name programmes of the parties: read those parties' programmes.
  const partiesWithScope = [...new Set(rows.filter((a) => a.programmeScope.length > 0).flatMap((a) => a.parties.map((p) => p.id)))];
  const programmeQueries = useQueries({
    queries: partiesWithScope.map((id) => ({
      queryKey: ['programmes', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get('/institutions/{id}/programmes', { params: { id }, signal }),
      staleTime: 5 * 60_000,
    })),
  });
  const programmeNames = new Map(programmeQueries.flatMap((q) => q.data?.items ?? []).map((p) => [p.id, `${p.code} ${localName(lang, p.titleZh, p.titleEn)}`]));

  const refresh = (a: Agreement) => {
    void queryClient.invalidateQueries({ queryKey: ['agreements'] });
    return a;
  };

  const approve = useMutation({
    mutationFn: (a: Agreement) => api.post('/agreements/{id}/approve', { params: { id: a.id } }),
    onSuccess: (a) => {
      refresh(a);
      void message.success(
        a.status === 'in_force' ? t('recognition.agreement.nowInForce', { code: a.code }) : t('recognition.agreement.approved', { code: a.code }),
      );
    },
    onError: (err) => void message.error(errorMessage(err)),
  });

  const columns: ColumnsType<Agreement> = [
    {
      title: t('recognition.agreement.col.agreement'),
      key: 'title',
      fixed: 'left',
      width: 180,
      render: (_, a) => (
        <Space direction="vertical" size={2}>
          <Typography.Text strong>{localName(lang, a.titleZh, a.titleEn)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <span className="cb-mono" data-testid="agr-code">
              {a.code}
            </span>{' '}
            · {t(`recognition.agreement.kind.${a.kind}`)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('recognition.agreement.col.parties'),
      key: 'parties',
      width: 180,
      render: (_, a) => (
        <Space direction="vertical" size={2} data-testid="agr-parties">
          {a.parties.map((p) => (
            <Tooltip
              key={p.id}
              title={p.approvedAt ? t('recognition.agreement.approvedAt', { at: formatDateTime(p.approvedAt) }) : t('recognition.agreement.awaiting')}
            >
              <span data-testid="agr-party" data-approved={p.approvedAt ? 'yes' : 'no'}>
                {p.approvedAt ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ClockCircleOutlined style={{ color: '#faad14' }} />}{' '}
                <span className="cb-mono">{p.code}</span> {localName(lang, p.nameZh, p.nameEn)}
                {!p.approvedAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    · {t('recognition.agreement.awaitingShort')}
                  </Typography.Text>
                )}
              </span>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      title: t('recognition.agreement.col.scope'),
      key: 'scope',
      width: 150,
      render: (_, a) => (
        <Space direction="vertical" size={4}>
          {a.iscedScope.length === 0 ? (
            <span>{t('recognition.agreement.allFields')}</span>
          ) : (
            <Space size={[4, 4]} wrap>
              {a.iscedScope.map((f) => (
                <Tag key={f} bordered={false} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
                  {iscedText(t, f)}
                </Tag>
              ))}
            </Space>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.programmeScope.length === 0
              ? t('recognition.agreement.allProgrammes')
              : t('recognition.agreement.programmes', { list: a.programmeScope.map((id) => programmeNames.get(id) ?? '…').join('、') })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('recognition.agreement.col.validity'),
      key: 'validity',
      width: 140,
      render: (_, a) => (
        <Space direction="vertical" size={0}>
          <span className="cb-num">
            {a.validTo
              ? t('recognition.agreement.validRange', { from: formatDate(a.validFrom), to: formatDate(a.validTo) })
              : t('recognition.agreement.validFrom', { from: formatDate(a.validFrom) })}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a.capCredits ? t('recognition.agreement.cap', { credits: formatDecimal(a.capCredits) }) : t('recognition.agreement.noCap')}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('recognition.agreement.col.conversion'),
      key: 'conversion',
      width: 170,
      render: (_, a) => {
        const c = conversionLines(t, a, unitOf);
        return (
          <Space direction="vertical" size={0}>
            <span>{c.credits}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.rounding}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="agr-grades">
              {c.grades}
            </Typography.Text>
            <FixedTablesPopover a={a} />
          </Space>
        );
      },
    },
    { title: t('recognition.agreement.col.status'), key: 'status', width: 100, render: (_, a) => <AgreementStatusTag a={a} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: 120,
      render: (_, a) => {
        if (!registrar) return <Typography.Text type="secondary">{t('common.readOnly')}</Typography.Text>;
        const mineParty = a.parties.find((p) => p.id === institutionId);
        const canApprove = a.status === 'proposed' && mineParty && !mineParty.approvedAt;
        const canTerminate = a.status !== 'terminated' && Boolean(mineParty);
        return (
          <Space wrap>
            {canApprove && (
              <Popconfirm
                title={t('recognition.agreement.approveTitle', { code: a.code })}
                description={t('recognition.agreement.approveHelp', { institution: grant?.institutionCode ?? '' })}
                okText={t('recognition.agreement.approve')}
                cancelText={t('common.cancel')}
                okButtonProps={{ 'data-testid': 'agr-approve-confirm' } as ButtonProps}
                onConfirm={() => approve.mutateAsync(a).catch(() => undefined)}
              >
                <Button type="primary" size="small" icon={<CheckOutlined />} data-testid="agr-approve">
                  {t('recognition.agreement.approve')}
                </Button>
              </Popconfirm>
            )}
            {mineParty && a.status === 'proposed' && mineParty.approvedAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('recognition.agreement.waitingOthers')}
              </Typography.Text>
            )}
            {canTerminate && (
              <Button size="small" danger icon={<StopOutlined />} onClick={() => setTerminating(a)} data-testid="agr-terminate">
                {t('recognition.agreement.terminate')}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  if (!institutionId) return <Empty description={t('institution.none')} />;

  return (
    <>
      <PageHeader
        title={t('recognition.agreement.title')}
        subtitle={t('recognition.agreement.subtitle')}
        extra={
          <Space>
            {picker}
            {registrar && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setProposing(true)} data-testid="agr-propose">
                {t('recognition.agreement.propose')}
              </Button>
            )}
          </Space>
        }
      />
      <Card>
        <Segmented<Scope>
          style={{ marginBottom: 16 }}
          value={scope}
          onChange={setScope}
          options={[
            { value: 'mine', label: t('recognition.agreement.scopeMine', { code: grant?.institutionCode ?? '' }) },
            { value: 'all', label: t('recognition.agreement.scopeAll') },
          ]}
          data-testid="agr-scope"
        />
        {agreements.isError && <ErrorAlert error={agreements.error} style={{ marginBottom: 16 }} />}
        <Table<Agreement>
          data-testid="agr-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={agreements.isPending}
          pagination={{ defaultPageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 1000 }}
          rowClassName={(a) => (a.status === 'terminated' ? 'cb-row-muted' : '')}
          onRow={(a) => ({ 'data-code': a.code, 'data-status': a.status }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recognition.agreement.empty')} /> }}
        />
      </Card>
      {proposing && (
        <AgreementFormDrawer
          institutionId={institutionId}
          onClose={() => setProposing(false)}
          onSaved={(a) => {
            refresh(a);
            setProposing(false);
            setScope('mine');
            void message.success(t('recognition.agreement.proposed', { code: a.code }));
          }}
        />
      )}
      <ReasonModal<Agreement>
        open={terminating !== null}
        title={t('recognition.agreement.terminateTitle', { code: terminating?.code ?? '' })}
        help={t('recognition.agreement.terminateHelp')}
        okText={t('recognition.agreement.terminate')}
        submit={(reason) => api.post('/agreements/{id}/terminate', { params: { id: terminating?.id ?? '' }, body: { reason } })}
        testPrefix="agr-terminate"
        onClose={() => setTerminating(null)}
        onDone={(a) => {
          refresh(a);
          void message.success(t('recognition.agreement.terminated', { code: a.code }));
        }}
      />
    </>
  );
}
