import { Space, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResultStatus } from '../api/types';

/** Statuses with no result: never a pass, no grade. */
const NO_RESULT: ResultStatus[] = ['absent', 'deferred', 'absent_unexcused', 'barred', 'misconduct'];

/** A result status in the UI language: 缺考 / absent. */
export function resultStatusText(t: TFunction, status: ResultStatus): string {
  return t(`outcomes.resultStatus.${status}`);
}

/** "86", "75 补考", "缺考": a result's grade, and its status when it is not a normal result (or has no grade). */
export function resultText(t: TFunction, o: { grade: string | null; resultStatus?: ResultStatus }): string {
  const status = o.resultStatus ?? 'normal';
  if (status === 'normal') return o.grade ?? '—';
  return o.grade ? `${o.grade} ${resultStatusText(t, status)}` : resultStatusText(t, status);
}

/** The grade of a course result, with its status as a tag where it is not a normal result. */
export function ResultGrade({ grade, resultStatus = 'normal' }: { grade: string | null; resultStatus?: ResultStatus }) {
  const { t } = useTranslation();
  const tag =
    resultStatus === 'normal' ? null : (
      <Tag
        bordered={false}
        color={NO_RESULT.includes(resultStatus) ? 'warning' : resultStatus === 'exempted' || resultStatus === 'exam_exempted' ? 'blue' : 'default'}
        data-testid="result-status"
        data-status={resultStatus}
        style={{ marginInlineEnd: 0 }}
      >
        {resultStatusText(t, resultStatus)}
      </Tag>
    );
  if (!grade) return tag ?? <span>—</span>;
  return tag ? (
    <Space size={4}>
      <span>{grade}</span>
      {tag}
    </Space>
  ) : (
    <span>{grade}</span>
  );
}
