// A learner's degree audit as their institution's staff see it (学业审核), on the registrar's page for
// one learner: pick a programme (the learner's own at this institution by default), read the audit,
// and list the waivers and substitutions granted to the learner. A registrar of the programme's
// institution grants a waiver (a requirement counts as met) or a substitution (one of the learner's
// credits counts as a course), and revokes one, each with a reason.
import { useMemo, useState } from 'react';
import {
  Alert,
  App as AntApp,
  AutoComplete,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type ButtonProps,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleFilled, PlusOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditException, AuditItem, AuditNode, AuditView, NewAuditException, ProgrammeListItem } from '../../api/qualifications';
import type { CreditUnit } from '../../api/types';
import { may, usePermissions } from '../../api/permissions';
import { institutionGrants, useCurrentUser } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, formatDecimal, localName } from '../../format';
import type { Language } from '../../i18n';
import { useLanguage } from '../../i18n/useLanguage';
import { AuditPanel, auditUnit } from './AuditPanel';
import { itemName, missingText, ProgrammeName, useProgrammes } from './common';

const learnerAuditsKey = (learnerId: string, programmeId: string) => ['qualifications', 'learner-audit', learnerId, programmeId] as const;
const exceptionsKey = (learnerId: string, programmeId: string) => ['qualifications', 'audit-exceptions', learnerId, programmeId] as const;

type Kind = AuditException['kind'];

/** A requirement of the tree with its depth, for a flat list. */
interface FlatNode {
  node: AuditNode;
  depth: number;
}

function flatten(nodes: AuditNode[], depth = 0): FlatNode[] {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children ?? [], depth + 1)]);
}

/** "CS2011 数据结构 · 4 学分 · HXU" */
function itemLabel(t: ReturnType<typeof useTranslation>['t'], lang: Language, i: AuditItem): string {
  const { code, title } = itemName(lang, i);
  return `${code ? `${code} ` : ''}${title} · ${formatDecimal(i.credits)} ${t(`unitLabel.${i.unit}`)} · ${i.source}`;
}

/** The reason field both modals ask for: required, at least 3 characters once trimmed. */
function ReasonField({ placeholder }: { placeholder: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="reason"
      label={t('qualification.exceptions.reason')}
      rules={[
        { required: true, whitespace: true, message: t('qualification.exceptions.reasonRequired') },
        {
          validator: (_, v?: string) =>
            !v?.trim() || v.trim().length >= 3 ? Promise.resolve() : Promise.reject(new Error(t('qualification.exceptions.reasonShort'))),
        },
      ]}
    >
      <Input.TextArea rows={3} maxLength={2000} showCount placeholder={placeholder} data-testid="exception-reason" />
    </Form.Item>
  );
}

/** "Now: met (20 credits counted)" / "Now: not met — 4.5 more credits" / "Now: waived". */
function NodeState({ node, unit }: { node: AuditNode; unit: CreditUnit }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const state = node.waived ? 'waived' : node.satisfied ? 'met' : 'unmet';
  return (
    <span data-testid="exception-node-state" data-state={state}>
      {t(`qualification.exceptions.nodeNow.${state}`, {
        credits: formatDecimal(node.credits),
        unit: t(`unitLabel.${unit}`),
        missing: missingText(t, lang, node.missing, unit) || '—',
      })}
    </span>
  );
}

interface AddValues {
  kind: Kind;
  nodeId?: string;
  itemId?: string;
  courseCode?: string;
  reason?: string;
}

