// An agreement's pass/fail rules: for each party whose grading scale is pass/fail (Pass/Fail,
// 合格/不合格), what its Pass becomes on the other parties' graded scales. A Pass says a course was
// passed, not how well, so it is never made a number by grading tables or formulas: left empty, such a
// line goes to the receiving registrar, who decides it. Between pass/fail scales a Pass stays a Pass.
import { Card, Form, Space, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { GradeTableFrom } from '../../api/recognition';
import type { Institution } from '../../api/types';
import { GradeInput, scaleOf, type ScaleDef } from './common';

/** Form values: the grade a party's Pass becomes, by the party's id (empty: an evaluator decides). */
export type PassFailValues = Record<string, string | undefined>;

/** A scale that says only pass or fail: the pass_fail type, or levels of which one passes (合格/不合格). */
export function isPassFailScale(scale: ScaleDef | null): boolean {
  return scale?.type === 'pass_fail' || (scale?.type === 'levels' && scale.levels.filter((l) => l.passing).length === 1);
}

/** How a pass/fail scale writes its pass. */
export function passWord(scale: ScaleDef | null): string {
  return scale?.type === 'levels' ? (scale.levels.find((l) => l.passing)?.code ?? 'Pass') : 'Pass';
}

/** The request's pass/fail rules from the form's values, for the parties with a pass/fail scale, in their order. */
export function passFailBody(parties: Institution[], values: PassFailValues | undefined): GradeTableFrom[] {
  return parties
    .filter((p) => isPassFailScale(scaleOf(p)) && values?.[p.id]?.trim())
    .map((p) => ({ from: p.id, table: { type: 'pass_fail' as const, pass: values![p.id]!.trim() } }));
}

/** One rule per party with a pass/fail scale; nothing when no party has one. */
export function PassFailRulesEditor({ parties }: { parties: Institution[] }) {
  const { t } = useTranslation();
  const pf = parties.filter((p) => isPassFailScale(scaleOf(p)));
  if (pf.length === 0 || parties.length < 2) return null;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="agr-pass-fail">
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('recognition.passFail.help')}
      </Typography.Paragraph>
      {pf.map((from) => {
        const graded = parties.filter((p) => p.id !== from.id && !isPassFailScale(scaleOf(p)));
        // one receiving graded party: its scale guides the grade; several may differ, so free text
        const toScale = graded.length === 1 ? scaleOf(graded[0]) : null;
        // a levels scale's own word for its pass (合格); the pass_fail type's in the UI language
        const pass = scaleOf(from)?.type === 'levels' ? passWord(scaleOf(from)) : t('recognition.passFail.pass');
        return (
          <Card size="small" key={from.id} data-testid={`agr-pf-${from.code}`} title={t('recognition.passFail.direction', { from: from.code, pass })}>
            {graded.length === 0 ? (
              <Typography.Text type="secondary">{t('recognition.passFail.allPassFail', { pass })}</Typography.Text>
            ) : (
              <Space align="start" wrap>
                <Typography.Text style={{ lineHeight: '32px' }}>
                  {from.code} {pass} <ArrowRightOutlined style={{ color: '#8c8c8c' }} /> {graded.map((g) => g.code).join(t('recognition.la.listSeparator'))}
                </Typography.Text>
                <Form.Item name={['passFailRules', from.id]} style={{ marginBottom: 0 }} extra={t('recognition.passFail.emptyHelp')}>
                  <GradeInput scale={toScale} placeholder={t('recognition.passFail.placeholder')} style={{ width: 200 }} testId={`agr-pf-${from.code}-pass`} />
                </Form.Item>
              </Space>
            )}
          </Card>
        );
      })}
    </Space>
  );
}
