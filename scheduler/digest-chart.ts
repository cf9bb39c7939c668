/**
 * The digest's picture: each unit's completion and on-time completion (of its plan tickets), with
 * the overall completion of the previous digests as a trend. Rendering is scheduler/chart.ts's
 * job; it is imported on first use so that starting the bot does not load ECharts.
 */
import { percent1 } from './digest-figures.ts';
import type { CompletionChartInput, RenderChart } from './types.ts';

export const renderDigestChart: RenderChart = async (input: CompletionChartInput) => {
  const { renderCompletionChart } = await import('./chart.ts');
  const rendered = await renderCompletionChart({
    title: input.title,
    units: input.units.map((u) => ({ name: u.unitName, completion: percent1(u.done, u.total), onTime: percent1(u.doneOnTime, u.total) })),
    ...(input.trend && input.trend.length > 1 ? { trend: input.trend } : {}),
  });
  return rendered.png;
};
