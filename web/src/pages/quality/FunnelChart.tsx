// One workflow's funnel: how many applications entered it in the period and how far they got, as
// horizontal bars from the first stage down, each labelled with its count and its share of those
// that entered. A withheld stage (too few learners) is a grey bar that says so. Loaded on its own
// (React.lazy), like the other charts.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { useEChart } from '../../components/useEChart';

echarts.use([BarChart, GridComponent, TooltipComponent]);

type Option = echarts.ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

export interface FunnelBar {
  label: string;
  count: number | null;
  /** Per cent of the first stage, null when either is withheld or nothing entered. */
  share: number | null;
}

export interface FunnelChartProps {
  workflow: string;
  bars: FunnelBar[];
  color: string;
  labels: { withheld: string; ofEntered: string };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export default function FunnelChart({ workflow, bars, color, labels }: FunnelChartProps) {
  const option = useMemo<Option>(() => {
    const max = Math.max(1, ...bars.map((b) => b.count ?? 0));
    return {
      animation: false,
      // room on the right for the figures beside the longest bar
      grid: { left: 4, right: 76, top: 4, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          const one = Array.isArray(params) ? params[0] : params;
          const b = bars[one?.dataIndex ?? -1];
          if (!b) return '';
          if (b.count === null) return `${escape(b.label)}<br/>${escape(labels.withheld)}`;
          return `${escape(b.label)}: <b>${b.count}</b>${b.share === null ? '' : `<br/>${b.share}% ${escape(labels.ofEntered)}`}`;
        },
      },
      xAxis: { type: 'value', show: false, max },
      yAxis: {
        type: 'category',
        inverse: true,
        data: bars.map((b) => b.label),
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: { color: 'rgba(0,0,0,0.75)', width: 110, overflow: 'break', lineHeight: 14 },
      },
      series: [
        {
          type: 'bar',
          barWidth: 18,
          // the bar of a withheld stage spans the width in grey, so that it is seen and not read as zero
          data: bars.map((b) =>
            b.count === null
              ? {
                  value: max,
                  itemStyle: { color: '#f0f0f0' },
                  label: { formatter: labels.withheld, color: 'rgba(0,0,0,0.45)', position: 'insideLeft' as const },
                }
              : { value: b.count, itemStyle: { color } },
          ),
          itemStyle: { borderRadius: [0, 4, 4, 0] },
          label: {
            show: true,
            position: 'right',
            color: 'rgba(0,0,0,0.75)',
            formatter: (p) => {
              const b = bars[p.dataIndex];
              if (!b || b.count === null) return '';
              return b.share === null ? String(b.count) : `${b.count}  (${b.share}%)`;
            },
          },
          showBackground: true,
          backgroundStyle: { color: 'rgba(0,0,0,0.02)' },
        },
      ],
    };
  }, [bars, color, labels]);
  const host = useEChart(option);
  const described = bars.map((b) => `${b.label}: ${b.count ?? labels.withheld}`).join('; ');
  return (
    <div
      ref={host}
      data-testid={`quality-funnel-chart-${workflow}`}
      data-stages={bars.length}
      style={{ width: '100%', height: Math.max(120, 24 + bars.length * 34) }}
      role="img"
      aria-label={described}
    />
  );
}
