// Progress by requirement: a horizontal bar per top-level requirement (and the total), the credits
// counted against the credits required. Loaded on its own (React.lazy) so ECharts stays out of the
// other pages; only the pieces used are imported.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { useEChart } from '../../components/useEChart';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface ProgressBar {
  label: string;
  credits: number;
  required: number;
  satisfied: boolean;
}

export interface ProgressChartProps {
  bars: ProgressBar[];
  labels: { countedMet: string; countedOpen: string; needed: string; extra: string; unit: string; tooltip: (b: ProgressBar) => string };
  testId?: string;
}

const COLORS = { countedMet: '#52c41a', countedOpen: '#1677ff', needed: '#f0f0f0', extra: '#b7eb8f' };

export default function ProgressChart({ bars, labels, testId = 'progress-chart' }: ProgressChartProps) {
  const option = useMemo<Option>(() => {
    // Read top to bottom in the order given: the category axis runs upward, so reverse it.
    const rows = [...bars].reverse();
    const round = (n: number) => Math.round(n * 100) / 100;
    const met = rows.map((b) => (b.satisfied ? round(Math.min(b.credits, b.required)) : 0));
    const open = rows.map((b) => (b.satisfied ? 0 : round(Math.min(b.credits, b.required))));
    const needed = rows.map((b) => round(Math.max(b.required - b.credits, 0)));
    const extra = rows.map((b) => round(Math.max(b.credits - b.required, 0)));
    // the legend names only what the bars show
    const legend = (
      [
        [labels.countedMet, met],
        [labels.countedOpen, open],
        [labels.needed, needed],
        [labels.extra, extra],
      ] as const
    )
      .filter(([, values]) => values.some((v) => v > 0))
      .map(([name]) => name);
    return {
      animation: false,
      grid: { left: 8, right: 96, top: 36, bottom: 28, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, data: legend, selectedMode: false },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const first = Array.isArray(params) ? params[0] : params;
          const bar = rows[first?.dataIndex ?? 0];
          return bar ? labels.tooltip(bar) : '';
        },
      },
      xAxis: {
        type: 'value',
        name: labels.unit,
        nameLocation: 'middle',
        nameGap: 26,
        nameTextStyle: { color: 'rgba(0,0,0,0.45)' },
        splitLine: { lineStyle: { color: '#f5f5f5' } },
      },
      yAxis: {
        type: 'category',
        data: rows.map((b) => b.label),
        axisTick: { show: false },
        axisLabel: { width: 180, overflow: 'truncate', color: 'rgba(0,0,0,0.75)', fontSize: 13 },
      },
      series: [
        { name: labels.countedMet, type: 'bar', stack: 'progress', barMaxWidth: 22, itemStyle: { color: COLORS.countedMet }, data: met },
        { name: labels.countedOpen, type: 'bar', stack: 'progress', barMaxWidth: 22, itemStyle: { color: COLORS.countedOpen }, data: open },
        {
          name: labels.needed,
          type: 'bar',
          stack: 'progress',
          barMaxWidth: 22,
          itemStyle: { color: COLORS.needed, borderColor: '#d9d9d9', borderType: 'dashed', borderWidth: 1 },
          data: needed,
        },
        {
          name: labels.extra,
          type: 'bar',
          stack: 'progress',
          barMaxWidth: 22,
          itemStyle: { color: COLORS.extra },
          data: extra,
          // the "x / y" at the end of each bar
          label: {
            show: true,
            position: 'right',
            color: 'rgba(0,0,0,0.75)',
            fontSize: 12,
            formatter: (p) => {
              const b = rows[p.dataIndex];
              return b ? `${round(b.credits)} / ${round(b.required)}` : '';
            },
          },
        },
      ],
    };
  }, [bars, labels]);
  const host = useEChart(option);

  return (
    <div
      ref={host}
      data-testid={testId}
      data-bars={bars.length}
      style={{ width: '100%', height: Math.max(180, 76 + bars.length * 40) }}
      role="img"
      aria-label={bars.map((b) => `${b.label}: ${b.credits} / ${b.required}`).join('; ')}
    />
  );
}
