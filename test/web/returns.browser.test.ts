/**
 * 报表填报 in a real browser (Debian chromium through playwright-core): a unit officer uploads an
 * 附件5 workbook with one bad launch date and sees the violation on that row, in Chinese, with the
 * cell highlighted; bureau staff sees the matrix and downloads the export, which we open again.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { fillSignIn, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { startReturnsApp, type ReturnsApp } from '../support/returns-app.ts';
import { createUser } from '../support/web-session.ts';
import { annex5Rows, workbook } from '../support/returns-workbook.ts';


async function signInAt(browser: Browser, s: ReturnsApp, username: string, path: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${s.base}${path}`);
  await fillSignIn(page, username, /\/returns/);
  return page;
}

describe('returns in the browser', () => {
  let s: ReturnsApp;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    s = await startReturnsApp('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'duban-returns-browser-'));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('an officer uploads 附件5 and sees the bad launch date on its row; staff downloads the export', async () => {
    const officer = await createUser(s.t.db, 'UNIT_OFFICER', { unitCode: 'p-zhujian', displayName: '王五' });
    const o = await signInAt(browser, s, officer, '/returns');
    await expect.poll(() => o.locator('#who').innerText()).toContain('省住房城乡建设厅');
    await o.locator('#annex-tabs button[data-annex="5"]').click();
    await expect.poll(() => o.locator('#fill-title').innerText()).toContain('附件5 服务上线计划表');
    await expect.poll(() => o.locator('#current').innerText()).toContain('尚未报送');

    // One bad launch date (sheet row 6); the other rows are clean.
    const rows = annex5Rows().map((r) => (r[1] === '社保查询' ? [4, '住房公积金异地转移接续', ...r.slice(2)] : r));
    const file = join(dir, '附件5-省住建厅.xlsx');
    writeFileSync(file, await workbook([{ rows }]));
    await o.locator('#return-file').setInputFiles(file);
    await o.locator('#return-upload').click();

    const cell = o.locator('#current-table tr[data-row="6"] td[data-col="launchDate"]');
    await expect.poll(() => cell.getAttribute('class'), { timeout: 10_000 }).toBe('cell-bad');
    expect(await cell.innerText()).toBe('2026-08-15');
    const problems = o.locator('#current-table tr.violations');
    expect(await problems.count()).toBe(1);
    expect(await problems.innerText()).toContain('第6行「服务升级上线时间」为2026年8月15日，服务上线时间只能是2026年7月30日、2026年9月30日或2026年11月30日。');
    expect(await o.locator('#return-notice').innerText()).toBe('已保存：共 4 行，其中 1 行有问题（标红单元格），请修改后重新提交。');
    // Clean rows are not marked.
    expect(await o.locator('#current-table tr[data-row="5"] td.cell-bad').count()).toBe(0);
    // Unit accounts have no matrix and no export of other units.
    expect(await o.locator('#matrix-panel').isHidden()).toBe(true);

    const staff = await createUser(s.t.db, 'BUREAU_STAFF');
    const b = await signInAt(browser, s, staff, '/returns?annex=5');
    const zj = b.locator('#matrix tr[data-unit-row="p-zhujian"]');
    await expect.poll(() => zj.innerText(), { timeout: 10_000 }).toContain('1行有问题');
    expect(await b.locator('#matrix tr[data-unit-row="p-gongan"]').innerText()).toContain('未报送');

    const [download] = await Promise.all([b.waitForEvent('download'), b.locator('#export-5').click()]);
    expect(download.suggestedFilename()).toMatch(/^附件5-服务上线计划表-汇总-2026-06-22\.xlsx$/);
    const saved = join(dir, 'export.xlsx');
    await download.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(saved) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('附件5 服务上线计划表');
    expect(ws.getCell('M3').value).toBe('问题');
    expect(ws.getCell('B5').value).toBe('住房公积金贷款申请');
    expect(ws.getCell('K5').value).toBe('省住房城乡建设厅');
    expect(String(ws.getCell('M5').value)).toContain('第6行「服务升级上线时间」为2026年8月15日');
  });
});
