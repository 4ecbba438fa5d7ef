// Pieces the mutual-recognition pages share: status tags, names, course pickers, grade inputs and
// the dialog that asks for a reason.
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Form, Input, Modal, Select, Tag, Tooltip, Typography, type ButtonProps } from 'antd';
import { CheckCircleFilled, ClockCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Course, Institution } from '../../api/types';
import type { Agreement, CourseRef, InstitutionRef, TaskStatus, VerdictStatus } from '../../api/recognition';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDecimal, localName } from '../../format';
import type { Language } from '../../i18n';
import { useLanguage } from '../../i18n/useLanguage';

export const today = () => new Date().toISOString().slice(0, 10);

/** "HXU · 华夏大学" */
export function institutionLabel(lang: Language, i: Pick<InstitutionRef, 'code' | 'nameZh' | 'nameEn'>): string {
  return `${i.code} · ${localName(lang, i.nameZh, i.nameEn)}`;
}

/** "CS2011 数据结构" */
export function courseLabel(lang: Language, c: Pick<CourseRef, 'code' | 'titleZh' | 'titleEn'>): string {
  return `${c.code} ${localName(lang, c.titleZh, c.titleEn)}`;
}

/** "3 学分" / "3 ECTS credits" */
export function creditsText(t: TFunction, amount: string | null | undefined, unit: 'credit' | 'ects' | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  return unit ? `${formatDecimal(amount)} ${t(`unitLabel.${unit}`)}` : formatDecimal(amount);
}

/** A course's code and title, with the title in the other language underneath. */
export function CourseName({ c, extra }: { c: Pick<CourseRef, 'code' | 'titleZh' | 'titleEn'>; extra?: React.ReactNode }) {
  const [lang] = useLanguage();
  return (
    <span style={{ display: 'inline-flex', flexDirection: 'column' }}>
      <span>
        <span className="cb-mono">{c.code}</span> {localName(lang, c.titleZh, c.titleEn)}
      </span>
      {extra && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {extra}
        </Typography.Text>
      )}
    </span>
  );
}

const VERDICT_STYLE: Record<VerdictStatus, { color?: string; style?: CSSProperties; icon: React.ReactNode }> = {
  match: { color: 'success', icon: <CheckCircleFilled /> },
  maybe: { color: 'warning', icon: <ClockCircleFilled /> },
  // grey, with red lettering: a plain "no", not an error on the page
  miss: { style: { background: '#f5f5f5', color: '#a8071a' }, icon: <CloseCircleFilled /> },
};

