// A monthly quality report as a PDF: the month's indicators with their definitions, a year's trend
// as bars and a table, the institution pairs, grade-conversion spread, workflows and the commonest
// reasons for refusal. Chinese and English side by side, as the spreadsheet has them.
import { pdfDocument } from '../../pdf.js';
import type { monthlyTrend, Report } from './service.js';

type TrendRow = Awaited<ReturnType<typeof monthlyTrend>>[number];

const WITHHELD = '已隐藏 withheld';
const WORKFLOWS: Record<string, string> = { certification: '学习成果认定 Certification', transfer: '学分转换 Transfer', award: '学历学位授予 Award' };

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'days':
      return value < 0.1 ? '< 0.1' : value.toFixed(1);
    case 'score':
      return value.toFixed(2);
    case 'semesters':
      return value.toFixed(1);
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }
}

export async function reportPdf(r: { title: string; month: string; report: Report; trend: TrendRow[]; generatedAt: Date }): Promise<Buffer> {
  const { doc, write, done } = await pdfDocument({ Title: `Quality report ${r.month}` });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const room = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };
  /** A table: columns as fractions of the width; the header in bold. */
  const table = (columns: [string, number][], rows: string[][]) => {
    const line = (cells: string[], bold: boolean) => {
      room(18);
      const y = doc.y;
      let x = left;
      let bottom = y;
      cells.forEach((c, i) => {
        const w = columns[i]![1] * width;
        doc.x = x;
        doc.y = y;
        write(c, 8, { bold, layout: { width: w - 6 } });
        bottom = Math.max(bottom, doc.y);
        x += w;
      });
      doc.x = left;
      doc.y = bottom + 3;
    };
    line(
      columns.map((c) => c[0]),
      true,
    );
    doc
      .moveTo(left, doc.y - 1)
      .lineTo(left + width, doc.y - 1)
      .strokeColor('#d9d9d9')
      .stroke();
    for (const row of rows) line(row, false);
    doc.moveDown(0.8);
  };
  const heading = (text: string) => {
    room(60);
    doc.x = left;
    write(text, 12, { bold: true, gap: 0.3 });
  };

  write('学分银行 · 质量报告  Credit Bank · Quality report', 10, { color: '#595959', gap: 0.4 });
  write(r.title, 18, { bold: true, gap: 0.3 });
  write(`${r.month}（${r.report.period.from} 至 to ${r.report.period.to}，不含 exclusive）`, 12, { gap: 0.3 });
  write(
    `生成于 Generated ${r.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC · 少于 ${r.report.minCell} 名学习者的单元格已隐藏 Cells about fewer than ${r.report.minCell} learners are withheld`,
    8,
    { color: '#8c8c8c', gap: 1 },
  );

  heading('指标 Indicators');
  table(
    [
      ['指标 Indicator', 0.34],
      ['数值 Value', 0.12],
      ['口径 Definition', 0.54],
    ],
    r.report.indicators.map((i) => [`${i.titleZh}\n${i.titleEn}`, formatValue(i.value, i.unit), `${i.formulaZh}\n${i.formulaEn}`]),
  );

  heading('近十二个月 The last twelve months');
  // bars: certification decisions and transfer decisions per month
  const max = Math.max(1, ...r.trend.map((t) => Math.max(t.decided ?? 0, t.transfers ?? 0)));
  room(150);
  const top = doc.y;
  const h = 100;
  const slot = width / r.trend.length;
  r.trend.forEach((t, i) => {
    const x = left + i * slot;
    const bar = (value: number | null, dx: number, color: string) => {
      const bh = ((value ?? 0) / max) * h;
      if (bh > 0) doc.rect(x + dx, top + h - bh, slot * 0.3, bh).fill(color);
    };
    bar(t.decided, slot * 0.15, '#1677ff');
    bar(t.transfers, slot * 0.5, '#13c2c2');
    doc.x = x;
    doc.y = top + h + 4;
    write(t.month.slice(2), 7, { color: '#595959', layout: { width: slot, align: 'center' } });
  });
  const legend = top + h + 20;
  [
    ['#1677ff', '认定决定 Certification decisions'],
    ['#13c2c2', '转换决定 Transfer decisions'],
  ].forEach(([color, label], i) => {
    const x = left + i * 190;
    doc.rect(x, legend + 2, 8, 8).fill(color!);
    doc.x = x + 12;
    doc.y = legend;
    write(label!, 8, { color: '#595959' });
  });
  doc.x = left + 380;
  doc.y = legend;
  write(`最高 max ${max}`, 8, { color: '#595959' });
  doc.x = left;
  doc.y = legend + 18;
  table(
    [
      ['月份 Month', 0.12],
      ['认定申请 Submitted', 0.15],
      ['决定 Decided', 0.13],
      ['通过率 Acceptance', 0.15],
      ['天数中位 Days (median)', 0.15],
      ['转换决定 Transfers', 0.15],
      ['入账学分 Credits in', 0.15],
    ],
    r.trend.map((t) => [
      t.month,
      formatValue(t.submitted, 'count'),
      formatValue(t.decided, 'count'),
      formatValue(t.acceptance, 'ratio'),
      formatValue(t.daysP50, 'days'),
      formatValue(t.transfers, 'count'),
      formatValue(t.creditsIn, 'credits'),
    ]),
  );

  const pair = (x: { source: { code: string }; target: { code: string } }) => [x.source.code, x.target.code];
  const or = (v: number | null) => (v === null ? WITHHELD : String(v));
  if (r.report.pairs.length) {
    heading('机构间学分转换 Transfers between institutions');
    table(
      [
        ['转出 From', 0.14],
        ['转入 To', 0.14],
        ['决定 Decided', 0.18],
        ['接受 Accepted', 0.18],
        ['学分 Credits', 0.18],
        ['学习者 Learners', 0.18],
      ],
      r.report.pairs.map((p) => [...pair(p), or(p.decided), or(p.accepted), or(p.credits), or(p.learners)]),
    );
  }
  if (r.report.spread.length) {
    heading('成绩转换偏移 Grade-conversion spread');
    write(
      '偏移：转换后成绩在及格区间内的位置减去原成绩的位置（百分点）。Shift: the converted grade’s place in its passing range minus the source grade’s, in points.',
      8,
      { color: '#595959', gap: 0.4 },
    );
    table(
      [
        ['转出 From', 0.12],
        ['转入 To', 0.12],
        ['转换数 Conversions', 0.16],
        ['平均偏移 Mean shift', 0.16],
        ['标准差 SD', 0.12],
        ['降低 Lower', 0.11],
        ['持平 Same', 0.11],
        ['提高 Higher', 0.1],
      ],
      r.report.spread.map((s) => [...pair(s), or(s.lines), or(s.meanShift), or(s.sd), or(s.lower), or(s.same), or(s.higher)]),
    );
  }
  heading('流程 Workflows');
  table(
    [
      ['流程 Workflow', 0.25],
      ['阶段 Stage', 0.5],
      ['数量 Count', 0.25],
    ],
    r.report.funnels.flatMap((f) => f.stages.map((s) => [WORKFLOWS[f.workflow]!, `${s.labelZh} ${s.labelEn}`, or(s.count)])),
  );
  if (r.report.rejectionReasons.length) {
    heading('常见不通过原因 Commonest reasons for refusal');
    table(
      [
        ['原因 Reason', 0.7],
        ['决定 Decisions', 0.15],
        ['学习者 Learners', 0.15],
      ],
      r.report.rejectionReasons.map((x) => [x.reason ?? WITHHELD, String(x.count), String(x.learners)]),
    );
  }
  doc.end();
  return done;
}
