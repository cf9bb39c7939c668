import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskContact, maskPersonalData } from '../../../domain/problems/mask.ts';

const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
/** An ID number as issued: region (first digit 1–9), birth date, sequence, check character. */
const ID18 = /(?<!\d)[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/;

describe('maskPersonalData', () => {
  it.each([
    ['电话13812345678请回电', '电话138****5678请回电'],
    ['手机 +86 138-1234-5678', '手机 +86 138-****-5678'],
    ['8613912345678', '86139****5678'],
    ['座机0731-88886666', '座机0731-****6666'],
    ['(0731)88886666', '(0731)****6666'],
    ['010 12345678', '010 ****5678'],
    ['身份证430102199001011234', '身份证430*************34'],
    ['身份证号43010219900101123X。', '身份证号430*************3X。'],
    ['老身份证430102900101123', '老身份证430**********23'],
    ['编号430102199001011234abc', '编号430*************34abc'],
    ['邮箱zhangsan@example.com', '邮箱z***@example.com'],
    ['13812345678@qq.com', '1***@qq.com'],
    ['卡号6222021234567890123', '卡号6222***********0123'],
    ['卡号 6222 0212 3456 7890', '卡号 6222 **** **** 7890'],
    ['护照E12345678', '护照E******78'],
    ['护照EA1234567', '护照E******67'],
    ['车牌湘A12345的违章', '车牌湘A***45的违章'],
    ['湘A·D12345', '湘A·****45'],
    ['QQ：123456789', 'QQ：12*******'],
    ['联系人：李四，电话略', '联系人：李*，电话略'],
  ])('%s → %s', (input, output) => {
    expect(maskPersonalData(input)).toBe(output);
  });

  it.each([
    '2026-09-30 10:20 提交，2026年9月30日到期',
    '缴费12345.67元，共1,234,567元',
    '拨打12345热线、12315、12366，或400-123-4567',
    '办件编号2026093012345678901 已受理',
    '第3次反映，等了45分钟，排在第128号',
    '住房公积金提取（附件3）',
    '20260930',
  ])('leaves %s untouched', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });

  it('masks a whole realistic report and stays readable', () => {
    const report = '本人张三，电话13812345678，身份证430102199001011234，社保卡补办后一直没收到卡，请回复zhangsan@example.com。';
    expect(maskPersonalData(report)).toBe(
      '本人张三，电话138****5678，身份证430*************34，社保卡补办后一直没收到卡，请回复z***@example.com。',
    );
  });

  // Fragments a report is made of: ordinary words, numbers that must stay, and personal data.
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
  const mobile = fc.tuple(fc.integer({ min: 3, max: 9 }), digits(9)).map(([b, rest]) => `1${b}${rest}`);
  const id18 = fc
    .tuple(fc.integer({ min: 110000, max: 659999 }), fc.integer({ min: 1930, max: 2020 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3), fc.constantFrom('0', '5', '9', 'X', 'x'))
    .map(([r, y, m, d, seq, c]) => `${r}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}${c}`);
  const fragment = fc.oneof(
    fc.constantFrom('社保卡补办', '，', '。', '电话', '身份证', ' ', '12345', '2026-09-30', '编号', '元', 'abc', '湘A', '+86', '-'),
    mobile,
    id18,
    digits(4),
    digits(1),
  );
  const report = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(''));

  it('property: no 11-digit mobile number or 18-character ID number survives masking', () => {
    fc.assert(
      fc.property(report, (text) => {
        const masked = maskPersonalData(text);
        expect(masked).not.toMatch(MOBILE);
        expect(masked).not.toMatch(ID18);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: masking is idempotent, and keeps the length (e-mails aside: z***@ hides the name’s length)', () => {
    fc.assert(
      fc.property(fc.oneof(report, fc.string()), (text) => {
        const once = maskPersonalData(text);
        expect(maskPersonalData(once)).toBe(once);
        if (!text.includes('@')) expect(once.length).toBe(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maskContact', () => {
  it.each([
    [null, null],
    ['', ''],
    ['13812345678', '138****5678'],
    ['张三 13912345678', '张三 139****5678'],
    ['zhangsan@example.com', 'z***@example.com'],
    ['张三', '张*'],
    ['欧阳小明', '欧***'],
    ['zhangsan_wx', 'zh*******wx'],
    ['abc', '***'],
  ])('%s → %s', (input, output) => {
    expect(maskContact(input)).toBe(output);
  });

  it('is idempotent', () => {
    for (const c of ['13812345678', '张三', 'zhangsan_wx', 'zhangsan@example.com']) {
      const once = maskContact(c);
      expect(maskContact(once)).toBe(once);
    }
  });
});