/** Match 可转换 / Maybe 待评估 / Miss 不可转换, with what it means on hover. */
export function VerdictTag({ status }: { status: VerdictStatus }) {
  const { t } = useTranslation();
  const s = VERDICT_STYLE[status];
  return (
    <Tooltip title={t(`recognition.verdictHelp.${status}`)}>
      <Tag color={s.color} style={{ marginInlineEnd: 0, fontWeight: 500, ...s.style }} bordered={false} icon={s.icon} data-testid="tc-status">
        {t(`recognition.verdict.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/** Whether an agreement in force is not yet, or no longer, valid today. */
export function agreementPhase(a: Pick<Agreement, 'status' | 'validFrom' | 'validTo'>): 'upcoming' | 'expired' | null {
  if (a.status !== 'in_force') return null;
  const d = today();
  if (a.validFrom > d) return 'upcoming';
  if (a.validTo && a.validTo <= d) return 'expired';
  return null;
}

const AGREEMENT_COLORS: Record<Agreement['status'], string> = { proposed: 'gold', in_force: 'success', terminated: 'default' };

export function AgreementStatusTag({ a }: { a: Pick<Agreement, 'status' | 'validFrom' | 'validTo'> }) {
  const { t } = useTranslation();
  const phase = agreementPhase(a);
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
      <Tooltip title={t(`recognition.agreement.statusHelp.${a.status}`)}>
        <Tag color={AGREEMENT_COLORS[a.status]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="agr-status" data-status={a.status}>
          {t(`recognition.agreement.status.${a.status}`)}
        </Tag>
      </Tooltip>
      {phase && (
        <Tag color={phase === 'upcoming' ? 'processing' : 'default'} bordered={false} style={{ marginInlineEnd: 0 }}>
          {t(`recognition.agreement.phase.${phase}`)}
        </Tag>
      )}
    </span>
  );
}

const TASK_COLORS: Record<TaskStatus, string> = { open: 'warning', match: 'success', no_match: 'default' };

export function TaskStatusTag({ status }: { status: TaskStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={TASK_COLORS[status]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="ev-status" data-status={status}>
      {t(`recognition.task.status.${status}`)}
    </Tag>
  );
}

export function useProgrammes(institutionId: string | null | undefined) {
  return useQuery({
    queryKey: ['programmes', institutionId],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/programmes', { params: { id: institutionId ?? '' }, signal }),
    staleTime: 5 * 60_000,
  });
}

/**
 * Several courses of one institution, searched by code or title as one types. Courses already
 * picked keep their names while the search shows others; `onPicked` hands back the course records.
 */
export function CourseMultiSelect({
  institutionId,
  value,
  onChange,
  onPicked,
  known,
  max = 50,
  placeholder,
  testId,
  style,
  'aria-label': ariaLabel,
}: {
  institutionId?: string | null;
  value?: string[];
  onChange?: (ids: string[]) => void;
  onPicked?: (courses: Course[]) => void;
  /** Names of courses picked before (a rule's current courses), by id. */
  known?: Map<string, string>;
  max?: number;
  placeholder?: string;
  testId?: string;
  style?: CSSProperties;
  /** What the field is, for screen readers; the placeholder by default. */
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  const [q, setQ] = useState('');
  const [seen, setSeen] = useState<Map<string, Course>>(() => new Map());
  const courses = useQuery({
    queryKey: ['courses', 'pick', institutionId, q],
    enabled: Boolean(institutionId),
    queryFn: ({ signal }) => api.get('/institutions/{id}/courses', { params: { id: institutionId ?? '' }, query: { q: q.trim(), limit: 50 }, signal }),
    placeholderData: (prev) => prev,
  });
  // Remember every course the search has shown, so a picked one keeps its name.
  useEffect(() => {
    const items = courses.data?.items ?? [];
    if (items.some((c) => !seen.has(c.id))) {
      setSeen((prev) => {
        const next = new Map(prev);
        for (const c of items) next.set(c.id, c);
        return next;
      });
    }
  }, [courses.data, seen]);
  const selected = useMemo(() => value ?? [], [value]);
  const options = useMemo(() => {
    const shown = (courses.data?.items ?? []).filter((c) => c.status === 'active' || selected.includes(c.id));
    const opts = shown.map((c) => ({ value: c.id, label: courseLabel(lang, c) }));
    for (const id of selected) {
      if (!opts.some((o) => o.value === id)) {
        const c = seen.get(id);
        opts.unshift({ value: id, label: c ? courseLabel(lang, c) : (known?.get(id) ?? id) });
      }
    }
    return opts;
  }, [courses.data, selected, seen, known, lang]);

  return (
    <Select
      mode="multiple"
      showSearch
      allowClear
      filterOption={false}
      disabled={!institutionId}
      aria-label={ariaLabel ?? placeholder ?? t('recognition.pickCourses')}
      placeholder={institutionId ? (placeholder ?? t('recognition.pickCourses')) : t('recognition.pickInstitutionFirst')}
      value={selected}
      onChange={(ids: string[]) => {
        const next = ids.slice(0, max);
        onChange?.(next);
        onPicked?.(next.map((id) => seen.get(id)).filter((c): c is Course => Boolean(c)));
        setQ('');
      }}
      onSearch={setQ}
      searchValue={q}
      loading={courses.isFetching}
      options={options}
      notFoundContent={courses.isFetching ? null : t('recognition.noCourse')}
      maxTagCount="responsive"
      style={{ width: '100%', ...style }}
      data-testid={testId}
    />
  );
}

export type ScaleDef =
  | { type: 'percentage'; passMin: number; decimals: number }
  | { type: 'levels'; levels: { code: string; labelZh: string; labelEn: string; passing: boolean }[] }
  | { type: 'numeric'; best: number; worst: number; pass: number; decimals: number }
  | { type: 'pass_fail' };

/** The institution's grading scale in force, if it declared one. */
export function scaleOf(inst: Institution | undefined): ScaleDef | null {
  const def = inst?.gradingScales[0]?.definition as ScaleDef | undefined;
  return def && typeof def === 'object' && 'type' in def ? def : null;
}

/** "60–100" / "优 良 中 及格" / "1–5 (1 best)": what a grade in this scale looks like. */
export function scaleHint(t: TFunction, lang: Language, scale: ScaleDef | null): string {
  if (!scale) return '';
  switch (scale.type) {
    case 'percentage':
      return t('recognition.scale.percentage', { min: scale.passMin });
    case 'levels':
      return scale.levels
        .filter((l) => l.passing)
        .map((l) => l.code)
        .join(' / ');
    case 'numeric':
      return t('recognition.scale.numeric', { best: scale.best, worst: scale.worst, pass: scale.pass });
    case 'pass_fail':
      return t('recognition.scale.passFail');
  }
  return '';
}

/** A passing grade in the scale: the levels to choose from, or a box to type a mark into. */
export function GradeInput({
  scale,
  value,
  onChange,
  placeholder,
  testId,
  style,
}: {
  scale: ScaleDef | null;
  value?: string | null;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  testId?: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const [lang] = useLanguage();
  if (scale?.type === 'levels' || scale?.type === 'pass_fail') {
    const options =
      scale.type === 'levels'
        ? scale.levels
            .filter((l) => l.passing)
            .map((l) => ({
              value: l.code,
              label: l.code === localName(lang, l.labelZh, l.labelEn) ? l.code : `${l.code} · ${localName(lang, l.labelZh, l.labelEn)}`,
            }))
        : [{ value: 'Pass', label: t('recognition.scale.pass') }];
    return (
      <Select
        allowClear
        value={value ?? undefined}
        onChange={(v?: string) => onChange?.(v)}
        options={options}
        placeholder={placeholder}
        style={style}
        data-testid={testId}
      />
    );
  }
  return (
    <Input
      allowClear
      value={value ?? ''}
      onChange={(e) => onChange?.(e.target.value.trim() ? e.target.value : undefined)}
      placeholder={placeholder ?? scaleHint(t, lang, scale)}
      inputMode="decimal"
      style={style}
      data-testid={testId}
    />
  );
}

/**
 * Asks why, then posts `{ reason }` to `path`. Used to terminate an agreement and to retire an
 * equivalence; `testPrefix` names its box and button (`<prefix>-reason`, `<prefix>-confirm`).
 */
export function ReasonModal<T>({
  open,
  title,
  help,
  okText,
  submit,
  testPrefix,
  onClose,
  onDone,
}: {
  open: boolean;
  title: string;
  help?: string;
  okText: string;
  /** Sends the reason; resolves to what the server answers. */
  submit: (reason: string) => Promise<T>;
  testPrefix: string;
  onClose: () => void;
  onDone: (result: T) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const act = useMutation({
    mutationFn: submit,
    onSuccess: (r) => {
      onDone(r);
      onClose();
    },
  });
  useEffect(() => {
    if (open) {
      form.resetFields();
      act.reset();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reset once per opening
  }, [open]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, 'data-testid': `${testPrefix}-confirm` } as ButtonProps}
      confirmLoading={act.isPending}
      onOk={() => void form.validateFields().then((v) => act.mutate(v.reason.trim()))}
      destroyOnHidden
    >
      {help && <Typography.Paragraph type="secondary">{help}</Typography.Paragraph>}
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('recognition.reasonLabel')}
          rules={[
            { required: true, whitespace: true, message: t('recognition.reasonRequired') },
            { min: 3, message: t('recognition.reasonShort') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid={`${testPrefix}-reason`} />
        </Form.Item>
      </Form>
      {act.isError && <ErrorAlert error={act.error} title={t('recognition.actionFailed')} />}
    </Modal>
  );
}
