import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KNOWN_UNITS } from '../../domain/plan/units.ts';
import { CHART_FONT_FAMILY, loadChartFont, renderCompletionChart, type ChartUnit, type CompletionChartData } from '../../scheduler/chart.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Minimal PNG decoder (8-bit RGB/RGBA, no interlace — what resvg writes) for pixel checks. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let off = 8;
  let width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect(body[8]).toBe(8); // bit depth
      colorType = body[9]!;
      expect(body[12]).toBe(0); // no interlace
    } else if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(bpp).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = v & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba.set(out.subarray(i * bpp, i * bpp + 3), i * 4);
    rgba[i * 4 + 3] = bpp === 4 ? out[i * bpp + 3]! : 255;
  }
  return { width, height, rgba };
}

interface Box { x0: number; y0: number; x1: number; y1: number }

/** Pixels in `box` noticeably darker than the white background. */
function ink(img: ReturnType<typeof decodePng>, box: Box): number {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * img.width + x) * 4;
      if (Math.min(img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!) < 160) n++;
    }
  return n;
}

/** Pixels in `box` whose colour differs between two images of the same size. */
function diff(a: ReturnType<typeof decodePng>, b: ReturnType<typeof decodePng>, box: Box): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * a.width + x) * 4;
      if (Math.abs(a.rgba[i]! - b.rgba[i]!) + Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!) + Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!) > 60) n++;
    }
  return n;
}

const CITIES = KNOWN_UNITS.filter((u) => u.kind === 'CITY').map((u) => u.name);
const PROVINCIAL = KNOWN_UNITS.filter((u) => u.kind === 'PROVINCIAL').map((u) => u.name);

function units(names: string[]): ChartUnit[] {
  return names.map((name, i) => ({ name, completion: (i * 37) % 101, onTime: ((i * 37) % 101) * 0.7 }));
}

describe('renderCompletionChart', () => {
  it('renders 35 sorted units and a weekly trend to a PNG', async () => {
    const names = [...CITIES, ...PROVINCIAL].slice(0, 35);
    expect(names).toHaveLength(35);
    expect(names).toContain('湘西土家族苗族自治州');
    const trend = Array.from({ length: 10 }, (_, i) => ({ label: `第${16 + i}周`, completion: 6 + 9 * i }));
    const { png, svg, width, height } = await renderCompletionChart({ title: '“湘易办”提升工作督办完成情况', units: units(names), trend });

    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([width, height]);
    expect(width).toBe(1920); // 960 CSS px × 2
    expect(height).toBeGreaterThan(35 * 26 * 2); // a row per unit, plus header and trend
    expect(height).toBeLessThan(3200);

    // Highest completion on top: the y of each axis label grows as completion falls.
    const ys = new Map([...svg.matchAll(/translate\(([\d.]+) ([\d.]+)\)"[^>]*>([^<]+)<\/text>/g)].map((m) => [m[3]!, Number(m[2])]));
    const sorted = units(names).sort((a, b) => b.completion - a.completion || b.onTime - a.onTime);
    const order = sorted.map((u) => ys.get(u.name));
    expect(order.every((y) => y !== undefined)).toBe(true);
    expect([...order].sort((a, b) => a! - b!)).toEqual(order);
    expect(svg).toContain('全省整体完成率');
    expect(svg).toContain('第25周');
    expect(svg).toContain(`font-family:${CHART_FONT_FAMILY}`);
  });

  it('draws Chinese text with the project font only — real glyphs, not boxes, and no system font', async () => {
    const base: CompletionChartData = { title: '', units: units(['湘西土家族苗族自治州', '长沙市', '省人力资源社会保障厅']) };
    const titleA = '湘西土家族苗族自治州督办完成情况';
    const titleB = '长沙株洲湘潭衡阳邵阳岳阳常德张家';
    const render = async (title: string, fontFiles?: string[]) =>
      decodePng((await renderCompletionChart({ ...base, title }, { scale: 1, loadSystemFonts: false, ...(fontFiles ? { fontFiles } : {}) })).png);

    const [a, b, blank, none] = await Promise.all([render(titleA), render(titleB), render(' '.repeat(titleA.length)), render(titleA, [])]);
    const titleBand: Box = { x0: 0, y0: 10, x1: a.width, y1: 44 };
    const everything: Box = { x0: 0, y0: 0, x1: a.width, y1: a.height };
    const labels: Box = { x0: 0, y0: 96, x1: 160, y1: 96 + 3 * 26 }; // left of the axis (at x = 24 + 143 + 10)

    // The title draws ink where its spaces draw none, and only the title band changes.
    expect(ink(a, titleBand)).toBeGreaterThan(1000); // ≈2200 px of 16 glyphs at 20 px
    expect(ink(blank, titleBand)).toBe(0);
    expect(diff(a, blank, titleBand)).toBeGreaterThan(1400); // ≈2800
    expect(diff(a, blank, everything)).toBe(diff(a, blank, titleBand));
    // Two different Chinese titles differ pixel by pixel: glyphs, not the same box repeated.
    expect(diff(a, b, titleBand)).toBeGreaterThan(1500); // ≈3900
    // Without the project font (and no system fonts) no text is drawn at all: the glyphs above
    // came from scheduler/fonts/, not from the machine.
    expect(ink(none, titleBand)).toBe(0);
    expect(ink(none, labels)).toBe(0);
    expect(ink(a, labels)).toBeGreaterThan(600); // ≈1250
  });

  it('handles an empty unit list, out-of-range values and no trend', async () => {
    const empty = await renderCompletionChart({ title: '暂无数据', units: [] });
    expect(decodePng(empty.png).height).toBe(empty.height);
    const odd = await renderCompletionChart({ title: 't', units: [{ name: ' 长沙市 ', completion: 140, onTime: Number.NaN }] }, { scale: 1 });
    expect(odd.svg).toContain('>100%<');
    expect(odd.svg).not.toContain('全省整体完成率');
  });
});

describe('loadChartFont', () => {
  it('is read once per process and covers every unit name and alias of the directory', async () => {
    const font = await loadChartFont();
    expect(await loadChartFont()).toBe(font);
    expect(font.family).toBe(CHART_FONT_FAMILY);
    expect(font.buffer.length).toBeLessThan(2_000_000);
    const names = KNOWN_UNITS.flatMap((u) => [u.name, ...u.aliases]).join('');
    expect(font.missing(`${names}0123456789%.·（）“”《》、，：第周`)).toEqual([]);
    expect(font.measure('湘西土家族苗族自治州', 13)).toBe(130); // CJK glyphs are one em wide
    expect(font.missing('𠀀')).toEqual(['𠀀']); // outside GB2312: would fall back to system fonts ('auto')
  });
});
