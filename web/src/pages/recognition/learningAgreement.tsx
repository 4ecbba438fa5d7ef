// Pieces the learning-agreement pages share (exchange mobility: learner, home and host institution
// agree in advance which host courses replace which home courses): queries, who plays which part,
// the state of an agreement, the editor of its lines and the view of one version.
import { Button, Col, Form, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowRightOutlined, CheckCircleFilled, ClockCircleOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { LA_PARTS, type CourseRef, type LearningAgreement, type LearningAgreementPart, type LearningAgreementVersion } from '../../api/recognition';
import type { Me } from '../../api/types';
import { formatDateTime, localName } from '../../format';
import type { Language } from '../../i18n';
import { useLanguage } from '../../i18n/useLanguage';
import { useInstitutions } from '../standards/present';
import { CourseMultiSelect, CourseName, courseLabel, creditsText } from './common';
import { fromHundredths, toHundredths } from './credits';

export const LA_KEY = ['learning-agreements'] as const;
export const MY_LA_KEY = ['learning-agreements', 'mine'] as const;
export const laKey = (id: string | undefined) => ['learning-agreements', 'one', id] as const;

export function useMyLearningAgreements() {
  return useQuery({
    queryKey: MY_LA_KEY,
    queryFn: ({ signal }) => api.get('/me/learning-agreements', { signal }),
  });
}

export function useLearningAgreement(id: string | undefined) {
  return useQuery({
    queryKey: laKey(id),
    enabled: Boolean(id),
    queryFn: ({ signal }) => api.get('/learning-agreements/{id}', { params: { id: id ?? '' }, signal }),
  });
}

/** The parts the signed-in user plays, as the server counts them: the learner signs only as the learner. */
export function myParts(me: Me, a: Pick<LearningAgreement, 'learnerId' | 'homeInstitution' | 'hostInstitution'>): LearningAgreementPart[] {
  if (me.learnerId && me.learnerId === a.learnerId) return ['learner'];
  const registrarAt = (id: string) => me.roles.some((r) => r.role === 'registrar' && r.institutionId === id);
  const parts: LearningAgreementPart[] = [];
  if (registrarAt(a.homeInstitution.id)) parts.push('home');
  if (registrarAt(a.hostInstitution.id)) parts.push('host');
  return parts;
}

/** Who has not accepted a version yet. */
export function waitingFor(v: LearningAgreementVersion | null): LearningAgreementPart[] {
  return v ? LA_PARTS.filter((p) => !v.accepted[p]) : [];
}

/**
 * proposed: nothing binds yet; binding: one version binds and nothing waits; changing: a version
 * binds and a change waits; withdrawn.
 */
export type LaState = 'proposed' | 'binding' | 'changing' | 'withdrawn';

export function laState(a: Pick<LearningAgreement, 'status' | 'current' | 'pending'>): LaState {
  if (a.status === 'withdrawn') return 'withdrawn';
  if (!a.current) return 'proposed';
  return a.pending ? 'changing' : 'binding';
}

const STATE_COLORS: Record<LaState, string> = { proposed: 'gold', binding: 'success', changing: 'processing', withdrawn: 'default' };

export function LaStateTag({ a }: { a: Pick<LearningAgreement, 'status' | 'current' | 'pending'> }) {
  const { t } = useTranslation();
  const state = laState(a);
  return (
    <Tooltip title={t(`recognition.la.stateHelp.${state}`)}>
      <Tag color={STATE_COLORS[state]} bordered={false} style={{ marginInlineEnd: 0 }} data-testid="la-state" data-state={state}>
        {t(`recognition.la.state.${state}`, { version: a.current?.version ?? 0 })}
      </Tag>
    </Tooltip>
  );
}

/** "学习者 张三" / "Home institution HXU". */
export function partName(t: TFunction, a: Pick<LearningAgreement, 'learnerName' | 'homeInstitution' | 'hostInstitution'>, part: LearningAgreementPart): string {
  const who = part === 'learner' ? a.learnerName : part === 'home' ? a.homeInstitution.code : a.hostInstitution.code;
  return t(`recognition.la.partOf.${part}`, { who });
}

/** "您、派出学校 HXU" — the parties still to accept, named; the reader's own parts as "you". */
export function waitingText(
  t: TFunction,
  a: Pick<LearningAgreement, 'learnerName' | 'homeInstitution' | 'hostInstitution'>,
  parts: LearningAgreementPart[],
  mine: LearningAgreementPart[] = [],
): string {
  const you = parts.some((p) => mine.includes(p)) ? [t('recognition.la.you')] : [];
  return [...you, ...parts.filter((p) => !mine.includes(p)).map((p) => partName(t, a, p))].join(t('recognition.la.listSeparator'));
}

/** A line's identity, to tell which lines a change adds or drops. */
export const lineKey = (l: { hostCourses: CourseRef[]; homeCourses: CourseRef[] }) =>
  `${l.hostCourses
    .map((c) => c.id)
    .sort()
    .join('+')}>${l.homeCourses
    .map((c) => c.id)
    .sort()
    .join('+')}`;

/** "7.5 ECTS 学分" — the credits of several courses of one institution, added exactly. */
function sumText(t: TFunction, courses: CourseRef[], unit: 'credit' | 'ects' | undefined): string {
  let total = 0;
  for (const c of courses) total += toHundredths(c.credits) ?? 0;
  return creditsText(t, fromHundredths(total), unit ?? null);
}

type LineRow = LearningAgreementVersion['lines'][number] & { no: number; key: string };

/**
 * The lines of one version: the host courses the learner takes → the home courses they replace.
 * `mark` tags lines a change adds (in the change) or drops (in the version it would replace).
 */
export function VersionLines({
  a,
  version,
  mark,
  testId,
}: {
  a: LearningAgreement;
  version: LearningAgreementVersion;
  mark?: { others: Set<string>; tag: 'added' | 'dropped' };
  testId?: string;
}) {
  const { t } = useTranslation();
  const institutions = useInstitutions();
  const unitOf = (id: string) => institutions.data?.items.find((i) => i.id === id)?.creditSystem?.unit;
  const hostUnit = unitOf(a.hostInstitution.id);
  const homeUnit = unitOf(a.homeInstitution.id);
  const rows: LineRow[] = version.lines.map((l, i) => ({ ...l, no: i + 1, key: lineKey(l) }));
  const courses = (cs: CourseRef[], unit: 'credit' | 'ects' | undefined) => (
    <Space direction="vertical" size={2}>
      {cs.map((c) => (
        <CourseName key={c.id} c={c} extra={creditsText(t, c.credits, unit ?? null)} />
      ))}
    </Space>
  );
  const columns: ColumnsType<LineRow> = [
    { title: '#', dataIndex: 'no', width: 36, render: (n: number) => <span className="cb-num">{n}</span> },
    {
      title: t('recognition.la.col.host', { code: a.hostInstitution.code }),
      key: 'host',
      render: (_, l) => (
        <Space align="start" size={6}>
          {courses(l.hostCourses, hostUnit)}
          {mark && !mark.others.has(l.key) && (
            <Tag color={mark.tag === 'added' ? 'blue' : 'default'} bordered={false} data-testid={`la-line-${mark.tag}`}>
              {t(`recognition.la.line.${mark.tag}`)}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: '', key: 'arrow', width: 28, render: () => <ArrowRightOutlined style={{ color: '#8c8c8c' }} /> },
    { title: t('recognition.la.col.home', { code: a.homeInstitution.code }), key: 'home', render: (_, l) => courses(l.homeCourses, homeUnit) },
  ];
  const allHost = version.lines.flatMap((l) => l.hostCourses);
  const allHome = version.lines.flatMap((l) => l.homeCourses);
  return (
    <Table<LineRow>
      data-testid={testId}
      rowKey="no"
      size="small"
      columns={columns}
      dataSource={rows}
      pagination={false}
      rowClassName={(l) => (mark?.tag === 'dropped' && !mark.others.has(l.key) ? 'cb-row-muted' : '')}
      onRow={(l) =>
        ({
          'data-testid': 'la-line',
          'data-host': l.hostCourses.map((c) => c.code).join('+'),
          'data-home': l.homeCourses.map((c) => c.code).join('+'),
        }) as React.HTMLAttributes<HTMLElement>
      }
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} />
          <Table.Summary.Cell index={1}>
            <Typography.Text type="secondary" data-testid="la-total-host">
              {t('recognition.la.total', { credits: sumText(t, allHost, hostUnit) })}
            </Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} />
          <Table.Summary.Cell index={3}>
            <Typography.Text type="secondary" data-testid="la-total-home">
              {t('recognition.la.total', { credits: sumText(t, allHome, homeUnit) })}
            </Typography.Text>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

/** The three acceptances of a version: who, and when (or not yet). */
export function Acceptances({ a, version }: { a: LearningAgreement; version: LearningAgreementVersion }) {
  const { t } = useTranslation();
  return (
    <Space size={[20, 6]} wrap>
      {LA_PARTS.map((part) => {
        const at = version.accepted[part];
        return (
          <span
            key={part}
            data-testid={`la-accepted-${part}`}
            data-accepted={at ? 'yes' : 'no'}
            style={{ display: 'inline-flex', gap: 6, alignItems: 'baseline' }}
          >
            {at ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <ClockCircleOutlined style={{ color: '#faad14' }} />}
            <span>
              {partName(t, a, part)}
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {at ? t('recognition.la.acceptedAt', { at: formatDateTime(at) }) : t('recognition.la.notAccepted')}
              </Typography.Text>
            </span>
          </span>
        );
      })}
    </Space>
  );
}

/** Course names by id, from the versions of an agreement, so a prefilled editor shows names. */
export function knownCourses(lang: Language, a: LearningAgreement | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of a?.versions ?? []) for (const l of v.lines) for (const c of [...l.hostCourses, ...l.homeCourses]) out.set(c.id, courseLabel(lang, c));
  return out;
}

export interface LineValues {
  hostCourseIds: string[];
  homeCourseIds: string[];
}

/**
 * The lines of a proposal or change, as a Form.List named `lines`: each line takes host courses
 * (searched in the host's catalogue) and the home courses they replace.
 */
export function LinesEditor({
  homeId,
  hostId,
  homeCode,
  hostCode,
  known,
}: {
  homeId?: string;
  hostId?: string;
  homeCode?: string;
  hostCode?: string;
  known?: Map<string, string>;
}) {
  const { t } = useTranslation();
  const atLeastOne = {
    validator: (_: unknown, v?: string[]) => ((v ?? []).length > 0 ? Promise.resolve() : Promise.reject(new Error(t('recognition.la.pickOne')))),
  };
  return (
    <Form.List
      name="lines"
      rules={[
        { validator: (_, lines?: LineValues[]) => ((lines ?? []).length > 0 ? Promise.resolve() : Promise.reject(new Error(t('recognition.la.needLine')))) },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <>
          <Row gutter={12} style={{ marginBottom: 4 }}>
            <Col span={11}>
              <Typography.Text strong>{t('recognition.la.col.host', { code: hostCode ?? '—' })}</Typography.Text>
            </Col>
            <Col span={11} offset={1}>
              <Typography.Text strong>{t('recognition.la.col.home', { code: homeCode ?? '—' })}</Typography.Text>
            </Col>
          </Row>
          {fields.map((field) => (
            <Row key={field.key} gutter={12} align="top" data-testid="la-line-edit">
              <Col span={11}>
                <Form.Item name={[field.name, 'hostCourseIds']} rules={[atLeastOne]}>
                  <CourseMultiSelect institutionId={hostId} known={known} max={10} testId="la-line-host" placeholder={t('recognition.la.pickHost')} />
                </Form.Item>
              </Col>
              <Col span={1} style={{ textAlign: 'center', lineHeight: '32px' }}>
                <ArrowRightOutlined style={{ color: '#8c8c8c' }} />
              </Col>
              <Col span={10}>
                <Form.Item name={[field.name, 'homeCourseIds']} rules={[atLeastOne]}>
                  <CourseMultiSelect institutionId={homeId} known={known} max={10} testId="la-line-home" placeholder={t('recognition.la.pickHome')} />
                </Form.Item>
              </Col>
              <Col span={2}>
                <Tooltip title={t('recognition.remove')}>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('recognition.remove')}
                    disabled={fields.length === 1}
                    onClick={() => remove(field.name)}
                    data-testid="la-remove-line"
                  />
                </Tooltip>
              </Col>
            </Row>
          ))}
          <Form.ErrorList errors={errors} />
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ hostCourseIds: [], homeCourseIds: [] })}
            disabled={fields.length >= 30}
            data-testid="la-add-line"
          >
            {t('recognition.la.addLine')}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** "HXU → UNH" with the full names on hover. */
export function LaRoute({ a }: { a: Pick<LearningAgreement, 'homeInstitution' | 'hostInstitution'> }) {
  const [lang] = useLanguage();
  return (
    <Tooltip
      title={`${localName(lang, a.homeInstitution.nameZh, a.homeInstitution.nameEn)} → ${localName(lang, a.hostInstitution.nameZh, a.hostInstitution.nameEn)}`}
    >
      <span className="cb-mono cb-nowrap">
        {a.homeInstitution.code} <ArrowRightOutlined style={{ fontSize: 11, color: '#8c8c8c' }} /> {a.hostInstitution.code}
      </span>
    </Tooltip>
  );
}
