import { useMemo, useState } from 'react';
import { App as AntApp, Button, Card, Col, Empty, Form, Row, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, SendOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { TransferCheckRequest, Verdict, VerdictStatus } from '../../api/recognition';
import type { NewTransfer } from '../../api/transfers';
import type { Outcome } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ResultGrade } from '../../components/ResultGrade';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutions } from '../standards/present';
import { CourseName, VerdictTag, institutionLabel, useProgrammes } from '../recognition/common';
import { reasonText } from '../recognition/reasons';
import { ConvertedGradeText, Credits, MY_TRANSFERS_KEY, TargetView, countedWith, partnersOf, totalsText, transferKey, useMyTransfers } from './common';

const ORDER: Record<VerdictStatus, number> = { match: 0, maybe: 1, miss: 2 };

interface Row {
  outcome: Outcome;
  verdict: Verdict | undefined;
  /** Already waiting or recognised at the target: the application it is in. */
  heldIn: { id: string; granted: boolean; institution: string } | null;
}

/**
 * "申请转换 / Apply": pick the institution that should recognise the credits, see for every passed
 * course in the account whether it will transfer there (Match / Maybe / Miss, what it becomes and
 * why), tick the ones to apply with, and submit.
 */
export function NewTransferPage() {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = AntApp.useApp();
  const institutions = useInstitutions();
  const [targetId, setTargetId] = useState<string | undefined>();
  const [programmeId, setProgrammeId] = useState<string | undefined>();
  const [selected, setSelected] = useState<string[]>([]);
  const programmes = useProgrammes(targetId);
  const mine = useMyTransfers();

  const account = useQuery({
    queryKey: ['account', '/me/account'],
    queryFn: ({ signal }) => api.get('/me/account', { signal }),
  });

  const check = useQuery({
    queryKey: ['transfers', 'check', targetId, programmeId],
    enabled: Boolean(targetId),
    queryFn: ({ signal }) =>
      api.post('/transfer-checks', {
        body: { targetInstitutionId: targetId!, ...(programmeId ? { programmeId } : {}), mine: true } satisfies TransferCheckRequest,
        signal,
      }),
  });

  const apply = useMutation({
    mutationFn: (body: NewTransfer) => api.post('/me/transfers', { body }),
    onSuccess: (a) => {
      queryClient.setQueryData(transferKey(a.id), a);
      void queryClient.invalidateQueries({ queryKey: MY_TRANSFERS_KEY });
      void message.success(t('transfer.apply.submitted'));
      navigate(`/transfers/${encodeURIComponent(a.id)}`);
    },
  });

  const rows: Row[] = useMemo(() => {
    if (!targetId) return [];
    const verdicts = new Map((check.data?.items ?? []).map((v) => [v.outcomeId, v]));
    // a credit has one use at a time: one in an application anywhere cannot be picked again
    const held = new Map<string, { id: string; granted: boolean; institution: string }>();
    for (const a of mine.data?.items ?? []) {
      for (const l of a.lines) {
        if (l.status === 'pending' || l.status === 'accepted' || l.status === 'substituted')
          held.set(l.outcomeId, {
            id: a.id,
            granted: l.status !== 'pending',
            institution: localName(lang, a.targetInstitution.nameZh, a.targetInstitution.nameEn),
          });
      }
    }
    return (account.data?.outcomes ?? [])
      .filter((o) => o.status === 'recorded' && o.passed && o.institutionId !== targetId)
      .map((o) => ({ outcome: o, verdict: verdicts.get(o.id), heldIn: held.get(o.id) ?? null }))
      .sort(
        (a, b) =>
          Number(Boolean(a.heldIn)) - Number(Boolean(b.heldIn)) ||
          (a.verdict ? ORDER[a.verdict.status] : 3) - (b.verdict ? ORDER[b.verdict.status] : 3) ||
          a.outcome.courseCode.localeCompare(b.outcome.courseCode),
      );
  }, [account.data, check.data, mine.data, targetId, lang]);

  const picked = rows.filter((r) => selected.includes(r.outcome.id));
  const counts = { match: 0, maybe: 0, miss: 0 };
  for (const r of picked) if (r.verdict) counts[r.verdict.status] += 1;
  const expected = totalsText(
    t,
    picked.filter((r) => r.verdict?.status === 'match').map((r) => ({ credits: r.verdict!.credits, unit: r.verdict!.unit })),
  );
  const target = (institutions.data?.items ?? []).find((i) => i.id === targetId);
  // a Match that needs another course too, ticked without it
  const pickedCodes = new Set(picked.map((r) => r.outcome.courseCode));
  const alone = picked
    .map((r) => ({ code: r.outcome.courseCode, missing: r.verdict ? partnersOf(r.verdict).filter((c) => !pickedCodes.has(c)) : [] }))
    .filter((x) => x.missing.length > 0);

  const columns: ColumnsType<Row> = [
    {
      title: t('transfer.apply.col.course'),
      key: 'course',
      width: 250,
      render: (_, r) => (
        <CourseName
          c={{ code: r.outcome.courseCode, titleZh: r.outcome.courseTitleZh, titleEn: r.outcome.courseTitleEn }}
          extra={
            <Tooltip title={localName(lang, r.outcome.institutionNameZh, r.outcome.institutionNameEn)}>
              {r.outcome.institutionCode} · {r.outcome.term}
            </Tooltip>
          }
        />
      ),
    },
    {
      title: t('transfer.apply.col.grade'),
      key: 'grade',
      width: 70,
      align: 'center',
      render: (_, r) => <ResultGrade grade={r.outcome.grade} resultStatus={r.outcome.resultStatus} />,
    },
    {
      title: t('transfer.apply.col.credits'),
      key: 'credits',
      width: 90,
      align: 'right',
      render: (_, r) => <Credits amount={r.outcome.credits} unit={r.outcome.unit} />,
    },
    {
      title: t('transfer.apply.col.verdict'),
      key: 'verdict',
      width: 110,
      render: (_, r) =>
        r.verdict ? (
          <VerdictTag status={r.verdict.status} />
        ) : (
          <Typography.Text type="secondary">{check.isFetching ? t('transfer.apply.checking') : '—'}</Typography.Text>
        ),
    },
    {
      title: t('transfer.apply.col.becomes', { institution: target?.code ?? '' }),
      key: 'becomes',
      width: 240,
      render: (_, r) => {
        const v = r.verdict;
        if (!v?.target) return <Typography.Text type="secondary">—</Typography.Text>;
        const partner = countedWith(v);
        return (
          <Space direction="vertical" size={2}>
            <TargetView target={v.target} />
            {partner === null ? <Credits amount={v.credits} unit={v.unit} strong testId="transfer-outcome-credits" /> : null}
            <ConvertedGradeText v={v} />
          </Space>
        );
      },
    },
    {
      title: t('transfer.apply.col.why'),
      key: 'why',
      render: (_, r) => {
        const v = r.verdict;
        if (r.heldIn)
          return (
            <Tag color={r.heldIn.granted ? 'success' : 'processing'} bordered={false} data-testid="transfer-outcome-held">
              <Link to={`/transfers/${encodeURIComponent(r.heldIn.id)}`}>
                {t(r.heldIn.granted ? 'transfer.apply.alreadyGranted' : 'transfer.apply.alreadyPending', { institution: r.heldIn.institution })}
              </Link>
            </Tag>
          );
        if (!v) return null;
        const partner = countedWith(v);
        const why =
          partner !== null
            ? t('transfer.proposal.countedWith', { codes: partner })
            : (reasonText(t, v) ?? (v.status === 'match' ? t('recognition.reason.matched') : null));
        return (
          <Space direction="vertical" size={2}>
            {why && <span data-testid="transfer-outcome-reason">{why}</span>}
            {v.publicNote && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('recognition.check.note', { note: v.publicNote })}
              </Typography.Text>
            )}
            {v.status === 'maybe' && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('transfer.apply.maybeNote')}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title={t('transfer.apply.title')}
        subtitle={t('transfer.apply.subtitle')}
        extra={
          <Link to="/transfers">
            <ArrowLeftOutlined /> {t('transfer.mine.back')}
          </Link>
        }
      />
      <Card style={{ marginBottom: 16 }} title={t('transfer.apply.step1')}>
        <Form layout="vertical" requiredMark={false}>
          <Row gutter={24}>
            <Col xs={24} md={12}>
              <Form.Item label={t('transfer.apply.target')} extra={t('transfer.apply.targetHelp')} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('transfer.apply.target')}
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('transfer.apply.targetPlaceholder')}
                  loading={institutions.isPending}
                  value={targetId}
                  onChange={(id: string) => {
                    setTargetId(id);
                    setProgrammeId(undefined);
                    setSelected([]);
                  }}
                  options={(institutions.data?.items ?? []).map((i) => ({ value: i.id, label: institutionLabel(lang, i) }))}
                  data-testid="transfer-target"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t('transfer.apply.programme')} extra={t('transfer.apply.programmeHelp')} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('transfer.apply.programme')}
                  allowClear
                  disabled={!targetId}
                  placeholder={t('transfer.apply.programmePlaceholder')}
                  loading={programmes.isFetching}
                  value={programmeId}
                  onChange={(id?: string) => setProgrammeId(id)}
                  options={(programmes.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${localName(lang, p.titleZh, p.titleEn)}` }))}
                  data-testid="transfer-programme"
                />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>

      {account.isError && <ErrorAlert error={account.error} style={{ marginBottom: 16 }} />}
      {check.isError && <ErrorAlert error={check.error} title={t('transfer.apply.checkFailed')} style={{ marginBottom: 16 }} />}

      {targetId && (
        <Card
          title={t('transfer.apply.step2', { institution: target ? institutionLabel(lang, target) : '' })}
          extra={check.data && <Typography.Text type="secondary">{t('transfer.apply.checkedOn', { date: check.data.on })}</Typography.Text>}
          style={{ marginBottom: 16 }}
        >
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            {t('transfer.apply.step2Help')}
          </Typography.Paragraph>
          <Table<Row>
            data-testid="transfer-outcomes"
            rowKey={(r) => r.outcome.id}
            size="middle"
            columns={columns}
            dataSource={rows}
            loading={account.isPending || check.isPending}
            pagination={rows.length > 50 ? { defaultPageSize: 50, hideOnSinglePage: true } : false}
            scroll={{ x: 1100 }}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys as string[]),
              getCheckboxProps: (r) => ({ disabled: Boolean(r.heldIn), 'data-testid': 'transfer-outcome-pick' }) as never,
            }}
            rowClassName={(r) => (r.heldIn ? 'cb-row-muted' : '')}
            onRow={(r) =>
              ({
                'data-testid': 'transfer-outcome',
                'data-course': r.outcome.courseCode,
                'data-status': r.verdict?.status ?? '',
              }) as React.HTMLAttributes<HTMLElement>
            }
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('transfer.apply.noOutcomes')} /> }}
          />
        </Card>
      )}

      {targetId && (
        <Card data-testid="transfer-selected-summary" style={{ position: 'sticky', bottom: 0, zIndex: 5, boxShadow: '0 -4px 12px rgba(0, 0, 0, 0.06)' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 16, flexWrap: 'wrap' }}>
            <Space direction="vertical" size={6}>
              <Typography.Text strong>{t('transfer.apply.selected', { count: picked.length })}</Typography.Text>
              {picked.length > 0 && (
                <Space size={[16, 4]} wrap>
                  {(['match', 'maybe', 'miss'] as const).map((s) => (
                    <span key={s}>
                      <VerdictTag status={s} /> <span className="cb-num">×{counts[s]}</span>
                    </span>
                  ))}
                  <span data-testid="transfer-expected-credits">
                    {t('transfer.apply.expected')}{' '}
                    <Typography.Text strong className="cb-num" style={{ color: '#237804' }}>
                      {expected}
                    </Typography.Text>
                  </span>
                </Space>
              )}
              {alone.map((x) => (
                <Typography.Text key={x.code} type="warning" style={{ fontSize: 12 }} data-testid="transfer-partner-missing">
                  <WarningOutlined /> {t('transfer.apply.partnerMissing', { course: x.code, codes: x.missing.join(', ') })}
                </Typography.Text>
              ))}
              {(counts.maybe > 0 || counts.miss > 0) && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('transfer.apply.notAllNote')}
                </Typography.Text>
              )}
            </Space>
            <Tooltip title={picked.length === 0 ? t('transfer.apply.pickFirst') : undefined}>
              <Button
                type="primary"
                size="large"
                icon={<SendOutlined />}
                disabled={picked.length === 0 || !check.data}
                loading={apply.isPending}
                onClick={() =>
                  apply.mutate({ targetInstitutionId: targetId, ...(programmeId ? { programmeId } : {}), outcomeIds: picked.map((r) => r.outcome.id) })
                }
                data-testid="transfer-submit"
              >
                {t('transfer.apply.submit', { count: picked.length })}
              </Button>
            </Tooltip>
          </div>
          {apply.isError && <ErrorAlert error={apply.error} title={t('transfer.apply.failed')} style={{ marginTop: 16 }} />}
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
            {t('transfer.apply.afterNote')}
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
