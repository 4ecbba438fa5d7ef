import { useMemo, useState } from 'react';
import { Alert, Button, Col, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api/client';
import type { Equivalence, NewEquivalence } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutions } from '../standards/present';
import { CourseMultiSelect, GradeInput, courseLabel, institutionLabel, scaleHint, scaleOf, today } from './common';

/** create: a new rule; version: the next version of an active rule, for the same source courses. */
export type EquivalenceFormMode = { kind: 'create' } | { kind: 'version'; source: Equivalence };

interface Values {
  sourceInstitutionId?: string;
  sourceCourseIds: string[];
  targetKind: 'courses' | 'elective';
  targetCourseIds: string[];
  category?: string;
  iscedCode?: string;
  minGrade?: string;
  maxYears?: number | null;
  effectiveFrom: string;
  effectiveTo?: string;
  publicNote?: string;
  privateNote?: string;
}

const ISCED_RE = /^\d{2}(\d{1,2})?$/;

function dayAfter(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function initialValues(mode: EquivalenceFormMode): Partial<Values> {
  if (mode.kind === 'create') return { sourceCourseIds: [], targetKind: 'courses', targetCourseIds: [], effectiveFrom: today(), maxYears: null };
  const e = mode.source;
  const from = e.effectiveFrom.slice(0, 10);
  return {
    sourceInstitutionId: e.sourceInstitution.id,
    sourceCourseIds: e.sourceCourses.map((c) => c.id),
    targetKind: e.target.kind,
    targetCourseIds: e.target.kind === 'courses' ? e.target.courses.map((c) => c.id) : [],
    category: e.target.kind === 'elective' ? e.target.category : undefined,
    iscedCode: e.target.kind === 'elective' ? (e.target.iscedCode ?? undefined) : undefined,
    minGrade: e.minGrade ?? undefined,
    maxYears: e.maxYears,
    // a new version starts after the one it replaces began
    effectiveFrom: today() > from ? today() : dayAfter(from),
    effectiveTo: e.effectiveTo ?? undefined,
    publicNote: e.publicNote,
    privateNote: e.privateNote ?? '',
  };
}

/** The form field a server path names: body.target.courseIds.0 → targetCourseIds. */
function formField(path: string): keyof Values | null {
  const p = path.replace(/^body\.?/, '');
  if (p.startsWith('target.courseIds')) return 'targetCourseIds';
  if (p.startsWith('target.category')) return 'category';
  if (p.startsWith('target.iscedCode')) return 'iscedCode';
  if (p.startsWith('sourceCourseIds')) return 'sourceCourseIds';
  const head = p.split('.')[0] as keyof Values;
  return (['sourceInstitutionId', 'minGrade', 'maxYears', 'effectiveFrom', 'effectiveTo', 'publicNote', 'privateNote'] as const).includes(head as never)
    ? head
    : null;
}

/** Record an equivalence the institution grants to courses of another institution, or a new version of one. */
export function EquivalenceFormDrawer({
  institutionId,
  mode,
  onClose,
  onSaved,
}: {
  institutionId: string;
  mode: EquivalenceFormMode;
  onClose: () => void;
  onSaved: (e: Equivalence) => void;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [form] = Form.useForm<Values>();
  const institutions = useInstitutions();
  const [initial] = useState(() => initialValues(mode));
  const sourceId = Form.useWatch('sourceInstitutionId', form) ?? initial.sourceInstitutionId;
  const targetKind = Form.useWatch('targetKind', form) ?? initial.targetKind;
  const source = institutions.data?.items.find((i) => i.id === sourceId);
  const scale = scaleOf(source);
  const versioning = mode.kind === 'version';

  const known = useMemo(() => {
    const m = new Map<string, string>();
    if (mode.kind === 'version') {
      for (const c of mode.source.sourceCourses) m.set(c.id, courseLabel(lang, c));
      if (mode.source.target.kind === 'courses') for (const c of mode.source.target.courses) m.set(c.id, courseLabel(lang, c));
    }
    return m;
  }, [mode, lang]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body: NewEquivalence = {
        sourceInstitutionId: v.sourceInstitutionId ?? initial.sourceInstitutionId!,
        targetInstitutionId: institutionId,
        sourceCourseIds: v.sourceCourseIds ?? initial.sourceCourseIds!,
        target:
          v.targetKind === 'courses'
            ? { kind: 'courses', courseIds: v.targetCourseIds }
            : { kind: 'elective', category: (v.category ?? '').trim(), iscedCode: v.iscedCode?.trim() || null },
        minGrade: v.minGrade?.trim() || null,
        maxYears: v.maxYears ?? null,
        effectiveFrom: v.effectiveFrom,
        effectiveTo: v.effectiveTo || null,
        publicNote: (v.publicNote ?? '').trim(),
        privateNote: (v.privateNote ?? '').trim(),
        ...(mode.kind === 'version' ? { replaces: mode.source.id } : {}),
      };
      return api.post('/equivalences', { body });
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

  const required = { required: true, message: t('recognition.form.required') };
  const title = versioning ? t('recognition.equivalence.versionTitle', { version: mode.source.version }) : t('recognition.equivalence.createTitle');

  return (
    <Drawer
      open
      onClose={onClose}
      width={760}
      title={title}
      rootClassName="cb-equivalence-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="eq-submit">
            {versioning ? t('recognition.equivalence.saveVersion') : t('recognition.equivalence.save')}
          </Button>
        </Space>
      }
    >
      {versioning && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('recognition.equivalence.versionHelp', { version: mode.source.version })} />
      )}
      {save.isError && <ErrorAlert error={save.error} title={t('recognition.equivalence.saveFailed')} style={{ marginBottom: 16 }} />}
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} scrollToFirstError>
        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('recognition.equivalence.sectionSource')}
        </Divider>
        <Form.Item name="sourceInstitutionId" label={t('recognition.equivalence.field.source')} rules={[required]}>
          <Select
            showSearch
            optionFilterProp="label"
            disabled={versioning}
            loading={institutions.isPending}
            options={(institutions.data?.items ?? []).filter((i) => i.id !== institutionId).map((i) => ({ value: i.id, label: institutionLabel(lang, i) }))}
            onChange={() => form.setFieldsValue({ sourceCourseIds: [], minGrade: undefined })}
            data-testid="eq-field-source"
          />
        </Form.Item>
        <Form.Item
          name="sourceCourseIds"
          label={t('recognition.equivalence.field.sourceCourses')}
          extra={t('recognition.equivalence.field.sourceCoursesHelp')}
          rules={[{ type: 'array', min: 1, message: t('recognition.equivalence.field.sourceCoursesRequired') }]}
        >
          {versioning ? (
            <Select mode="multiple" disabled options={[...known].map(([value, label]) => ({ value, label }))} data-testid="eq-field-sourceCourses" />
          ) : (
            <CourseMultiSelect key={sourceId ?? 'none'} institutionId={sourceId} max={10} testId="eq-field-sourceCourses" />
          )}
        </Form.Item>

        <Divider orientation="left" plain>
          {t('recognition.equivalence.sectionTarget')}
        </Divider>
        <Form.Item name="targetKind" label={t('recognition.equivalence.field.targetKind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'courses', label: t('recognition.equivalence.targetCourses') },
              { value: 'elective', label: t('recognition.equivalence.targetElective') },
            ]}
            data-testid="eq-field-targetKind"
          />
        </Form.Item>
        {targetKind === 'courses' ? (
          <Form.Item
            name="targetCourseIds"
            label={t('recognition.equivalence.field.targetCourses')}
            extra={t('recognition.equivalence.field.targetCoursesHelp')}
            rules={[{ type: 'array', min: 1, message: t('recognition.equivalence.field.targetCoursesRequired') }]}
          >
            <CourseMultiSelect institutionId={institutionId} known={known} max={10} testId="eq-field-targetCourses" />
          </Form.Item>
        ) : (
          <Row gutter={16}>
            <Col span={16}>
              <Form.Item name="category" label={t('recognition.equivalence.field.category')} rules={[{ ...required, whitespace: true }, { max: 80 }]}>
                <Input placeholder={t('recognition.equivalence.field.categoryPlaceholder')} data-testid="eq-field-category" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="iscedCode"
                label={t('recognition.equivalence.field.iscedCode')}
                rules={[
                  {
                    validator: (_, v?: string) =>
                      !v || ISCED_RE.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.iscedInvalid'))),
                  },
                ]}
              >
                <Input className="cb-mono" placeholder="0613" data-testid="eq-field-iscedCode" />
              </Form.Item>
            </Col>
          </Row>
        )}

        <Divider orientation="left" plain>
          {t('recognition.equivalence.sectionConditions')}
        </Divider>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="minGrade"
              label={t('recognition.equivalence.field.minGrade')}
              extra={source ? t('recognition.equivalence.field.minGradeHelp', { scale: scaleHint(t, lang, scale) || '—' }) : undefined}
            >
              <GradeInput scale={scale} placeholder={t('recognition.equivalence.field.anyPass')} testId="eq-field-minGrade" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="maxYears" label={t('recognition.equivalence.field.maxYears')} tooltip={t('recognition.equivalence.field.maxYearsHelp')}>
              <InputNumber
                min={1}
                max={60}
                precision={0}
                style={{ width: '100%' }}
                placeholder={t('recognition.equivalence.field.noLimit')}
                data-testid="eq-field-maxYears"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="effectiveFrom"
              label={t('recognition.equivalence.field.effectiveFrom')}
              extra={t('recognition.equivalence.field.effectiveFromHelp')}
              rules={[required]}
            >
              <Input type="date" data-testid="eq-field-effectiveFrom" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="effectiveTo"
              label={t('recognition.equivalence.field.effectiveTo')}
              dependencies={['effectiveFrom']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || v > String(getFieldValue('effectiveFrom') ?? '') ? Promise.resolve() : Promise.reject(new Error(t('recognition.form.toAfterFrom'))),
                }),
              ]}
            >
              <Input type="date" data-testid="eq-field-effectiveTo" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="publicNote"
              label={t('recognition.equivalence.field.publicNote')}
              tooltip={t('recognition.equivalence.field.publicNoteHelp')}
              rules={[{ max: 2000 }]}
            >
              <Input.TextArea rows={3} data-testid="eq-field-publicNote" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="privateNote"
              label={t('recognition.equivalence.field.privateNote')}
              tooltip={t('recognition.equivalence.field.privateNoteHelp')}
              rules={[{ max: 2000 }]}
            >
              <Input.TextArea rows={3} data-testid="eq-field-privateNote" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
