/**
 * Completion charts for the weekly supervision report: a horizontal bar chart of completion (and
 * on-time completion) by unit, sorted, and — when a trend is given — a small line chart of overall
 * completion by week below it. ECharts lays the chart out and renders it to SVG (server-side, no
 * DOM); resvg turns the SVG into a PNG that the bot can send to WeCom / DingTalk.
 *
 * Chinese text never depends on the machine's fonts: the project ships its own CJK font,
 * `scheduler/fonts/NotoSansCJKsc-Regular-GB2312.otf` (Noto Sans CJK SC Regular subset to ASCII +
 * all of GB2312 + every character of the seed data, SIL OFL 1.1, see `scheduler/fonts/`), and resvg
 * is told to load that file and no system font. The same font's advance widths are given to
 * ECharts' text measurement, so label widths and margins are laid out with the real glyph metrics.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

export interface ChartUnit {
  name: string;
  /** Share of the unit's tickets completed, 0–100. */
  completion: number;
  /** Share of the unit's tickets completed on time, 0–100. */
  onTime: number;
}

export interface ChartTrendPoint {
  /** Week label, e.g. `第25周` or `6/16`. */
  label: string;
  /** Overall completion that week, 0–100. */
  completion: number;
}

export interface CompletionChartData {
  title: string;
  units: ChartUnit[];
  trend?: ChartTrendPoint[];
}

export interface ChartOptions {
  /** Width of the chart in CSS pixels (the SVG's width); the PNG is `scale` times larger. Default 960. */
  width?: number;
  /** PNG pixels per CSS pixel. Default 2 (sharp on phones). */
  scale?: number;
  /** Bar order, top to bottom. Default `desc` (highest completion first); ties by on-time rate, then name. */
  sort?: 'desc' | 'asc' | 'none';
  /** Bars whose completion is below this are drawn in red. Default 60. */
  warnBelow?: number;
  /** Font files resvg loads. Default: the project's own CJK font only. */
  fontFiles?: string[];
  /**
   * Also let resvg load the machine's fonts. Default `auto`: only when some text of the chart has a
   * character that the project's font lacks (a rare character outside GB2312), as a fallback.
   */
  loadSystemFonts?: boolean | 'auto';
}

export interface RenderedChart {
  png: Buffer;
  svg: string;
  /** Size of the PNG in pixels. */
  width: number;
  height: number;
}

/** Family name of the project's font, as written in its `name` table. */
export const CHART_FONT_FAMILY = 'Noto Sans CJK SC';
/** Path of the project's font file. */
export const CHART_FONT_FILE = fileURLToPath(new URL('./fonts/NotoSansCJKsc-Regular-GB2312.otf', import.meta.url));

/** The project's font, read once per process. */
export interface ChartFont {
  file: string;
  family: string;
  buffer: Buffer;
  /** Does the font have a glyph for this code point? */
  hasGlyph(codePoint: number): boolean;
  /** Characters of `text` the font has no glyph for (whitespace and controls aside), deduplicated. */
  missing(text: string): string[];
  /** Advance width of `text` at `fontSize` px; characters without a glyph count as one em. */
  measure(text: string, fontSize: number): number;
}

let fontPromise: Promise<ChartFont> | undefined;

/** Loads (once per process) the project's CJK font and its metrics. */
export function loadChartFont(): Promise<ChartFont> {
  fontPromise ??= readFile(CHART_FONT_FILE).then((buffer) => {
    const font = parseFont(buffer);
    installTextMeasure(font);
    return font;
  });
  fontPromise.catch(() => (fontPromise = undefined));
  return fontPromise;
}

const PAD = 24;
const ROW = 26;
const LABEL_FONT = 13;
const TREND_HEIGHT = 170;
/** Room kept for the legend at the right of the subtitle. */
const LEGEND_WIDTH = 190;

