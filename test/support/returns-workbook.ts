/**
 * Workbooks as a unit would fill them (written with exceljs): a title row, the 填报单位 line, the
 * header, then rows — with real Excel date cells as well as dates typed as text.
 */
import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null;

export async function workbook(sheets: { name?: string; rows: Cell[][] }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [i, s] of sheets.entries()) {
    const ws = wb.addWorksheet(s.name ?? `Sheet${i + 1}`);
    for (const r of s.rows) {
      const row = ws.addRow(r);
      r.forEach((v, c) => {
        if (v instanceof Date) row.getCell(c + 1).numFmt = 'yyyy-mm-dd';
      });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const ANNEX5_HEADER = ['序号', '服务\n名称', '服务\n性质', '服务\n状态', '是否注册事项系统', '能力对接', '智能客服上线状态', '是否遵守UI规范', '数据埋点规范', '服务升级上线时间'];

const ok = (n: number, name: string, launch: Cell): Cell[] => [n, name, '个人', '已上线', '是', '人脸识别/消息推送/办件状态/事后评价', '已上线', '是', '是', launch];

/**
 * 附件5 of 省住房城乡建设厅: rows at sheet rows 5–8. Row 6 has a bad launch date (2026-08-15),
 * row 8 a vague name (社保查询); rows 5 and 7 are clean (an Excel date cell and a typed date).
 */
export function annex5Rows(unit = '省住房城乡建设厅', badDate: Cell = '2026-08-15'): Cell[][] {
  return [
    ['附件5 服务上线计划表'],
    [`填报单位（盖章）：${unit}`, null, null, '联系人：王五', null, null, '联系电话：0731-88888888'],
    ANNEX5_HEADER,
    ['样例', 'xx', '个人', '已上线', '是', '办件状态/事后评价', '已上线', '是', '是', '2026年7月30日'],
    ok(1, '住房公积金账户明细查询', new Date(Date.UTC(2026, 6, 30))),
    ok(2, '住房公积金贷款申请', badDate),
    ok(3, '维修资金查询', '2026年11月30日'),
    ok(4, '社保查询', '2026/9/30'),
    ['……'],
  ];
}
