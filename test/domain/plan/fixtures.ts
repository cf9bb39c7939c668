/** Shared fixtures for the plan parser tests: the seed document and the unit code groups it uses. */
import { readFileSync } from 'node:fs';

export const SEED_PATH = new URL('../../../prisma/seed/plan-2026-xiangyiban.txt', import.meta.url);
export const seedBytes = (): Uint8Array => new Uint8Array(readFileSync(SEED_PATH));
export const seedText = (): string => readFileSync(SEED_PATH, 'utf8');

/** 省直各单位 in the seed: the PROVINCIAL units with collective = true, in directory order. */
export const PROV = [
  'p-zuzhi', 'p-shegong', 'p-fagai', 'p-jiaoyu', 'p-keji', 'p-gongxin', 'p-gongan', 'p-minzheng',
  'p-sifa', 'p-caizheng', 'p-renshe', 'p-ziran', 'p-shengtai', 'p-zhujian', 'p-jiaotong', 'p-shangwu',
  'p-wenlv', 'p-weijian', 'p-shichang', 'p-tiyu', 'p-yibao', 'p-zhichan', 'p-yaojian', 'p-zonggonghui',
  'p-shuiwu', 'p-xiaofang', 'p-qixiang', 'p-changsha-haiguan', 'p-waishi', 'p-jinrong', 'p-canlian',
  'p-zhufang-zijin',
];

/** 各市州. */
export const CITIES = [
  'c-changsha', 'c-zhuzhou', 'c-xiangtan', 'c-hengyang', 'c-shaoyang', 'c-yueyang', 'c-changde',
  'c-zhangjiajie', 'c-yiyang', 'c-chenzhou', 'c-yongzhou', 'c-huaihua', 'c-loudi', 'c-xiangxi',
];

export const B = ['bureau'];
