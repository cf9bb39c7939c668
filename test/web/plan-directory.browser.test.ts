/**
 * 方案审核 and 单位与人员 in a real browser (Debian chromium through playwright-core): bureau staff
 * decide an undecided responsible unit of the seeded plan and see the tickets it created, then
 * import a people CSV through preview and confirmation; a leader reads the plan without deciding.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillSignIn, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { startSeededApp, type SeededApp } from '../support/plan-directory-app.ts';
import { createUser } from '../support/web-session.ts';


describe('plan review and directory in the browser', () => {
  let s: SeededApp;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    s = await startSeededApp('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'duban-browser-'));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signInAt(path: string, username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(s.base + path);
    await fillSignIn(page, username, (u) => u.pathname === path);
    return page;
  }

  it('bureau staff decide 省直相关单位 of task 8, see the tickets created, and find the task in the source', async () => {
    const page = await signInAt('/plan', await createUser(s.db, 'BUREAU_STAFF', { displayName: '李娜' }));
    const item = page.locator('.unresolved-item', { hasText: '任务8' });
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => item.innerText()).toContain('未确认');

    // Selecting the task highlights its paragraph in the source text.
    await page.locator('.task', { hasText: '企业全生命周期' }).first().click();
    await expect.poll(() => page.locator('.src-line.hit').first().innerText()).toContain('企业全生命周期环节梳理下发企业服务清单');

    await item.getByRole('button', { name: '确认单位' }).click();
    const dialog = page.locator('#decision-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.locator('#decision-filter').fill('公安');
    await dialog.getByLabel('省公安厅').check();
    await page.locator('#decision-filter').fill('人力资源');
    await dialog.getByLabel('省人力资源社会保障厅').check();
    await expect.poll(() => page.locator('#decision-picked').innerText()).toBe('已选 2 个单位');
    await page.locator('#decision-note').fill('涉企事项单位');
    await page.locator('#decision-submit').click();

    await expect.poll(() => page.locator('#decision-created').innerText(), { timeout: 15_000 }).toBe('2');
    expect(await page.locator('#decision-result').innerText()).toContain('新生成督办单 2 件');
    await expect.poll(() => page.locator('.unresolved-item', { hasText: '任务8' }).innerText()).toContain('已确认：省公安厅、省人力资源社会保障厅');
    const tickets = await s.db.prisma.ticket.findMany({ where: { milestone: { task: { seq: 8 } }, unitCode: { in: ['p-gongan', 'p-renshe'] } } });
    expect(tickets).toHaveLength(2);
    await page.close();
  }, 120_000);

  it('a leader reads the plan without a way to decide', async () => {
    const page = await signInAt('/plan', await createUser(s.db, 'LEADER'));
    await expect.poll(() => page.locator('.unresolved-item').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('#read-only').isVisible()).toBe(true);
    expect(await page.locator('[data-decide]').count()).toBe(0);
    await page.close();
  }, 60_000);

  it('bureau staff import a people CSV: preview with per-row results, then confirm', async () => {
    const file = join(dir, '人员名单.csv');
    writeFileSync(file, '\uFEFF姓名,角色,单位,企业微信账号,钉钉账号,职务\r\n卫十二,单位联络员,省公安厅,weishier,,督办联络员\r\n蒋十三,单位负责人,湖南省公安,,,\r\n');
    const page = await signInAt('/directory', await createUser(s.db, 'BUREAU_STAFF'));
    await page.getByRole('tab', { name: '批量导入' }).click();
    await page.locator('#import-file').setInputFiles(file);
    await page.locator('#import-preview').click();
    await expect.poll(() => page.locator('#import-summary').innerText(), { timeout: 15_000 }).toContain('新增 1，更新 0，无变化 0，错误 1');
    expect(await page.locator('#import-table').innerText()).toContain('第 3 行：未找到单位「湖南省公安」，是否指「省公安厅」？');
    expect(await s.db.prisma.person.count({ where: { wecomUserId: 'weishier' } })).toBe(0);

    await page.locator('#import-confirm').click();
    await expect.poll(() => page.locator('#import-result').innerText(), { timeout: 15_000 }).toBe('导入完成：新增 1 条，更新 0 条，1 行有错误已跳过。');
    expect(await s.db.prisma.person.findUniqueOrThrow({ where: { wecomUserId: 'weishier' } })).toMatchObject({ name: '卫十二', unitCode: 'p-gongan' });

    // The new person is in the people list.
    await page.getByRole('tab', { name: '人员' }).click();
    await page.locator('#people-q').fill('卫十二');
    await page.locator('#people-filter button[type=submit]').click();
    await expect.poll(() => page.locator('#people-table').innerText()).toContain('weishier');
    await page.close();
  }, 120_000);
});
