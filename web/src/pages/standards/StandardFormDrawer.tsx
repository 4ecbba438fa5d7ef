import { useMemo, useState } from 'react';
import { Button, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import { OUTCOME_KINDS, type OutcomeKind, type Standard, type StandardInput } from '../../api/standards';
import { ErrorAlert } from '../../components/ErrorAlert';
import { localName } from '../../format';
import { useLanguage } from '../../i18n/useLanguage';
import { useFrameworks, useInstitutions } from './present';

/** create: a new standard; edit: change a draft (PATCH); version: draft the next version of an approved one. */
export type FormMode = { kind: 'create' } | { kind: 'edit'; source: Standard } | { kind: 'version'; source: Standard };

interface SubstituteRow {
  institutionId?: string;
  type: 'course' | 'category';
  courseId?: string;
  category?: string;
}

interface FormValues {
  code: string;
  outcomeKind: OutcomeKind;
  issuingBody: string;
  nameZh: string;
  nameEn: string;
  certificateLevel?: string;
  frameworkId: string;
  level: number;
  iscedCode: string;
  credits: string;
  unit: Standard['unit'];
  institutionId: string;
  substitutes?: SubstituteRow[];
  validityMonths?: number | null;
  capStandard?: string;
  capKind?: string;
  capTotal?: string;
  evidence?: string[];
  descriptionZh?: string;
  descriptionEn?: string;
  effectiveFrom: string;
  effectiveTo?: string;
}

const CREDIT_RE = /^\d{1,8}(\.\d{1,2})?$/;

const today = () => new Date().toISOString().slice(0, 10);

function dayAfter(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function initialValues(mode: FormMode): Partial<FormValues> {
  if (mode.kind === 'create') return { unit: 'credit', substitutes: [], evidence: [], effectiveFrom: today(), validityMonths: null };
  const s = mode.source;
  // A new version starts today, or the day after its predecessor starts if that is later.
  const from = s.effectiveFrom.slice(0, 10);
  const effectiveFrom = mode.kind === 'version' ? (today() > from ? today() : dayAfter(from)) : from;
  return {
    code: s.code,
    outcomeKind: s.outcomeKind,
    issuingBody: s.issuingBody,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    certificateLevel: s.certificateLevel,
    frameworkId: s.frameworkId,
    level: s.level,
    iscedCode: s.iscedCode,
    credits: s.credits,
    unit: s.unit,
    institutionId: s.institution.id,
    substitutes: s.substitutes.map((sub) => ({
      institutionId: sub.institutionId,
      type: sub.courseId ? 'course' : 'category',
      courseId: sub.courseId,
      category: sub.category,
    })),
    validityMonths: s.validityMonths,
    capStandard: s.capStandard ?? '',
    capKind: s.capKind ?? '',
    capTotal: s.capTotal ?? '',
    evidence: s.evidence,
    descriptionZh: s.descriptionZh,
    descriptionEn: s.descriptionEn,
    effectiveFrom,
    effectiveTo: mode.kind === 'version' ? '' : (s.effectiveTo?.slice(0, 10) ?? ''),
  };
}

const orNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

function toInput(v: FormValues): StandardInput {
  return {
    code: v.code.trim(),
    outcomeKind: v.outcomeKind,
    issuingBody: v.issuingBody.trim(),
    nameZh: v.nameZh.trim(),
    nameEn: v.nameEn.trim(),
    certificateLevel: (v.certificateLevel ?? '').trim(),
    frameworkId: v.frameworkId,
    level: v.level,
    iscedCode: v.iscedCode.trim(),
    credits: v.credits.trim(),
    unit: v.unit,
    institutionId: v.institutionId,
    substitutes: (v.substitutes ?? []).map((sub) =>
      sub.type === 'course'
        ? { institutionId: sub.institutionId ?? '', courseId: sub.courseId }
        : { institutionId: sub.institutionId ?? '', category: sub.category?.trim() },
    ),
    validityMonths: v.validityMonths ?? null,
    capStandard: orNull(v.capStandard),
    capKind: orNull(v.capKind),
    capTotal: orNull(v.capTotal),
    evidence: (v.evidence ?? []).map((e) => e.trim()).filter(Boolean),
    descriptionZh: (v.descriptionZh ?? '').trim(),
    descriptionEn: (v.descriptionEn ?? '').trim(),
    effectiveFrom: v.effectiveFrom,
    effectiveTo: orNull(v.effectiveTo),
  };
}

/** The server's field paths ("body.substitutes.0.courseId") as form names (['substitutes', 0, 'courseId']). */
export function fieldName(path: string): (string | number)[] {
  return path
    .replace(/^body[./]?/, '')
    .split(/[./]/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** A course of one institution, searched by code or title as one types. */
function CourseSelect({
  institutionId,
  value,
  onChange,
  known,
  testId,
}: {
  institutionId?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  known: Map<string, string>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [q, setQ] = useState('');
  const courses = useQuery({
    queryKey: ['courses', 'pick', institutionId, q],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/courses', { params: { id: institutionId ?? '' }, query: { q: q.trim(), limit: 30 }, signal }),
    placeholderData: (prev) => prev,
  });
  const options = (courses.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.code} ${localName(lang, c.titleZh, c.titleEn)}` }));
  if (value && !options.some((o) => o.value === value)) options.unshift({ value, label: known.get(value) ?? value });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      disabled={!institutionId}
      placeholder={institutionId ? t('standards.form.coursePlaceholder') : t('standards.form.pickInstitutionFirst')}
      value={value}
      onChange={onChange}
      onSearch={setQ}
      loading={courses.isFetching}
      options={options}
      notFoundContent={courses.isFetching ? null : t('standards.form.noCourse')}
      data-testid={testId}
    />
  );
}

/**
 * The form for every field of a standard, in a drawer: create, edit a draft, or draft a new version.
 * Render it only while it is open (and with a key per opening): it starts from `mode`'s values.
 */
export function StandardFormDrawer({ mode, onClose, onSaved }: { mode: FormMode; onClose: () => void; onSaved: (s: Standard) => void }) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [form] = Form.useForm<FormValues>();
  const frameworks = useFrameworks();
  const institutions = useInstitutions();
  const frameworkId = Form.useWatch('frameworkId', form);
  const substitutes = Form.useWatch('substitutes', form);

  const save = useMutation({
    mutationFn: (values: FormValues) => {
      const input = toInput(values);
      if (mode.kind === 'create') return api.post('/standards', { body: input });
      const { code: _code, ...changes } = input;
      if (mode.kind === 'edit') return api.patch('/standards/{id}', { params: { id: mode.source.id }, body: changes });
      return api.post('/standards/{id}/versions', { params: { id: mode.source.id }, body: changes });
    },
    onSuccess: (s) => onSaved(s),
    onError: (err) => {
      // Put each field error the server named beside its field as well as in the box on top.
      const errors = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
      if (errors.length) form.setFields(errors.map((e) => ({ name: fieldName(e.path) as never, errors: [e.message] })));
    },
  });
  const [initial] = useState(() => initialValues(mode));

  const levels = useMemo(() => frameworks.data?.items.find((f) => f.id === frameworkId)?.levels ?? [], [frameworks.data, frameworkId]);
  const institutionOptions = (institutions.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.code} · ${localName(lang, i.nameZh, i.nameEn)}` }));
  // Courses already chosen, so the picker can name them before it has searched.
  const knownCourses = useMemo(() => {
    const m = new Map<string, string>();
    if (mode.kind !== 'create') {
      for (const sub of mode.source.substitutes) {
        if (sub.courseId) m.set(sub.courseId, `${sub.courseCode ?? ''} ${localName(lang, sub.courseTitleZh, sub.courseTitleEn)}`.trim());
      }
    }
    return m;
  }, [mode, lang]);

  // Empty is left to the required rule (or means "no cap").
  const creditRule = {
    validator: (_: unknown, v: string | undefined) =>
      !v || !v.trim() || (CREDIT_RE.test(v.trim()) && Number(v) > 0) ? Promise.resolve() : Promise.reject(new Error(t('standards.form.creditsInvalid'))),
  };
  const required = { required: true, whitespace: true, message: t('standards.form.required') };

  const title =
    mode.kind === 'edit'
      ? t('standards.manage.editTitle', { code: mode.source.code, version: mode.source.version })
      : mode.kind === 'version'
        ? t('standards.manage.versionTitle', { code: mode.source.code, version: mode.source.version })
        : t('standards.manage.createTitle');

  return (
    <Drawer
      open
      onClose={onClose}
      width={820}
      title={title}
      rootClassName="cb-standard-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="standard-form-submit">
            {mode.kind === 'edit' ? t('standards.form.saveDraft') : t('standards.form.createDraft')}
          </Button>
        </Space>
      }
    >
      {mode.kind === 'version' && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          {t('standards.manage.versionHint', { version: mode.source.version })}
        </Typography.Paragraph>
      )}
      {save.isError && <ErrorAlert error={save.error} title={t('standards.manage.saveFailed')} style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} initialValues={initial} layout="vertical" onFinish={(v) => save.mutate(v)} scrollToFirstError requiredMark>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('standards.form.sectionCertificate')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('standards.form.code')}
              tooltip={t('standards.form.codeHelp')}
              rules={[required, { pattern: /^[A-Z0-9][A-Z0-9._-]{1,39}$/, message: t('standards.form.codeInvalid') }]}
              normalize={(v: string) => v?.toUpperCase()}
            >
              <Input className="cb-mono" disabled={mode.kind !== 'create'} placeholder="1X-WEB-M" data-testid="standard-field-code" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="outcomeKind" label={t('standards.form.outcomeKind')} rules={[{ required: true, message: t('standards.form.required') }]}>
              <Select options={OUTCOME_KINDS.map((k) => ({ value: k, label: t(`standards.kind.${k}`) }))} data-testid="standard-field-kind" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="certificateLevel"
              label={t('standards.form.certificateLevel')}
              tooltip={t('standards.form.certificateLevelHelp')}
              rules={[{ max: 80 }]}
            >
              <Input placeholder={t('standards.form.certificateLevelPlaceholder')} data-testid="standard-field-certificate-level" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameZh" label={t('standards.form.nameZh')} rules={[required, { max: 200 }]}>
              <Input lang="zh-CN" data-testid="standard-field-name-zh" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameEn" label={t('standards.form.nameEn')} rules={[required, { max: 200 }]}>
              <Input lang="en" data-testid="standard-field-name-en" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="issuingBody" label={t('standards.form.issuingBody')} rules={[required, { min: 2, max: 200 }]}>
              <Input data-testid="standard-field-issuing-body" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="iscedCode"
              label={t('standards.form.iscedCode')}
              tooltip={t('standards.form.iscedHelp')}
              rules={[required, { pattern: /^\d{2}(\d{1,2})?$/, message: t('standards.form.iscedInvalid') }]}
            >
              <Input className="cb-mono" placeholder="0613" data-testid="standard-field-isced" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="frameworkId" label={t('standards.form.framework')} rules={[{ required: true, message: t('standards.form.required') }]}>
              <Select
                loading={frameworks.isPending}
                options={(frameworks.data?.items ?? []).map((f) => ({ value: f.id, label: `${f.code} · ${localName(lang, f.nameZh, f.nameEn)}` }))}
                onChange={() => form.setFieldValue('level', undefined)}
                data-testid="standard-field-framework"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="level" label={t('standards.form.level')} rules={[{ required: true, message: t('standards.form.required') }]}>
              <Select
                disabled={!frameworkId}
                placeholder={frameworkId ? undefined : t('standards.form.pickFrameworkFirst')}
                options={levels.map((l) => ({ value: l.level, label: `${l.level} · ${localName(lang, l.nameZh, l.nameEn)} · EQF ${l.eqfLevel}` }))}
                data-testid="standard-field-level"
              />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain>
          {t('standards.form.sectionCredits')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="credits" label={t('standards.form.credits')} rules={[required, creditRule]}>
              <Input className="cb-num" inputMode="decimal" placeholder="4" data-testid="standard-field-credits" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="unit" label={t('standards.form.unit')} rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'credit', label: t('standards.unit.credit') },
                  { value: 'ects', label: t('standards.unit.ects') },
                ]}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="institutionId"
              label={t('standards.form.institution')}
              tooltip={t('standards.form.institutionHelp')}
              rules={[{ required: true, message: t('standards.form.required') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={institutions.isPending}
                options={institutionOptions}
                data-testid="standard-field-institution"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="capStandard" label={t('standards.form.capStandard')} tooltip={t('standards.form.capStandardHelp')} rules={[creditRule]}>
              <Input className="cb-num" placeholder={t('standards.form.noCap')} data-testid="standard-field-cap-standard" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="capKind" label={t('standards.form.capKind')} tooltip={t('standards.form.capKindHelp')} rules={[creditRule]}>
              <Input className="cb-num" placeholder={t('standards.form.noCap')} data-testid="standard-field-cap-kind" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="capTotal" label={t('standards.form.capTotal')} tooltip={t('standards.form.capTotalHelp')} rules={[creditRule]}>
              <Input className="cb-num" placeholder={t('standards.form.noCap')} data-testid="standard-field-cap-total" />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain>
          {t('standards.form.sectionSubstitutes')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('standards.form.substitutesHelp')}
        </Typography.Paragraph>
        <Form.List name="substitutes">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => {
                const row = substitutes?.[field.name];
                return (
                  <Row gutter={8} key={field.key} align="top" data-testid={`standard-substitute-${field.name}`}>
                    <Col span={7}>
                      <Form.Item name={[field.name, 'institutionId']} rules={[{ required: true, message: t('standards.form.required') }]}>
                        <Select
                          showSearch
                          optionFilterProp="label"
                          placeholder={t('standards.form.substituteInstitution')}
                          options={institutionOptions}
                          onChange={() => form.setFieldValue(['substitutes', field.name, 'courseId'], undefined)}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[field.name, 'type']} initialValue="course">
                        <Select
                          options={[
                            { value: 'course', label: t('standards.form.substituteCourse') },
                            { value: 'category', label: t('standards.form.substituteCategory') },
                          ]}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={11}>
                      {row?.type === 'category' ? (
                        <Form.Item
                          name={[field.name, 'category']}
                          rules={[{ required: true, whitespace: true, message: t('standards.form.required') }, { max: 80 }]}
                        >
                          <Input placeholder={t('standards.form.categoryPlaceholder')} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[field.name, 'courseId']} rules={[{ required: true, message: t('standards.form.required') }]}>
                          <CourseSelect institutionId={row?.institutionId} known={knownCourses} />
                        </Form.Item>
                      )}
                    </Col>
                    <Col span={1}>
                      <Button type="text" icon={<MinusCircleOutlined />} aria-label={t('standards.form.remove')} onClick={() => remove(field.name)} />
                    </Col>
                  </Row>
                );
              })}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ type: 'course' })}
                disabled={fields.length >= 50}
                data-testid="standard-add-substitute"
              >
                {t('standards.form.addSubstitute')}
              </Button>
            </>
          )}
        </Form.List>

        <Divider orientation="left" plain>
          {t('standards.form.sectionRules')}
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="validityMonths" label={t('standards.form.validityMonths')} tooltip={t('standards.form.validityHelp')}>
              <InputNumber
                min={1}
                max={600}
                precision={0}
                style={{ width: '100%' }}
                placeholder={t('standards.form.noLimit')}
                data-testid="standard-field-validity"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="effectiveFrom" label={t('standards.form.effectiveFrom')} rules={[{ required: true, message: t('standards.form.required') }]}>
              <Input type="date" data-testid="standard-field-effective-from" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="effectiveTo"
              label={t('standards.form.effectiveTo')}
              tooltip={t('standards.form.effectiveToHelp')}
              dependencies={['effectiveFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || v > String(getFieldValue('effectiveFrom') ?? '')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('standards.form.effectiveToInvalid'))),
                }),
              ]}
            >
              <Input type="date" data-testid="standard-field-effective-to" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="evidence"
              label={t('standards.form.evidence')}
              tooltip={t('standards.form.evidenceHelp')}
              rules={[{ type: 'array', max: 10, message: t('standards.form.evidenceTooMany') }]}
            >
              <Select
                mode="tags"
                tokenSeparators={['\n']}
                open={false}
                suffixIcon={null}
                placeholder={t('standards.form.evidencePlaceholder')}
                data-testid="standard-field-evidence"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="descriptionZh" label={t('standards.form.descriptionZh')} rules={[{ max: 4000 }]}>
              <Input.TextArea rows={4} lang="zh-CN" data-testid="standard-field-description-zh" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="descriptionEn" label={t('standards.form.descriptionEn')} rules={[{ max: 4000 }]}>
              <Input.TextArea rows={4} lang="en" data-testid="standard-field-description-en" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