const COLORS = {
  text: '#1f2937',
  muted: '#6b7280',
  axis: '#9ca3af',
  split: '#e5e7eb',
  completion: '#3b6fd8',
  warn: '#e03131',
  onTime: '#9db4e8',
  trend: '#0f9d58',
};

/** Renders the completion chart to SVG and PNG. */
export async function renderCompletionChart(data: CompletionChartData, opts: ChartOptions = {}): Promise<RenderedChart> {
  const font = await loadChartFont();
  const { option, width, height } = buildOption(data, opts, font);
  const svg = renderSvg(option, width, height);

  const scale = opts.scale ?? 2;
  const texts = [data.title, ...data.units.map((u) => u.name), ...(data.trend ?? []).map((p) => p.label)].join('');
  const systemFonts = opts.loadSystemFonts ?? 'auto';
  const resvgOptions: ResvgRenderOptions = {
    font: {
      fontFiles: opts.fontFiles ?? [font.file],
      loadSystemFonts: systemFonts === 'auto' ? font.missing(texts).length > 0 : systemFonts,
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    textRendering: 1,
    shapeRendering: 2,
    logLevel: 'off',
  };
  const image = await renderAsync(svg, resvgOptions);
  return { png: image.asPng(), svg, width: image.width, height: image.height };
}

/** ECharts' part alone: the SVG of the chart, as {@link renderCompletionChart} makes it. */
export async function renderCompletionSvg(data: CompletionChartData, opts: ChartOptions = {}): Promise<{ svg: string; width: number; height: number }> {
  const font = await loadChartFont();
  const { option, width, height } = buildOption(data, opts, font);
  return { svg: renderSvg(option, width, height), width, height };
}

function renderSvg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const pct = (v: number): number => (Number.isFinite(v) ? Math.min(100, Math.max(0, v)) : 0);
const fmt = (v: number): string => `${Math.round(v * 10) / 10}%`;

function sortUnits(units: ChartUnit[], sort: ChartOptions['sort']): ChartUnit[] {
  const clean = units.map((u) => ({ name: u.name.trim(), completion: pct(u.completion), onTime: pct(u.onTime) }));
  if (sort === 'none') return clean;
  const dir = sort === 'asc' ? -1 : 1;
  return clean.sort((a, b) => dir * (b.completion - a.completion) || dir * (b.onTime - a.onTime) || a.name.localeCompare(b.name, 'zh-Hans-CN'));
}

function buildOption(data: CompletionChartData, opts: ChartOptions, font: ChartFont): { option: echarts.EChartsCoreOption; width: number; height: number } {
  const width = Math.round(opts.width ?? 960);
  const warnBelow = opts.warnBelow ?? 60;
  const units = sortUnits(data.units, opts.sort ?? 'desc');
  const trend = (data.trend ?? []).map((p) => ({ label: p.label.trim(), completion: pct(p.completion) }));
  const n = units.length;

  // Names get the width of the longest one, up to 30% of the chart; longer names wrap onto a second
  // line (a row is tall enough for two lines of 12 px).
  const labelCap = Math.round(width * 0.3);
  const longest = Math.max(48, ...units.map((u) => Math.ceil(font.measure(u.name, LABEL_FONT))));
  const labelWidth = Math.min(longest, labelCap);
  const valueRoom = Math.ceil(font.measure('100%', 12)) + 16;

  const barsTop = 96;
  const barsHeight = Math.max(n, 1) * ROW;
  const barsBottom = barsTop + barsHeight;
  const trendTitleTop = barsBottom + 44;
  const trendTop = trendTitleTop + 40;
  const height = trend.length > 0 ? trendTop + TREND_HEIGHT + 36 : barsBottom + 40;

  const avg = (xs: number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  const avgCompletion = avg(units.map((u) => u.completion));
  const subtitle =
    n > 0
      ? `共 ${n} 个单位 · 平均完成率 ${fmt(avgCompletion)} · 平均按时完成率 ${fmt(avg(units.map((u) => u.onTime)))} · 红色：完成率低于 ${warnBelow}%`
      : '暂无单位数据';

  const titles: object[] = [
    {
      text: data.title,
      subtext: subtitle,
      left: PAD,
      top: 16,
      itemGap: 8,
      textStyle: { fontSize: 20, fontWeight: 'normal', color: COLORS.text, width: width - 2 * PAD, overflow: 'truncate' },
      subtextStyle: { fontSize: 12, color: COLORS.muted, width: width - 2 * PAD - LEGEND_WIDTH, overflow: 'truncate' },
    },
  ];
  const grids: object[] = [{ left: PAD + labelWidth + 10, right: PAD + valueRoom, top: barsTop, height: barsHeight }];
  const xAxes: object[] = [
    {
      type: 'value',
      gridIndex: 0,
      min: 0,
      max: 100,
      interval: 20,
      axisLabel: { formatter: '{value}%', color: COLORS.muted, fontSize: 11 },
      splitLine: { lineStyle: { color: COLORS.split } },
    },
  ];
  const yAxes: object[] = [
    {
      type: 'category',
      gridIndex: 0,
      inverse: true,
      data: units.map((u) => u.name),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.text, fontSize: LABEL_FONT, width: labelWidth, overflow: 'break', lineHeight: 14, interval: 0, margin: 8 },
    },
  ];
  const series: object[] = [
    {
      name: '完成率',
      type: 'bar',
      xAxisIndex: 0,
      yAxisIndex: 0,
      barWidth: 11,
      barGap: '15%',
      itemStyle: { color: COLORS.completion, borderRadius: [0, 2, 2, 0] },
      data: units.map((u) => ({ value: u.completion, itemStyle: u.completion < warnBelow ? { color: COLORS.warn } : undefined })),
      label: { show: true, position: 'right', distance: 4, fontSize: 11, color: COLORS.text, formatter: (p: { value: number }) => fmt(p.value) },
      markLine:
        n > 0
          ? {
              silent: true,
              symbol: 'none',
              lineStyle: { type: 'dashed', color: COLORS.muted, width: 1 },
              label: { position: 'start', formatter: `平均 ${fmt(avgCompletion)}`, color: COLORS.muted, fontSize: 11 },
              data: [{ xAxis: avgCompletion }],
            }
          : undefined,
    },
    {
      name: '按时完成率',
      type: 'bar',
      xAxisIndex: 0,
      yAxisIndex: 0,
      barWidth: 5,
      itemStyle: { color: COLORS.onTime, borderRadius: [0, 2, 2, 0] },
      data: units.map((u) => u.onTime),
    },
  ];

  if (trend.length > 0) {
    titles.push({ text: '全省整体完成率（按周）', left: PAD, top: trendTitleTop, textStyle: { fontSize: 15, fontWeight: 'normal', color: COLORS.text } });
    grids.push({ left: PAD + 40, right: PAD + 24, top: trendTop, height: TREND_HEIGHT });
    xAxes.push({
      type: 'category',
      gridIndex: 1,
      boundaryGap: true,
      data: trend.map((p) => p.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.muted, fontSize: 11, hideOverlap: true },
    });
    yAxes.push({
      type: 'value',
      gridIndex: 1,
      min: 0,
      max: 100,
      interval: 25,
      axisLabel: { formatter: '{value}%', color: COLORS.muted, fontSize: 11 },
      splitLine: { lineStyle: { color: COLORS.split } },
    });
    series.push({
      name: '整体完成率',
      type: 'line',
      xAxisIndex: 1,
      yAxisIndex: 1,
      data: trend.map((p) => p.completion),
      symbol: 'circle',
      symbolSize: 6,
      lineStyle: { width: 2, color: COLORS.trend },
      itemStyle: { color: COLORS.trend },
      areaStyle: { color: 'rgba(15,157,88,0.08)' },
      label: { show: trend.length <= 16, position: 'top', fontSize: 11, color: COLORS.text, formatter: (p: { value: number }) => fmt(p.value) },
    });
  }

  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT_FAMILY },
    title: titles,
    legend: {
      data: ['完成率', '按时完成率'],
      right: PAD,
      top: 46,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 12, color: COLORS.muted },
    },
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    series,
  };
  return { option, width, height };
}