/** Grants a waiver or a substitution: the kind, the requirement, for a substitution the credit and the course, and why. */
function AddModal({ learnerId, audit, waivedNodes, onClose }: { learnerId: string; audit: AuditView; waivedNodes: Set<string>; onClose: () => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AddValues>();
  const kind = Form.useWatch('kind', form) ?? 'waive';
  const nodeId = Form.useWatch('nodeId', form);
  const flat = useMemo(() => flatten(audit.nodes), [audit.nodes]);
  const chosenNode = flat.find((f) => f.node.id === nodeId)?.node;
  const add = useMutation({
    mutationFn: (body: NewAuditException) => api.post('/learners/{id}/audit-exceptions', { params: { id: learnerId }, body }),
    onSuccess: (e) => {
      void message.success(t(`qualification.exceptions.done.${e.kind}`));
      void queryClient.invalidateQueries({ queryKey: ['qualifications'] });
      onClose();
    },
  });
  const submit = async () => {
    // an incomplete form shows what is wrong; nothing is sent
    const v = await form.validateFields().catch(() => null);
    if (!v || !v.nodeId) return;
    add.mutate({
      programmeId: audit.programme.id,
      nodeId: v.nodeId,
      kind: v.kind,
      ...(v.kind === 'substitute' ? { itemId: v.itemId, courseCode: v.courseCode?.trim() } : {}),
      reason: (v.reason ?? '').trim(),
    });
  };

  const statusTag = (n: AuditNode) =>
    n.waived ? (
      <Tag color="purple" bordered={false} icon={<MinusCircleFilled />}>
        {t('qualification.node.waived')}
      </Tag>
    ) : n.satisfied ? (
      <Tag color="success" bordered={false} icon={<CheckCircleFilled />}>
        {t('qualification.node.satisfied')}
      </Tag>
    ) : (
      <Tag color="error" bordered={false} icon={<CloseCircleFilled />}>
        {t('qualification.node.missing')}
      </Tag>
    );
  const nodeOptions = flat.map(({ node, depth }) => ({
    value: node.id,
    label: localName(lang, node.titleZh, node.titleEn),
    depth,
    node,
    disabled: kind === 'waive' && waivedNodes.has(node.id),
  }));
  // the credits the audit counts first; those it does not, with why (a substitution does not change that)
  const counted = new Set(audit.counted);
  const whyNot = new Map(audit.excluded.map((x) => [x.id, x.reason]));
  const itemOptions = (['counted', 'notCounted'] as const)
    .map((group) => ({
      label: t(`qualification.exceptions.itemGroup.${group}`),
      options: audit.items
        .filter((i) => counted.has(i.id) === (group === 'counted'))
        .map((i) => {
          const why = whyNot.get(i.id);
          return { value: i.id, label: `${itemLabel(t, lang, i)}${why ? ` · ${t(`qualification.exclusion.${why}`, { defaultValue: why })}` : ''}` };
        }),
    }))
    .filter((g) => g.options.length > 0);
  const rules = useQuery({
    queryKey: ['qualifications', 'requirements', audit.programme.id, audit.catalogueYear],
    enabled: kind === 'substitute',
    staleTime: 5 * 60_000,
    queryFn: ({ signal }) => api.get('/programmes/{id}/requirements', { params: { id: audit.programme.id }, query: { year: audit.catalogueYear }, signal }),
  });
  const missingCourses = chosenNode?.missing.courses ?? [];
  const node = rules.data?.requirements.nodes.find((n) => n.id === nodeId);
  const nodeCourses = node?.kind === 'courses' ? node.courses : [];
  const courseOptions = [...missingCourses, ...nodeCourses.filter((c) => !missingCourses.includes(c))].map((c) => ({
    value: c,
    label: missingCourses.includes(c) ? `${c} · ${t('qualification.exceptions.stillMissing')}` : c,
  }));

  return (
    <Modal
      open
      width={640}
      title={t('qualification.exceptions.addTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t(`qualification.exceptions.confirm.${kind}`)}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      okButtonProps={{ 'data-testid': 'exception-confirm' } as ButtonProps}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        <ProgrammeName p={audit.programme} />
      </Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark="optional" initialValues={{ kind: 'waive' }}>
        <Form.Item name="kind" label={t('qualification.exceptions.kind')} extra={t(`qualification.exceptions.kindHelp.${kind}`)} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            data-testid="exception-kind"
            options={(['waive', 'substitute'] as const).map((k) => ({ value: k, label: t(`qualification.exceptions.kindAction.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="nodeId"
          label={t('qualification.exceptions.requirement')}
          extra={
            chosenNode ? (
              <NodeState node={chosenNode} unit={auditUnit(audit)} />
            ) : kind === 'substitute' ? (
              t('qualification.exceptions.requirementHelpSubstitute')
            ) : undefined
          }
          rules={[{ required: true, message: t('qualification.exceptions.requirementRequired') }]}
        >
          <Select
            data-testid="exception-node"
            placeholder={t('qualification.exceptions.requirementPlaceholder')}
            options={nodeOptions}
            showSearch
            optionFilterProp="label"
            listHeight={320}
            optionRender={(o) => (
              <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8, paddingInlineStart: (o.data.depth as number) * 20 }}>
                <span style={{ fontWeight: o.data.depth === 0 ? 500 : undefined }}>
                  {o.data.label}{' '}
                  <span className="cb-mono" style={{ color: 'rgba(0,0,0,0.6)', fontSize: 12 }}>
                    {o.data.value}
                  </span>
                </span>
                {statusTag(o.data.node as AuditNode)}
              </div>
            )}
          />
        </Form.Item>
        {kind === 'substitute' && (
          <>
            <Form.Item
              name="itemId"
              label={t('qualification.exceptions.item')}
              extra={t('qualification.exceptions.itemHelp')}
              rules={[{ required: true, message: t('qualification.exceptions.itemRequired') }]}
            >
              <Select
                data-testid="exception-item"
                placeholder={t('qualification.exceptions.itemPlaceholder')}
                options={itemOptions}
                showSearch
                optionFilterProp="label"
              />
            </Form.Item>
            <Form.Item
              name="courseCode"
              label={t('qualification.exceptions.course')}
              extra={courseOptions.length > 0 ? t('qualification.exceptions.courseHelpList') : t('qualification.exceptions.courseHelp')}
              rules={[{ required: true, whitespace: true, message: t('qualification.exceptions.courseRequired') }]}
            >
              <AutoComplete options={courseOptions}>
                <Input className="cb-mono" maxLength={40} placeholder={t('qualification.exceptions.coursePlaceholder')} data-testid="exception-course" />
              </AutoComplete>
            </Form.Item>
          </>
        )}
        <ReasonField placeholder={t(`qualification.exceptions.reasonPlaceholder.${kind}`)} />
      </Form>
      {add.isError && <ErrorAlert error={add.error} title={t('qualification.exceptions.failed')} />}
    </Modal>
  );
}

/** Revokes an exception, saying why; the audit goes back to counting without it. */
function RevokeModal({ exception, describe, onClose }: { exception: AuditException; describe: React.ReactNode; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason?: string }>();
  const revoke = useMutation({
    mutationFn: (reason: string) => api.post('/audit-exceptions/{id}/revoke', { params: { id: exception.id }, body: { reason } }),
    onSuccess: () => {
      void message.success(t('qualification.exceptions.done.revoke'));
      void queryClient.invalidateQueries({ queryKey: ['qualifications'] });
      onClose();
    },
    // refused (revoked meanwhile, say): the list behind the dialog catches up
    onError: () => void queryClient.invalidateQueries({ queryKey: ['qualifications'] }),
  });
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) revoke.mutate((v.reason ?? '').trim());
  };
  return (
    <Modal
      open
      title={t(`qualification.exceptions.revokeTitle.${exception.kind}`)}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('qualification.exceptions.revoke')}
      cancelText={t('common.cancel')}
      confirmLoading={revoke.isPending}
      okButtonProps={{ danger: true, 'data-testid': 'exception-confirm' } as ButtonProps}
      destroyOnHidden
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        {describe}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(`qualification.exceptions.revokeHelp.${exception.kind}`)}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" requiredMark="optional">
          <ReasonField placeholder={t('qualification.exceptions.reasonPlaceholder.revoke')} />
        </Form>
        {revoke.isError && <ErrorAlert error={revoke.error} title={t('qualification.exceptions.revokeFailed')} />}
      </Space>
    </Modal>
  );
}

/** What an exception does, in words: the requirement, and for a substitution which credit counts as which course. */
function ExceptionWhat({ e, audit }: { e: AuditException; audit: AuditView | undefined }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const node = audit ? flatten(audit.nodes).find((f) => f.node.id === e.nodeId)?.node : undefined;
  const item = e.itemId ? audit?.items.find((i) => i.id === e.itemId) : undefined;
  return (
    <Space direction="vertical" size={2}>
      <Tooltip title={<span className="cb-mono">{e.nodeId}</span>}>
        <span data-testid="exception-requirement">{node ? localName(lang, node.titleZh, node.titleEn) : e.nodeId}</span>
      </Tooltip>
      {e.kind === 'substitute' && (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('qualification.exceptions.substitution', { item: item ? itemLabel(t, lang, item) : e.itemId, code: e.courseCode })}
        </Typography.Text>
      )}
    </Space>
  );
}

/** The waivers and substitutions granted to the learner for the programme, newest first. */
function ExceptionsCard({
  learnerId,
  audit,
  programmeId,
  editable,
}: {
  learnerId: string;
  audit: AuditView | undefined;
  programmeId: string;
  editable: boolean;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [adding, setAdding] = useState(false);
  const [revoking, setRevoking] = useState<AuditException | null>(null);
  const exceptions = useQuery({
    queryKey: exceptionsKey(learnerId, programmeId),
    queryFn: ({ signal }) => api.get('/learners/{id}/audit-exceptions', { params: { id: learnerId }, query: { programme: programmeId }, signal }),
  });
  const rows = exceptions.data?.items ?? [];
  const active = rows.filter((e) => e.status === 'active');
  const waivedNodes = new Set(active.filter((e) => e.kind === 'waive').map((e) => e.nodeId));

  const columns: ColumnsType<AuditException> = [
    {
      title: t('qualification.exceptions.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: Kind) => (
        <Tag color={k === 'waive' ? 'purple' : 'cyan'} bordered={false} data-testid="exception-kind-tag">
          {t(`qualification.exceptions.kindName.${k}`)}
        </Tag>
      ),
    },
    { title: t('qualification.exceptions.requirement'), key: 'what', width: 280, render: (_, e) => <ExceptionWhat e={e} audit={audit} /> },
    {
      title: t('qualification.exceptions.reason'),
      dataIndex: 'reason',
      render: (r: string) => <span data-testid="exception-row-reason">{r}</span>,
    },
    {
      title: t('qualification.exceptions.granted'),
      key: 'granted',
      width: 160,
      render: (_, e) => (
        <Space direction="vertical" size={0}>
          <span className="cb-num">{formatDateTime(e.createdAt)}</span>
          {e.createdBy && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="exception-granted-by">
              {e.createdBy}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('qualification.exceptions.status'),
      key: 'status',
      width: 210,
      render: (_, e) => {
        const tr = e;
        return (
          <Space direction="vertical" size={2}>
            <Tag color={e.status === 'active' ? 'success' : 'default'} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="exception-status">
              {t(`qualification.exceptions.statusName.${e.status}`)}
            </Tag>
            {e.status === 'revoked' && (tr.revokedAt || tr.revokedBy) && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[tr.revokedAt && formatDateTime(tr.revokedAt), tr.revokedBy].filter(Boolean).join(' · ')}
              </Typography.Text>
            )}
            {e.status === 'revoked' && tr.revokeReason && (
              <Typography.Text style={{ fontSize: 12 }} data-testid="exception-revoke-reason">
                {t('qualification.exceptions.revokedBecause', { reason: tr.revokeReason })}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_: unknown, e: AuditException) =>
              e.status === 'active' ? (
                <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setRevoking(e)} data-testid="exception-revoke">
                  {t('qualification.exceptions.revoke')}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Space size={8}>
          {t('qualification.exceptions.title')}
          {active.length > 0 && (
            <Tag bordered={false} color="purple" data-testid="exception-active-count">
              {t('qualification.exceptions.activeCount', { count: active.length })}
            </Tag>
          )}
        </Space>
      }
      extra={
        editable && (
          <Button type="primary" icon={<PlusOutlined />} disabled={!audit} onClick={() => setAdding(true)} data-testid="exception-add">
            {t('qualification.exceptions.add')}
          </Button>
        )
      }
      data-testid="exception-list"
      data-loaded={exceptions.isSuccess ? 'true' : 'false'}
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('qualification.exceptions.help')}
      </Typography.Paragraph>
      {!editable && audit && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          icon={<StopOutlined />}
          message={t('qualification.exceptions.readOnly', {
            institution: localName(lang, audit.programme.institution.nameZh, audit.programme.institution.nameEn),
          })}
        />
      )}
      {exceptions.isError && <ErrorAlert error={exceptions.error} style={{ marginBottom: 16 }} />}
      <Table<AuditException>
        data-testid="exception-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={exceptions.isPending}
        pagination={false}
        scroll={{ x: 1000 }}
        rowClassName={(e) => (e.status === 'revoked' ? 'cb-row-muted' : '')}
        onRow={(e) =>
          ({ 'data-testid': 'exception-row', 'data-node': e.nodeId, 'data-kind': e.kind, 'data-status': e.status }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('qualification.exceptions.empty')} /> }}
      />
      {adding && audit && <AddModal learnerId={learnerId} audit={audit} waivedNodes={waivedNodes} onClose={() => setAdding(false)} />}
      {revoking && (
        <RevokeModal
          exception={revoking}
          describe={
            <Space size={8} align="start">
              <Tag color={revoking.kind === 'waive' ? 'purple' : 'cyan'} bordered={false}>
                {t(`qualification.exceptions.kindName.${revoking.kind}`)}
              </Tag>
              <ExceptionWhat e={revoking} audit={audit} />
            </Space>
          }
          onClose={() => setRevoking(null)}
        />
      )}
    </Card>
  );
}

/** Programmes to pick from, those of the staff member's institutions first, grouped by institution. */
function programmeOptions(lang: Language, programmes: ProgrammeListItem[], mine: Set<string>, enrolled: Set<string>, enrolledLabel: string) {
  const withRules = programmes.filter((p) => p.catalogueYears.length > 0);
  const groups = new Map<string, { label: string; own: boolean; options: { value: string; label: string; title: string }[] }>();
  for (const p of withRules) {
    const g = groups.get(p.institution.id) ?? {
      label: localName(lang, p.institution.nameZh, p.institution.nameEn),
      own: mine.has(p.institution.id),
      options: [],
    };
    const label = `${p.code} ${localName(lang, p.titleZh, p.titleEn)}${enrolled.has(p.id) ? ` · ${enrolledLabel}` : ''}`;
    g.options.push({ value: p.id, label, title: label });
    groups.set(p.institution.id, g);
  }
  return [...groups.values()].sort((a, b) => Number(b.own) - Number(a.own)).map(({ label, options }) => ({ label, options }));
}

/**
 * The section of the registrar's learner page: the programme picked (in the address as ?programme=),
 * the exceptions granted for it, and the audit, read-only (no award application here).
 */
export function LearnerAudit({ learnerId, learnerName }: { learnerId: string; learnerName?: string }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const me = useCurrentUser();
  const permissions = usePermissions(me.id).data;
  const [params, setParams] = useSearchParams();
  const programmes = useProgrammes();
  const mine = useMemo(() => new Set(institutionGrants(me).map((g) => g.institutionId ?? '')), [me]);

  // The learner's own programmes, audited (an error when they are enrolled in none).
  const enrolled = useQuery({
    queryKey: learnerAuditsKey(learnerId, ''),
    retry: false,
    queryFn: ({ signal }) => api.get('/learners/{id}/audits', { params: { id: learnerId }, signal }),
  });
  const enrolledIds = useMemo(() => new Set(enrolled.data?.audits.map((a) => a.programme.id) ?? []), [enrolled.data]);
  const defaultId = useMemo(() => {
    if (enrolled.isPending) return null;
    const audits = enrolled.data?.audits ?? [];
    const here = audits.find((a) => mine.has(a.programme.institution.id)) ?? audits[0];
    if (here) return here.programme.id;
    return programmes.data?.items.find((p) => mine.has(p.institution.id) && p.catalogueYears.length > 0)?.id ?? null;
  }, [enrolled.isPending, enrolled.data, mine, programmes.data]);
  const programmeId = params.get('programme') ?? defaultId;

  const fromEnrolled = enrolled.data?.audits.find((a) => a.programme.id === programmeId);
  const single = useQuery({
    queryKey: learnerAuditsKey(learnerId, programmeId ?? ''),
    enabled: Boolean(programmeId) && !enrolled.isPending && !fromEnrolled,
    queryFn: ({ signal }) => api.get('/learners/{id}/audits', { params: { id: learnerId }, query: { programmes: programmeId ?? '' }, signal }),
  });
  const audit = fromEnrolled ?? single.data?.audits[0];
  const loading = enrolled.isPending || (!fromEnrolled && Boolean(programmeId) && single.isPending);
  const substituted = useSubstituted(learnerId, audit?.programme.id ?? null);

  const pickProgramme = (id: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('programme', id);
        return next;
      },
      { replace: true },
    );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="learner-audit" data-programme={audit?.programme.code ?? ''}>
      <Card>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16, flexWrap: 'wrap' }}>
          <Space direction="vertical" size={2} style={{ maxWidth: 720 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {learnerName ? t('qualification.exceptions.sectionOf', { name: learnerName }) : t('qualification.exceptions.section')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('qualification.exceptions.sectionHelp')}</Typography.Text>
          </Space>
          <Space direction="vertical" size={4}>
            <Typography.Text type="secondary">{t('qualification.exceptions.programme')}</Typography.Text>
            <Select
              style={{ width: 480, maxWidth: '100%' }}
              popupMatchSelectWidth={false}
              value={programmeId ?? undefined}
              onChange={pickProgramme}
              loading={programmes.isPending}
              showSearch
              optionFilterProp="label"
              placeholder={t('qualification.exceptions.programmePlaceholder')}
              options={programmeOptions(lang, programmes.data?.items ?? [], mine, enrolledIds, t('qualification.exceptions.enrolled'))}
              aria-label={t('qualification.exceptions.programme')}
              data-testid="learner-audit-programme"
            />
          </Space>
        </div>
      </Card>

      {!programmeId && !loading && <Empty description={t('qualification.exceptions.noProgramme')} />}
      {single.isError && <ErrorAlert error={single.error} />}
      {loading && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {programmeId && !loading && (
        <ExceptionsCard
          learnerId={learnerId}
          audit={audit}
          programmeId={programmeId}
          editable={Boolean(audit) && may(permissions, 'programme.grantException', { institutionId: audit!.programme.institution.id })}
        />
      )}
      {audit && !loading && <AuditPanel audit={audit} countedTwice={[]} substituted={substituted} />}
    </Space>
  );
}

/** The learner's active substitutions for a programme: item id → the course it counts as. */
function useSubstituted(learnerId: string, programmeId: string | null): ReadonlyMap<string, string> {
  const exceptions = useQuery({
    queryKey: exceptionsKey(learnerId, programmeId ?? ''),
    enabled: Boolean(programmeId),
    queryFn: ({ signal }) => api.get('/learners/{id}/audit-exceptions', { params: { id: learnerId }, query: { programme: programmeId ?? '' }, signal }),
  });
  return useMemo(
    () =>
      new Map(
        (exceptions.data?.items ?? [])
          .filter((e) => e.status === 'active' && e.kind === 'substitute' && e.itemId && e.courseCode)
          .map((e) => [e.itemId!, e.courseCode!]),
      ),
    [exceptions.data],
  );
}
