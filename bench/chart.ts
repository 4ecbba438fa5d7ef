// The province-scale chart for docs/performance.md: how each figure grows with the number of
// learners in the bank, on log-log axes (a straight line's slope is the power of the growth: 0 flat,
// 1 linear). Rendered to SVG by ECharts on the server side, no browser needed.
import * as echarts from 'echarts';

export interface Series {
  name: string;
  /** [learners, milliseconds] */
  points: [number, number][];
}

export function logLogChart(title: string, series: Series[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 900, height: 520 });
  chart.setOption({
    animation: false,
    title: { text: title, left: 'center', top: 6, textStyle: { fontSize: 15 } },
    legend: { top: 38, type: 'plain' },
    grid: { top: 110, left: 80, right: 40, bottom: 60 },
    xAxis: { type: 'log', name: 'learners in the bank', nameLocation: 'middle', nameGap: 32, logBase: 10 },
    yAxis: { type: 'log', name: 'ms', nameLocation: 'middle', nameGap: 55, logBase: 10 },
    series: series.map((s) => ({ name: s.name, type: 'line', symbolSize: 8, data: s.points, label: { show: false } })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
