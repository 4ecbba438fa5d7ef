// Transfers by institution pair: a row per institution the credits came from, a column per
// institution they went to; the colour is the acceptance rate, the label the lines decided. Withheld
// cells are grey and say so. Loaded on its own (React.lazy), like the other charts.
import { useMemo } from 'react';
import * as echarts from 'echarts/core';
import { HeatmapChart, type HeatmapSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  type GridComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import type { InstitutionPair, PairInstitution } from '../../api/quality';
import { useEChart } from '../../components/useEChart';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapContinuousComponent]);

type Option = echarts.ComposeOption<HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption>;

export interface PairHeatmapProps {
  pairs: InstitutionPair[];
  /** An institution's name in the UI language. */
  name: (i: PairInstitution) => string;
  labels: {
    from: string;
    to: string;
    rate: string;
    /** "withheld" in a cell */
    withheldShort: string;
    /** the full sentence, with the minimum */
    withheld: string;
    tooltip: (p: InstitutionPair) => string;
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const institutionsOf = (list: PairInstitution[]) => [...new Map(list.map((i) => [i.id, i])).values()].sort((a, b) => a.code.localeCompare(b.code));

export default function PairHeatmap({ pairs, name, labels }: PairHeatmapProps) {
  const sources = useMemo(() => institutionsOf(pairs.map((p) => p.source)), [pairs]);
  const targets = useMemo(() => institutionsOf(pairs.map((p) => p.target)), [pairs]);
  const option = useMemo<Option>(() => {
    // the category axis runs upward: reverse the rows so that they read top to bottom by code
    const rows = [...sources].reverse();
    const axisLabel = (list: PairInstitution[]) => (value: string) => {
      const i = list.find((x) => x.id === value);
      return i ? `{code|${i.code}}\n{name|${name(i)}}` : value;
    };
    const rich = {
      code: { fontWeight: 600, color: 'rgba(0,0,0,0.85)', fontSize: 12, lineHeight: 18 },
      name: { color: 'rgba(0,0,0,0.55)', fontSize: 11, lineHeight: 16 },
    };
    const rateOf = (p: InstitutionPair) => (p.decided ? Math.round(((p.accepted ?? 0) / p.decided) * 1000) / 10 : 0);
    const cell = (p: InstitutionPair) => ({
      value: [targets.findIndex((t) => t.id === p.target.id), rows.findIndex((s) => s.id === p.source.id), p.suppressed ? 0 : rateOf(p)],
      pair: pairs.indexOf(p),
    });
    const shown = pairs.filter((p) => !p.suppressed);
    const withheld = pairs.filter((p) => p.suppressed);
    const cells: HeatmapSeriesOption = {
      type: 'heatmap',
      itemStyle: { borderColor: '#fff', borderWidth: 3, borderRadius: 4 },
      label: {
        show: true,
        formatter: (params) => {
          const p = pairs[(params.data as { pair: number }).pair];
          if (!p) return '';
          if (p.suppressed) return `{muted|${labels.withheldShort}}`;
          return `{count|${p.decided ?? 0}}\n{rate|${Math.round(rateOf(p))}%}`;
        },
        rich: {
          count: { fontSize: 18, fontWeight: 600, color: 'rgba(0,0,0,0.85)', lineHeight: 24 },
          rate: { fontSize: 12, color: 'rgba(0,0,0,0.65)', lineHeight: 16 },
          muted: { fontSize: 12, color: 'rgba(0,0,0,0.45)' },
        },
      },
      emphasis: { itemStyle: { borderColor: '#1677ff' } },
    };
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 40, bottom: 56, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          const one = Array.isArray(params) ? params[0] : params;
          const p = pairs[(one?.data as { pair: number } | undefined)?.pair ?? -1];
          return p ? escape(labels.tooltip(p)).replace(/\n/g, '<br/>') : '';
        },
      },
      xAxis: {
        type: 'category',
        position: 'top',
        name: `${labels.to} →`,
        nameLocation: 'middle',
        nameGap: 44,
        nameTextStyle: { color: 'rgba(0,0,0,0.55)' },
        data: targets.map((t) => t.id),
        axisLabel: { formatter: axisLabel(targets), rich, width: 150, overflow: 'truncate', interval: 0 },
        axisLine: { show: false },
        axisTick: { show: false },
        splitArea: { show: true },
      },
      yAxis: {
        type: 'category',
        // in the top left corner, above the row labels
        name: `${labels.from} ↓`,
        nameLocation: 'end',
        nameGap: 12,
        nameTextStyle: { color: 'rgba(0,0,0,0.55)', align: 'right', padding: [0, 8, 0, 0] },
        data: rows.map((s) => s.id),
        axisLabel: { formatter: axisLabel(rows), rich, width: 170, overflow: 'truncate', align: 'right' },
        axisLine: { show: false },
        axisTick: { show: false },
        splitArea: { show: true },
      },
      visualMap: {
        type: 'continuous',
        min: 0,
        max: 100,
        dimension: 2,
        // the withheld cells (the second series) stay grey
        seriesIndex: 0,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemWidth: 12,
        itemHeight: 160,
        text: ['100%', `0%  ${labels.rate}`],
        textStyle: { color: 'rgba(0,0,0,0.65)' },
        inRange: { color: ['#ffccc7', '#ffe58f', '#b7eb8f', '#73d13d'] },
      },
      series: [
        { ...cells, name: labels.rate, data: shown.map(cell) },
        { ...cells, name: labels.withheldShort, itemStyle: { ...cells.itemStyle, color: '#f0f0f0' }, data: withheld.map(cell) },
      ],
    };
  }, [pairs, sources, targets, name, labels]);
  const host = useEChart(option);
  const described = pairs
    .map(
      (p) =>
        `${p.source.code} → ${p.target.code}: ${p.suppressed ? labels.withheld : `${p.decided} (${labels.rate} ${p.decided ? Math.round(((p.accepted ?? 0) / p.decided) * 100) : 0}%)`}`,
    )
    .join('; ');
  return (
    <div
      ref={host}
      data-testid="quality-pairs-chart"
      data-cells={pairs.length}
      style={{ width: '100%', height: Math.max(260, 150 + sources.length * 64) }}
      role="img"
      aria-label={described}
    />
  );
}
