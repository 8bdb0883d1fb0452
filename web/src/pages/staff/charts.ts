import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { AriaComponentOption, GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

/**
 * The chart chunk: ECharts imported piecewise (bar and line charts, grid, tooltip, legend, the
 * decal patterns of the aria component, the canvas renderer), about a third of the full
 * library. Only the occupancy page loads it, by a dynamic import, so no family or counter page
 * ever downloads it.
 *
 * Under the pages' content security policy (no inline styles): ECharts sets element styles
 * through CSSOM (allowed); its HTML tooltip would write `style="..."` attributes (refused), so
 * the tooltip is drawn on the canvas (`renderMode: 'richText'`). Series differ by pattern
 * (decals) and by name in the legend as well as by colour; the page puts the same numbers in a
 * table beside each chart.
 */
use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption>;

/** Series to plot: a name for the legend and one number per category (township or date). */
export interface ChartSeries {
  readonly name: string;
  readonly data: readonly number[];
}

/** Dark enough on white for 3:1 (WCAG 1.4.11) and apart for colour-blind readers, plus decals. */
const palette = ['#0b5394', '#b45309', '#1d6b2f', '#6b21a8'];

function draw(el: HTMLElement, option: Option): () => void {
  const chart = init(el, undefined, { renderer: 'canvas' });
  // The page (and the browser test, and the bench) can tell when the chart is drawn.
  chart.on('finished', () => el.setAttribute('data-drawn', 'true'));
  chart.setOption(option);
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}

const common = (): Option => ({
  animation: false,
  color: palette,
  textStyle: { fontSize: 16, color: '#1a1a1a' },
  aria: { enabled: true, label: { enabled: false }, decal: { show: true } },
  legend: { top: 0, textStyle: { fontSize: 16 } },
  tooltip: { trigger: 'axis', renderMode: 'richText', textStyle: { fontSize: 16 } },
  grid: { left: 16, right: 16, bottom: 8, top: 48, containLabel: true },
});

/** Stacked bars, one per category (e.g. township): occupied and vacant beds. Returns a dispose function. */
export function drawBars(el: HTMLElement, categories: readonly string[], series: readonly ChartSeries[]): () => void {
  return draw(el, {
    ...common(),
    xAxis: { type: 'category', data: [...categories], axisLabel: { fontSize: 14, interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 14 } },
    series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'beds', data: [...s.data] })),
  });
}

/** Lines over dates (YYYY-MM-DD, China Standard Time), one per series. Returns a dispose function. */
export function drawLines(el: HTMLElement, dates: readonly string[], series: readonly ChartSeries[]): () => void {
  return draw(el, {
    ...common(),
    xAxis: { type: 'category', data: [...dates], axisLabel: { fontSize: 14 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 14 } },
    series: series.map((s, i) => ({ type: 'line', name: s.name, data: [...s.data], symbol: ['circle', 'rect', 'triangle', 'diamond'][i % 4], symbolSize: 8 })),
  });
}
