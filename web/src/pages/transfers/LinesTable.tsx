import type { ReactNode } from 'react';
import { Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TransferApplication, TransferLine } from '../../api/transfers';
import { Proposal, SourceCourse } from './common';

/**
 * One row per line: the source course and its credits → what the rules proposed → the decision
 * (shown, or, for the registrar, taken). Rows carry data-testid="transfer-line", data-line (its
 * number), data-course and data-status (the line's status).
 */
export function LinesTable({
  app,
  decisionTitle,
  decision,
  decisionWidth = 300,
  showInstitution = true,
}: {
  app: TransferApplication;
  decisionTitle: string;
  decision: (line: TransferLine) => ReactNode;
  decisionWidth?: number;
  showInstitution?: boolean;
}) {
  const { t } = useTranslation();
  const codes = new Set(app.lines.map((l) => l.course.code));
  const columns: ColumnsType<TransferLine> = [
    { title: '#', dataIndex: 'lineNo', width: 44, align: 'right', render: (n: number) => <span className="cb-num">{n}</span> },
    { title: t('transfer.line.source'), key: 'source', width: 240, render: (_, l) => <SourceCourse line={l} showInstitution={showInstitution} /> },
    {
      key: 'arrow',
      width: 28,
      render: () => (
        <Typography.Text type="secondary">
          <ArrowRightOutlined />
        </Typography.Text>
      ),
    },
    { title: t('transfer.line.proposal'), key: 'proposal', width: 300, render: (_, l) => <Proposal v={l.proposal} codesInApplication={codes} /> },
    { title: decisionTitle, key: 'decision', width: decisionWidth, render: (_, l) => decision(l) },
  ];
  return (
    <Table<TransferLine>
      data-testid="transfer-lines"
      rowKey="lineNo"
      size="middle"
      columns={columns}
      dataSource={app.lines}
      pagination={false}
      scroll={{ x: 240 + 300 + decisionWidth + 72 }}
      onRow={(l) =>
        ({
          'data-testid': 'transfer-line',
          'data-line': l.lineNo,
          'data-course': l.course.code,
          'data-status': l.status,
          style: { verticalAlign: 'top' },
        }) as React.HTMLAttributes<HTMLElement>
      }
    />
  );
}