// ---------------------------------------------------------------------------------------------
// Font metrics: just enough of the OpenType format (cmap formats 4 and 12, hhea, hmtx, head) to
// know which characters the font has and how wide they are.

function parseFont(buffer: Buffer): ChartFont {
  const tables = new Map<string, number>();
  const numTables = buffer.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buffer.toString('latin1', rec, rec + 4), buffer.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`chart font ${CHART_FONT_FILE}: no ${tag} table`);
    return at;
  };
  const unitsPerEm = buffer.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = buffer.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number): number => buffer.readUInt16BE(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;

  const advances = new Map<number, number>();
  const cmap = table('cmap');
  const subtables: { platform: number; encoding: number; offset: number }[] = [];
  for (let i = 0; i < buffer.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    subtables.push({ platform: buffer.readUInt16BE(rec), encoding: buffer.readUInt16BE(rec + 2), offset: cmap + buffer.readUInt32BE(rec + 4) });
  }
  const pick = subtables.find((s) => buffer.readUInt16BE(s.offset) === 12 && (s.platform === 0 || (s.platform === 3 && s.encoding === 10)))
    ?? subtables.find((s) => buffer.readUInt16BE(s.offset) === 4 && (s.platform === 0 || (s.platform === 3 && s.encoding === 1)));
  if (!pick) throw new Error(`chart font ${CHART_FONT_FILE}: no Unicode cmap`);
  const at = pick.offset;
  if (buffer.readUInt16BE(at) === 12) {
    const groups = buffer.readUInt32BE(at + 12);
    for (let g = 0; g < groups; g++) {
      const rec = at + 16 + 12 * g;
      const start = buffer.readUInt32BE(rec);
      const end = buffer.readUInt32BE(rec + 4);
      const glyph = buffer.readUInt32BE(rec + 8);
      for (let c = start; c <= end; c++) advances.set(c, advanceOf(glyph + c - start));
    }
  } else {
    const segX2 = buffer.readUInt16BE(at + 6);
    const ends = at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      const start = buffer.readUInt16BE(starts + s);
      const end = buffer.readUInt16BE(ends + s);
      const delta = buffer.readInt16BE(deltas + s);
      const rangeOffset = buffer.readUInt16BE(ranges + s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          glyph = buffer.readUInt16BE(ranges + s + rangeOffset + 2 * (c - start));
          if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
        }
        if (glyph !== 0) advances.set(c, advanceOf(glyph));
      }
    }
  }

  return {
    file: CHART_FONT_FILE,
    family: CHART_FONT_FAMILY,
    buffer,
    hasGlyph: (cp) => advances.has(cp),
    missing(text) {
      const out = new Set<string>();
      for (const ch of text) if (!/\s|\p{Cc}/u.test(ch) && !advances.has(ch.codePointAt(0)!)) out.add(ch);
      return [...out];
    },
    measure(text, fontSize) {
      let em = 0;
      for (const ch of text) em += advances.get(ch.codePointAt(0)!) ?? 1;
      return em * fontSize;
    },
  };
}

/** ECharts measures text with a canvas, or without one with Helvetica-ish guesses: give it our font's widths. */
function installTextMeasure(font: ChartFont): void {
  echarts.setPlatformAPI({
    measureText(text: string, cssFont?: string) {
      const size = /(\d+(?:\.\d+)?)px/.exec(cssFont ?? '');
      return { width: font.measure(text ?? '', size ? Number(size[1]) : 12) } as TextMetrics;
    },
  });
}
