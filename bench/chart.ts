/**
 * Completion chart figures: one 35-unit chart with a 12-week trend rendered to PNG (ECharts → SVG →
 * resvg with the project's CJK font), against ECharts' `renderToSVGString` alone for the same chart,
 * measured in the same run. Both are warm (font loaded, code paths run once) and taken as the median
 * of several runs.
 */
import { KNOWN_UNITS } from '../domain/plan/units.ts';
import { loadChartFont, renderCompletionChart, renderCompletionSvg, type CompletionChartData } from '../scheduler/chart.ts';
import { printTable, time, type Row } from './support.ts';

function sampleChart(): CompletionChartData {
  const names = KNOWN_UNITS.filter((u) => u.kind !== 'BUREAU').map((u) => u.name).slice(0, 35);
  return {
    title: '“湘易办”提升工作督办完成情况（35 个单位）',
    units: names.map((name, i) => ({ name, completion: (i * 37) % 101, onTime: ((i * 37) % 101) * 0.8 })),
    trend: Array.from({ length: 12 }, (_, i) => ({ label: `第${14 + i}周`, completion: Math.min(100, 5 + 8 * i) })),
  };
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await time(fn)).ms);
  ms.sort((a, b) => a - b);
  return ms[Math.floor(runs / 2)]!;
}

export async function benchChart(): Promise<void> {
  const data = sampleChart();
  const cold = await time(() => renderCompletionChart(data)); // first call: reads the font, warms ECharts
  await loadChartFont();
  await renderCompletionSvg(data);

  const runs = 7;
  const svgMs = await median(runs, () => renderCompletionSvg(data));
  let bytes = 0;
  let size = '';
  const pngMs = await median(runs, async () => {
    const r = await renderCompletionChart(data);
    bytes = r.png.length;
    size = `${r.width}×${r.height}`;
  });

  const rows: Row[] = [
    { name: 'ECharts renderToSVGString, 35 units + trend (median of 7)', ms: svgMs },
    {
      name: `completion chart → PNG ${size}, 35 units + trend (median of 7)`,
      ms: pngMs,
      baselineMs: svgMs,
      baseline: 'renderToSVGString alone',
      note: `${Math.round(bytes / 1024)} KiB PNG; first call ${cold.ms.toFixed(0)} ms (font load + warm-up)`,
    },
  ];
  printTable('Completion chart', rows);
}
