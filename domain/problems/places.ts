/**
 * Which city (市州) a problem text is about: city names, their short forms (长沙, 湘西) and the
 * county-level divisions of Hunan (浏阳 → 长沙市). Routing needs it for services that 各市州 own
 * (政务预约, 线上取号, 公积金退休提取).
 */
import type { RouteUnit } from './types.ts';

/** County-level divisions per city (2021 boundaries: 邵东市, 祁阳市, 渌口区 included). */
const COUNTIES: Readonly<Record<string, readonly string[]>> = {
  长沙市: ['芙蓉区', '天心区', '岳麓区', '开福区', '雨花区', '望城区', '长沙县', '浏阳市', '宁乡市', '湘江新区', '梅溪湖', '星沙'],
  株洲市: ['荷塘区', '芦淞区', '石峰区', '天元区', '渌口区', '攸县', '茶陵县', '炎陵县', '醴陵市'],
  湘潭市: ['雨湖区', '岳塘区', '湘潭县', '湘乡市', '韶山市'],
  衡阳市: ['珠晖区', '雁峰区', '石鼓区', '蒸湘区', '南岳区', '衡阳县', '衡南县', '衡山县', '衡东县', '祁东县', '耒阳市', '常宁市'],
  邵阳市: ['双清区', '大祥区', '北塔区', '新邵县', '邵阳县', '隆回县', '洞口县', '绥宁县', '新宁县', '城步苗族自治县', '武冈市', '邵东市'],
  岳阳市: ['岳阳楼区', '云溪区', '君山区', '岳阳县', '华容县', '湘阴县', '平江县', '汨罗市', '临湘市'],
  常德市: ['武陵区', '鼎城区', '安乡县', '汉寿县', '澧县', '临澧县', '桃源县', '石门县', '津市市'],
  张家界市: ['永定区', '武陵源区', '慈利县', '桑植县'],
  益阳市: ['资阳区', '赫山区', '南县', '桃江县', '安化县', '沅江市'],
  郴州市: ['北湖区', '苏仙区', '桂阳县', '宜章县', '永兴县', '嘉禾县', '临武县', '汝城县', '桂东县', '安仁县', '资兴市'],
  永州市: ['零陵区', '冷水滩区', '东安县', '双牌县', '道县', '江永县', '宁远县', '蓝山县', '新田县', '江华瑶族自治县', '祁阳市'],
  怀化市: ['鹤城区', '中方县', '沅陵县', '辰溪县', '溆浦县', '会同县', '麻阳苗族自治县', '新晃侗族自治县', '芷江侗族自治县', '靖州苗族侗族自治县', '通道侗族自治县', '洪江市'],
  娄底市: ['娄星区', '双峰县', '新化县', '冷水江市', '涟源市'],
  湘西土家族苗族自治州: ['吉首市', '泸溪县', '凤凰县', '花垣县', '保靖县', '古丈县', '永顺县', '龙山县'],
};

/**
 * Short forms that are safe to match: a county-level name without 市/县/区 when two or more
 * characters remain and the short form is not an everyday word (凤凰, 天心, 南县 are not shortened).
 */
const UNSAFE_SHORT = new Set(['凤凰', '天心', '芙蓉', '雨花', '开福', '石门', '道', '南', '永定', '武陵', '云溪', '华容', '会同', '通道', '中方', '双牌', '新田', '蓝山', '龙山', '永顺', '保靖', '古丈', '花垣', '珠晖', '雁峰', '石鼓', '蒸湘', '北湖', '苏仙', '鹤城', '东安', '江永', '宁远', '资阳', '赫山', '嘉禾', '临武', '汝城', '桂东', '安仁', '永兴', '宜章', '桂阳', '荷塘', '芦淞', '石峰', '天元', '渌口', '雨湖', '岳塘', '双清', '大祥', '北塔', '新邵', '隆回', '洞口', '绥宁', '新宁', '君山', '湘阴', '平江', '安乡', '汉寿', '临澧', '桃源', '慈利', '桑植', '桃江', '安化', '零陵', '泸溪', '溆浦', '辰溪', '沅陵', '娄星', '双峰', '新化', '衡南', '衡东', '衡山', '祁东', '南岳', '望城', '攸', '澧', '津市']);

export interface PlaceIndex {
  /** [place as written, city unit code], longest place first. */
  places: [string, string][];
  /** Names of non-city units that contain a city name (长沙海关): removed before matching. */
  masks: string[];
}

function shortForm(name: string): string | null {
  const m = /^(.{2,}?)(?:市|县|区|自治州|州)$/.exec(name);
  const s = m?.[1] ?? null;
  return s && !UNSAFE_SHORT.has(s) && !/自治$/.test(s) ? s : null;
}

export function buildPlaceIndex(units: readonly RouteUnit[]): PlaceIndex {
  const places = new Map<string, string>();
  const cities = units.filter((u) => u.kind === 'CITY');
  for (const city of cities) {
    const names = [city.name, ...city.aliases];
    for (const n of names) {
      places.set(n, city.code);
      const s = shortForm(n);
      if (s) places.set(s, city.code);
    }
    if (city.name.startsWith('湘西')) places.set('湘西', city.code);
    for (const county of COUNTIES[city.name] ?? []) {
      places.set(county, city.code);
      const s = shortForm(county);
      if (s) places.set(s, city.code);
    }
  }
  const masks = units
    .filter((u) => u.kind !== 'CITY')
    .flatMap((u) => [u.name, ...u.aliases])
    .filter((n) => [...places.keys()].some((p) => n.includes(p)));
  return { places: [...places.entries()].sort((a, b) => b[0].length - a[0].length), masks };
}

/** Cities a text names, each with the words that named it, in order of first mention. */
export function findCities(text: string, index: PlaceIndex): { code: string; said: string }[] {
  let t = text;
  for (const m of index.masks) t = t.split(m).join('＃');
  const found = new Map<string, string>();
  for (const [place, code] of index.places) {
    if (!t.includes(place)) continue;
    if (!found.has(code)) found.set(code, place);
    t = t.split(place).join('＃'); // 衡阳县 must not also count as 衡阳 (same city anyway) or 阳县
  }
  return [...found.entries()].map(([code, said]) => ({ code, said }));
}
