// Progress by requirement: a horizontal bar per top-level requirement (and the total), the credits
// counted against the credits required. Loaded on its own (React.lazy) so ECharts stays out of the
// other pages; only the pieces used are imported.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface ProgressBar {
  label: string;
  credits: number;
  required: number;
  satisfied: boolean;
}

export interface ProgressChartProps {
  bars: ProgressBar[];
  labels: { counted: string; needed: string; extra: string; unit: string; tooltip: (b: ProgressBar) => string };
  testId?: string;
}

const COLORS = { counted: '#52c41a', countedOpen: '#1677ff', needed: '#f0f0f0', extra: '#b7eb8f' };

export default function ProgressChart({ bars, labels, testId = 'progress-chart' }: ProgressChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const instance = echarts.init(host.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(host.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    // Read top to bottom in the order given: the category axis runs upward, so reverse it.
    const rows = [...bars].reverse();
    const round = (n: number) => Math.round(n * 100) / 100;
    const option: Option = {
      animation: false,
      grid: { left: 8, right: 96, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10, data: [labels.counted, labels.needed, labels.extra], selectedMode: false },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const first = Array.isArray(params) ? params[0] : params;
          const bar = rows[first?.dataIndex ?? 0];
          return bar ? labels.tooltip(bar) : '';
        },
      },
      xAxis: { type: 'value', name: labels.unit, nameLocation: 'end', nameGap: 8, splitLine: { lineStyle: { color: '#f5f5f5' } } },
      yAxis: {
        type: 'category',
        data: rows.map((b) => b.label),
        axisTick: { show: false },
        axisLabel: { width: 180, overflow: 'truncate', color: 'rgba(0,0,0,0.75)', fontSize: 13 },
      },
      series: [
        {
          name: labels.counted,
          type: 'bar',
          stack: 'progress',
          barMaxWidth: 22,
          data: rows.map((b) => ({ value: round(Math.min(b.credits, b.required)), itemStyle: { color: b.satisfied ? COLORS.counted : COLORS.countedOpen } })),
        },
        {
          name: labels.needed,
          type: 'bar',
          stack: 'progress',
          barMaxWidth: 22,
          itemStyle: { color: COLORS.needed, borderColor: '#d9d9d9', borderType: 'dashed', borderWidth: 1 },
          data: rows.map((b) => round(Math.max(b.required - b.credits, 0))),
        },
        {
          name: labels.extra,
          type: 'bar',
          stack: 'progress',
          barMaxWidth: 22,
          itemStyle: { color: COLORS.extra },
          data: rows.map((b) => round(Math.max(b.credits - b.required, 0))),
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
    instance.setOption(option, true);
  }, [bars, labels]);

  return <div ref={host} data-testid={testId} data-bars={bars.length} style={{ width: '100%', height: Math.max(160, 56 + bars.length * 40) }} role="img" aria-label={bars.map((b) => `${b.label}: ${b.credits} / ${b.required}`).join('; ')} />;
}
