// The monthly trend: applications submitted and decided (left axis, counts) and the acceptance rate
// (right axis, per cent). Loaded on its own (React.lazy) so ECharts stays out of the other pages.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { useEChart } from '../../components/useEChart';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent]);

type Option = echarts.ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface TrendPoint {
  month: string;
  submitted: number | null;
  decided: number | null;
  /** Per cent, null without decisions. */
  rate: number | null;
}

export interface TrendChartProps {
  points: TrendPoint[];
  labels: { submitted: string; decided: string; rate: string; count: string; none: string };
}

const COLORS = { submitted: '#1677ff', decided: '#13a8a8', rate: '#fa8c16' };
/** A white outline, so that a figure stays legible over a line. */
const HALO = { textBorderColor: '#fff', textBorderWidth: 3 };
const nonZero = (p: { value?: unknown }) => (typeof p.value === 'number' && p.value !== 0 ? String(p.value) : '');

export default function TrendChart({ points, labels }: TrendChartProps) {
  const option = useMemo<Option>(
    () => ({
      animation: false,
      color: [COLORS.submitted, COLORS.decided, COLORS.rate],
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 18, itemHeight: 10, selectedMode: false },
      tooltip: {
        trigger: 'axis',
        formatter: (params) => {
          const list = Array.isArray(params) ? params : [params];
          const p = points[list[0]?.dataIndex ?? 0];
          if (!p) return '';
          const row = (color: string, name: string, value: string) =>
            `<div><span style="display:inline-block;width:8px;height:8px;border-radius:4px;background:${color};margin-right:6px"></span>${name}: <b>${value}</b></div>`;
          return [
            `<div style="margin-bottom:4px">${p.month}</div>`,
            row(COLORS.submitted, labels.submitted, String(p.submitted ?? '—')),
            row(COLORS.decided, labels.decided, String(p.decided ?? '—')),
            row(COLORS.rate, labels.rate, p.rate === null ? `— (${labels.none})` : `${p.rate}%`),
          ].join('');
        },
      },
      xAxis: { type: 'category', data: points.map((p) => p.month), axisTick: { alignWithLabel: true }, axisLabel: { color: 'rgba(0,0,0,0.65)' } },
      yAxis: [
        {
          type: 'value',
          name: labels.count,
          minInterval: 1,
          // headroom for the figures above the points
          max: ({ max }: { max: number }) => Math.max(1, Math.ceil(max * 1.15)),
          nameTextStyle: { color: 'rgba(0,0,0,0.55)', align: 'left' },
          axisLabel: { color: 'rgba(0,0,0,0.65)' },
          splitLine: { lineStyle: { color: '#f0f0f0' } },
        },
        {
          type: 'value',
          name: labels.rate,
          min: 0,
          max: 100,
          interval: 25,
          nameTextStyle: { color: 'rgba(0,0,0,0.55)', align: 'right' },
          axisLabel: { formatter: '{value}%', color: 'rgba(0,0,0,0.65)' },
          splitLine: { show: false },
        },
      ],
      series: [
        // the figures beside the points that are not zero: submitted above, decided below, so that equal ones both show
        {
          name: labels.submitted,
          type: 'line',
          yAxisIndex: 0,
          symbolSize: 6,
          label: { show: true, position: 'top', formatter: nonZero, color: COLORS.submitted, ...HALO },
          data: points.map((p) => p.submitted),
        },
        {
          name: labels.decided,
          type: 'line',
          yAxisIndex: 0,
          symbolSize: 6,
          label: { show: true, position: 'bottom', formatter: nonZero, color: COLORS.decided, ...HALO },
          data: points.map((p) => p.decided),
        },
        {
          name: labels.rate,
          type: 'line',
          yAxisIndex: 1,
          symbol: 'diamond',
          symbolSize: 8,
          lineStyle: { type: 'dashed' },
          // a month without decisions has no rate: a gap, not a zero
          connectNulls: false,
          label: { show: true, position: 'top', formatter: (p) => (typeof p.value === 'number' ? `${p.value}%` : ''), color: COLORS.rate, ...HALO },
          data: points.map((p) => p.rate),
        },
      ],
    }),
    [points, labels],
  );
  const host = useEChart(option);
  const summary = points.map((p) => `${p.month}: ${p.submitted ?? '—'} / ${p.decided ?? '—'} / ${p.rate === null ? '—' : `${p.rate}%`}`).join('; ');
  return (
    <div
      ref={host}
      data-testid="quality-trend-chart"
      data-points={points.length}
      style={{ width: '100%', height: 320 }}
      role="img"
      aria-label={`${labels.submitted} / ${labels.decided} / ${labels.rate} — ${summary}`}
    />
  );
}
