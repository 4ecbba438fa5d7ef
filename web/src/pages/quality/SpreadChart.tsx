// The grade-conversion spread per institution pair: of the lines converted, the share whose
// converted grade sits lower, about the same or higher within the passing range than the source
// grade (stacked to 100%), with the mean shift ± its standard deviation beside each pair. Withheld
// pairs are a grey bar that says so. Loaded on its own (React.lazy), like the other charts.
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
import type { GradeSpread } from '../../api/quality';
import { useEChart } from '../../components/useEChart';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export interface SpreadChartProps {
  rows: GradeSpread[];
  labels: {
    lower: string;
    same: string;
    higher: string;
    withheld: string;
    pair: (r: GradeSpread) => string;
    shift: (r: GradeSpread) => string;
    tooltip: (r: GradeSpread) => string;
  };
}

export const SPREAD_COLORS = { lower: '#fa8c16', same: '#bfbfbf', higher: '#1677ff' };

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export default function SpreadChart({ rows, labels }: SpreadChartProps) {
  const option = useMemo<Option>(() => {
    const share = (r: GradeSpread, k: 'lower' | 'same' | 'higher') => (r.suppressed || !r.lines ? 0 : Math.round(((r[k] ?? 0) / r.lines) * 1000) / 10);
    const series = (k: 'lower' | 'same' | 'higher'): BarSeriesOption => ({
      name: labels[k],
      type: 'bar',
      stack: 'share',
      barWidth: 22,
      itemStyle: { color: SPREAD_COLORS[k] },
      label: {
        show: true,
        color: k === 'same' ? 'rgba(0,0,0,0.75)' : '#fff',
        formatter: (p) => (typeof p.value === 'number' && p.value >= 8 ? `${Math.round(p.value)}%` : ''),
      },
      data: rows.map((r) => share(r, k)),
    });
    return {
      animation: false,
      legend: { data: [labels.lower, labels.same, labels.higher], top: 0, left: 0, itemWidth: 14, itemHeight: 10, selectedMode: false },
      grid: { left: 4, right: 230, top: 32, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const one = Array.isArray(params) ? params[0] : params;
          const r = rows[one?.dataIndex ?? -1];
          return r ? escape(labels.tooltip(r)).replace(/\n/g, '<br/>') : '';
        },
      },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%', color: 'rgba(0,0,0,0.65)' }, splitLine: { lineStyle: { color: '#f0f0f0' } } },
      yAxis: [
        { type: 'category', inverse: true, data: rows.map(labels.pair), axisTick: { show: false }, axisLabel: { color: 'rgba(0,0,0,0.85)', fontWeight: 600 } },
        // the mean shift ± sd on the right of each bar
        {
          type: 'category',
          inverse: true,
          position: 'right',
          data: rows.map((r) => (r.suppressed ? labels.withheld : labels.shift(r))),
          axisLine: { show: false },
          axisTick: { show: false },
          axisLabel: { color: 'rgba(0,0,0,0.65)' },
        },
      ],
      series: [
        series('lower'),
        series('same'),
        series('higher'),
        {
          name: labels.withheld,
          type: 'bar',
          stack: 'share',
          barWidth: 22,
          itemStyle: { color: '#f0f0f0' },
          label: { show: true, formatter: (p) => (typeof p.value === 'number' && p.value > 0 ? labels.withheld : ''), color: 'rgba(0,0,0,0.45)' },
          data: rows.map((r) => (r.suppressed ? 100 : 0)),
        },
      ],
    };
  }, [rows, labels]);
  const host = useEChart(option);
  const described = rows.map((r) => `${labels.pair(r)}: ${r.suppressed ? labels.withheld : labels.shift(r)}`).join('; ');
  return (
    <div
      ref={host}
      data-testid="quality-spread-chart"
      data-pairs={rows.length}
      style={{ width: '100%', height: Math.max(140, 60 + rows.length * 40) }}
      role="img"
      aria-label={described}
    />
  );
}
