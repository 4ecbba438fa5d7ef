import { useMemo } from 'react';
import { Alert, Button, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import { useMutation, useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import {
  GRADE_METHODS,
  GRADE_POLICIES,
  ROUNDING_MODES,
  type Agreement,
  type GradeMethod,
  type GradePolicy,
  type NewAgreement,
  type RoundingMode,
} from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { ISCED_BROAD, iscedText, useInstitutions } from '../standards/present';
import { institutionLabel, scaleOf, today } from './common';
import { GradeTablesEditor, gradeTablesBody, type GradeTablesValues } from './GradeTablesEditor';
import { isPassFailScale, passFailBody, PassFailRulesEditor, type PassFailValues } from './PassFailRules';

interface Values {
  code: string;
  titleZh: string;
  titleEn: string;
  kind: 'bilateral' | 'alliance';
  /** The other parties: the proposer's own institution is always one. */
  partyIds: string[] | string | undefined;
  iscedScope: string[];
  programmeScope: string[];
  validFrom: string;
  validTo?: string;
  capCredits?: string;
  ratio: 'hours' | 'fixed';
  ratioFrom?: string;
  ratioNum?: number;
  ratioDen?: number;
  roundingMode: RoundingMode;
  roundingStep: number;
  gradeMethod: GradeMethod;
  /** fixed: a table per party whose grades it reads. */
  gradeTables?: GradeTablesValues;
  /** Any method but none: what the Pass of each party with a pass/fail scale becomes. */
  passFailRules?: PassFailValues;
  gradePolicy: GradePolicy;
}

const STEPS = [1, 10, 25, 50, 100];
const CREDIT_RE = /^\d{1,8}(\.\d{1,2})?$/;
const ISCED_RE = /^\d{2}(\d{1,2})?$/;

/** The form field a server path names: body.ratio.num → ratioNum, body.partyIds.1 → partyIds. */
function formField(path: string): keyof Values | null {
  const parts = path.replace(/^body\.?/, '').split('.');
  if (parts[0] === 'ratio') return parts[1] === 'den' ? 'ratioDen' : parts[1] === 'from' ? 'ratioFrom' : 'ratioNum';
  if (parts[0] === 'rounding') return parts[1] === 'mode' ? 'roundingMode' : 'roundingStep';
  // a table's problem shows under the choice of method (the alert above names the row)
  if (parts[0] === 'gradeTables') return 'gradeMethod';
  const known: (keyof Values)[] = [
    'code',
    'titleZh',
    'titleEn',
    'kind',
    'partyIds',
    'iscedScope',
    'programmeScope',
    'validFrom',
    'validTo',
    'capCredits',
    'gradeMethod',
    'gradePolicy',
  ];
  return known.includes(parts[0] as keyof Values) ? (parts[0] as keyof Values) : null;
}

/** Propose an agreement: every field of newAgreement. The proposer's institution approves by proposing. */
export function AgreementFormDrawer({ institutionId, onClose, onSaved }: { institutionId: string; onClose: () => void; onSaved: (a: Agreement) => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [form] = Form.useForm<Values>();
  const institutions = useInstitutions();
  const kind = Form.useWatch('kind', form);
  const partners = Form.useWatch('partyIds', form);
  const ratio = Form.useWatch('ratio', form);
  const gradeMethod = Form.useWatch('gradeMethod', form);
  const mine = institutions.data?.items.find((i) => i.id === institutionId);

  const partnerIds = partners === undefined ? [] : Array.isArray(partners) ? partners : [partners];
  const partyIds = [institutionId, ...partnerIds];
  const programmeQueries = useQueries({
    queries: partyIds.map((id) => ({
      queryKey: ['programmes', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get('/institutions/{id}/programmes', { params: { id }, signal }),
      staleTime: 5 * 60_000,
    })),
  });
  const programmeOptions = programmeQueries
    .flatMap((q) => q.data?.items ?? [])
    .map((p) => ({
      value: p.id,
      label: `${institutions.data?.items.find((i) => i.id === p.institutionId)?.code ?? ''} · ${p.code} ${localName(lang, p.titleZh, p.titleEn)}`,
    }));

  const partyIdsOf = (v: Values) => [institutionId, ...(Array.isArray(v.partyIds) ? v.partyIds : v.partyIds ? [v.partyIds] : [])];
  const parties = partyIds.map((id) => institutions.data?.items.find((i) => i.id === id)).filter((i): i is NonNullable<typeof i> => Boolean(i));
  // a party with a pass/fail scale has a pass/fail rule, not a fixed table
  const gradedIds = (ids: string[]) => ids.filter((id) => !isPassFailScale(scaleOf(institutions.data?.items.find((i) => i.id === id))));

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: NewAgreement = {
        code: v.code.trim(),
        titleZh: v.titleZh.trim(),
        titleEn: v.titleEn.trim(),
        kind: v.kind,
        partyIds: partyIdsOf(v),
        iscedScope: v.iscedScope ?? [],
        programmeScope: v.programmeScope ?? [],
        validFrom: v.validFrom,
        validTo: v.validTo || null,
        capCredits: v.capCredits?.trim() || null,
        ratio: v.ratio === 'fixed' ? { from: v.ratioFrom ?? institutionId, num: v.ratioNum!, den: v.ratioDen! } : null,
        rounding: { mode: v.roundingMode, step: v.roundingStep },
        gradeMethod: v.gradeMethod,
        gradeTables: [
          ...(v.gradeMethod === 'fixed' ? gradeTablesBody(gradedIds(partyIdsOf(v)), v.gradeTables) : []),
          ...(v.gradeMethod !== 'none' ? passFailBody(parties, v.passFailRules) : []),
        ],
        gradePolicy: v.gradePolicy,
      };
      return api.post('/agreements', { body });
    },
    onSuccess: onSaved,
    onError: (err) => {
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      const fields = errors
        .map((e) => ({ name: formField(e.path), errors: [e.message] }))
        .filter((f): f is { name: keyof Values; errors: string[] } => f.name !== null);
      if (fields.length) form.setFields(fields);
    },
  });

  const initial: Partial<Values> = useMemo(
    () => ({
      kind: 'bilateral',
      partyIds: undefined,
      iscedScope: [],
      programmeScope: [],
      validFrom: today(),
      ratio: 'hours',
      ratioFrom: institutionId,
      ratioNum: 1,
      ratioDen: 1,
      roundingMode: 'half_up',
      roundingStep: 50,
      gradeMethod: 'table',
      gradePolicy: 'largest-overlap',
    }),
    [institutionId],
  );
  const required = { required: true, whitespace: true, message: t('recognition.form.required') };
  const institutionOptions = (institutions.data?.items ?? [])
    .filter((i) => i.id !== institutionId)
    .map((i) => ({ value: i.id, label: institutionLabel(lang, i) }));

  return (
    <Drawer
      open
      onClose={onClose}
      width={820}
      title={t('recognition.agreement.proposeTitle')}
      rootClassName="cb-agreement-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="agr-submit">
            {t('recognition.agreement.proposeSubmit')}
          </Button>
        </Space>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t('recognition.agreement.proposeHelp', { institution: mine ? institutionLabel(lang, mine) : '' })}
      />
      {save.isError && <ErrorAlert error={save.error} title={t('recognition.agreement.proposeFailed')} style={{ marginBottom: 16 }} />}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        onValuesChange={(changed: Partial<Values>) => {
          if (('gradeTables' in changed || 'partyIds' in changed || 'gradeMethod' in changed) && form.getFieldError('gradeMethod').length > 0)
            void form.validateFields(['gradeMethod']).catch(() => undefined);
        }}
        scrollToFirstError
      >
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('recognition.agreement.sectionParties')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('recognition.agreement.field.code')}
              tooltip={t('recognition.agreement.field.codeHelp')}
              normalize={(v: string) => v?.toUpperCase()}
              rules={[required, { pattern: /^[A-Z0-9][A-Z0-9._-]{1,39}$/, message: t('recognition.form.codeInvalid') }]}
            >
              <Input className="cb-mono" placeholder="HXU-JNVC-2025" data-testid="agr-field-code" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="kind" label={t('recognition.agreement.field.kind')}>
              <Radio.Group
                optionType="button"
                onChange={() => form.setFieldValue('partyIds', undefined)}
                options={(['bilateral', 'alliance'] as const).map((k) => ({ value: k, label: t(`recognition.agreement.kind.${k}`) }))}
                data-testid="agr-field-kind"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="titleZh" label={t('recognition.agreement.field.titleZh')} rules={[required, { min: 2, max: 200 }]}>
              <Input lang="zh-CN" data-testid="agr-field-titleZh" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="titleEn" label={t('recognition.agreement.field.titleEn')} rules={[required, { min: 2, max: 200 }]}>
              <Input lang="en" data-testid="agr-field-titleEn" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="partyIds"
              label={kind === 'alliance' ? t('recognition.agreement.field.partiesAlliance') : t('recognition.agreement.field.partner')}
              extra={t('recognition.agreement.field.partiesHelp', { institution: mine?.code ?? '' })}
              rules={[
                {
                  validator: (_, v: string[] | string | undefined) => {
                    const n = v === undefined ? 0 : Array.isArray(v) ? v.length : 1;
                    return n >= 1 ? Promise.resolve() : Promise.reject(new Error(t('recognition.agreement.field.partiesRequired')));
                  },
                },
              ]}
            >
              <Select
                mode={kind === 'alliance' ? 'multiple' : undefined}
                showSearch
                optionFilterProp="label"
                loading={institutions.isPending}
                options={institutionOptions}
                placeholder={t('recognition.agreement.field.partnerPlaceholder')}
                data-testid="agr-field-partyIds"
              />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain>
          {t('recognition.agreement.sectionScope')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="iscedScope"
              label={t('recognition.agreement.field.iscedScope')}
              extra={t('recognition.agreement.field.iscedScopeHelp')}
              rules={[
                {
                  validator: (_, v: string[] | undefined) =>
                    (v ?? []).every((c) => ISCED_RE.test(c)) ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.iscedInvalid'))),
                },
              ]}
            >
              <Select
                mode="tags"
                placeholder={t('recognition.agreement.field.allFieldsPlaceholder')}
                options={ISCED_BROAD.map((c) => ({ value: c, label: iscedText(t, c) }))}
                data-testid="agr-field-iscedScope"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="programmeScope"
              label={t('recognition.agreement.field.programmeScope')}
              extra={t('recognition.agreement.field.programmeScopeHelp')}
            >
              <Select
                mode="multiple"
                optionFilterProp="label"
                options={programmeOptions}
                placeholder={t('recognition.agreement.field.allProgrammesPlaceholder')}
                data-testid="agr-field-programmeScope"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="validFrom"
              label={t('recognition.agreement.field.validFrom')}
              rules={[{ required: true, message: t('recognition.form.required') }]}
            >
              <Input type="date" data-testid="agr-field-validFrom" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="validTo"
              label={t('recognition.agreement.field.validTo')}
              tooltip={t('recognition.agreement.field.validToHelp')}
              dependencies={['validFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || v > String(getFieldValue('validFrom') ?? '') ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.toAfterFrom'))),
                }),
              ]}
            >
              <Input type="date" data-testid="agr-field-validTo" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="capCredits"
              label={t('recognition.agreement.field.capCredits')}
              tooltip={t('recognition.agreement.field.capCreditsHelp')}
              rules={[
                {
                  validator: (_, v?: string) =>
                    !v || !v.trim() || CREDIT_RE.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.creditsInvalid'))),
                },
              ]}
            >
              <Input className="cb-num" inputMode="decimal" placeholder={t('recognition.agreement.noCap')} data-testid="agr-field-capCredits" />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain>
          {t('recognition.agreement.sectionConversion')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="ratio"
              label={t('recognition.agreement.field.ratio')}
              extra={ratio === 'fixed' ? t('recognition.agreement.field.ratioFixedHelp') : t('recognition.agreement.field.ratioHoursHelp')}
            >
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'hours', label: t('recognition.agreement.field.ratioHours') },
                  { value: 'fixed', label: t('recognition.agreement.field.ratioFixed') },
                ]}
                data-testid="agr-field-ratio"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            {ratio === 'fixed' && (
              <Form.Item label={t('recognition.agreement.field.ratioFixed')} required style={{ marginBottom: 0 }}>
                <Space align="start" wrap size={6}>
                  <Form.Item name="ratioFrom" rules={[{ required: true, message: t('recognition.form.required') }]}>
                    <Select
                      style={{ width: 100 }}
                      options={partyIds.map((id) => ({ value: id, label: institutions.data?.items.find((i) => i.id === id)?.code ?? id }))}
                      data-testid="agr-field-ratioFrom"
                    />
                  </Form.Item>
                  <Form.Item name="ratioDen" rules={[{ required: true, message: t('recognition.form.required') }]}>
                    <InputNumber min={1} max={1000} precision={0} style={{ width: 64 }} data-testid="agr-field-ratioDen" />
                  </Form.Item>
                  <Typography.Text style={{ lineHeight: '32px' }}>{t('recognition.agreement.field.ratioEquals')}</Typography.Text>
                  <Form.Item name="ratioNum" rules={[{ required: true, message: t('recognition.form.required') }]}>
                    <InputNumber min={1} max={1000} precision={0} style={{ width: 64 }} data-testid="agr-field-ratioNum" />
                  </Form.Item>
                  <Typography.Text style={{ lineHeight: '32px' }}>{t('recognition.agreement.field.ratioOther')}</Typography.Text>
                </Space>
              </Form.Item>
            )}
          </Col>
          <Col span={12}>
            <Form.Item name="roundingMode" label={t('recognition.agreement.field.roundingMode')}>
              <Select options={ROUNDING_MODES.map((m) => ({ value: m, label: t(`recognition.rounding.${m}`) }))} data-testid="agr-field-roundingMode" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="roundingStep" label={t('recognition.agreement.field.roundingStep')} tooltip={t('recognition.agreement.field.roundingStepHelp')}>
              <Select
                options={STEPS.map((s) => ({ value: s, label: t('recognition.agreement.stepOption', { step: (s / 100).toString() }) }))}
                data-testid="agr-field-roundingStep"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="gradeMethod"
              label={t('recognition.agreement.field.gradeMethod')}
              // checked on submit (the tables are filled in after choosing), then again as they change
              validateTrigger={[]}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, m?: GradeMethod) =>
                    m !== 'fixed' || gradeTablesBody(gradedIds(partyIds), getFieldValue('gradeTables') as GradeTablesValues | undefined).length > 0
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('recognition.gradeTables.needOne'))),
                }),
              ]}
            >
              <Radio.Group style={{ width: '100%' }} data-testid="agr-field-gradeMethod">
                <Row gutter={[16, 8]}>
                  {GRADE_METHODS.map((m) => (
                    <Col span={12} key={m}>
                      <Radio value={m} data-testid={`agr-grade-method-${m}`}>
                        <span>{t(`recognition.agreement.gradeMethod.${m}`)}</span>
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {t(`recognition.agreement.field.gradeMethodHelp.${m}`)}
                        </Typography.Text>
                      </Radio>
                    </Col>
                  ))}
                </Row>
              </Radio.Group>
            </Form.Item>
          </Col>
          {gradeMethod === 'table' && (
            <Col span={12}>
              <Form.Item name="gradePolicy" label={t('recognition.agreement.field.gradePolicy')} tooltip={t('recognition.agreement.field.gradePolicyHelp')}>
                <Select options={GRADE_POLICIES.map((p) => ({ value: p, label: t(`recognition.policy.${p}`) }))} data-testid="agr-field-gradePolicy" />
              </Form.Item>
            </Col>
          )}
          {gradeMethod === 'fixed' && (
            <Col span={24}>
              <Typography.Paragraph type="secondary">{t('recognition.gradeTables.help')}</Typography.Paragraph>
              {parties.length < 2 ? (
                <Alert type="warning" showIcon message={t('recognition.gradeTables.partiesFirst')} />
              ) : (
                <GradeTablesEditor parties={parties.filter((p) => !isPassFailScale(scaleOf(p)))} />
              )}
            </Col>
          )}
          {gradeMethod !== 'none' && (
            <Col span={24}>
              <PassFailRulesEditor parties={parties} />
            </Col>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}
