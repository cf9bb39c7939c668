/**
 * 问题工单 in a real browser (Debian chromium through playwright-core): bureau staff file a caller's
 * problem through 一键反馈, see it waiting for a decision with the phone number masked, hand it to a
 * candidate unit with one click, and the public 晾晒 page (no sign-in) counts it for that unit.
 */
import { fillSignIn, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser } from 'playwright-core';
import { ConsoleChat } from '../support/console-chat.ts';
import { createUser } from '../support/web-session.ts';

const PHONE = '13812345678';

describe('问题工单 in the browser', () => {
  let chat: ConsoleChat;
  let browser: Browser;
  let staff: string;

  beforeAll(async () => {
    chat = await ConsoleChat.start();
    staff = await createUser(chat.app.db, 'BUREAU_STAFF', { displayName: '调度员小王' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await chat?.stop();
  });

  it('files through 一键反馈, routes with one click, and the public page counts it', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${chat.base}/problems/new`);
    await fillSignIn(page, staff, /\/problems\/new/);

    await expect.poll(() => page.locator('#fb-source option').count()).toBeGreaterThan(5);
    await page.locator('#fb-source').selectOption('HOTLINE_12345');
    await page.locator('#fb-description').fill(`社保卡和医保电子凭证都激活不了，来电人手机${PHONE}`);
    await page.locator('#fb-contact').fill(PHONE);
    // A double click files once.
    await page.locator('#fb-submit').dblclick();
    await page.locator('#fb-result').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('#fb-pending').innerText()).toBe('待分派');
    expect(await page.locator('#fb-grade').innerText()).toBe('一般');
    expect(await chat.app.db.prisma.problem.count()).toBe(1);

    await page.locator('#fb-open').click();
    await page.waitForURL(/\/problems\?id=\d+/);
    await page.locator('#detail').waitFor({ state: 'visible' });
    expect(await page.locator('#detail-status').innerText()).toBe('待分派');
    const description = await page.locator('#detail-description').innerText();
    expect(description).toContain('138****5678');
    expect(await page.content()).not.toContain(PHONE);

    const button = page.locator('#candidates button').first();
    const label = await button.innerText();
    expect(label).toMatch(/^交由 .+ 办理$/);
    const unitName = label.replace(/^交由 (.+) 办理$/, '$1');
    await button.click();
    await expect.poll(() => page.locator('#detail-status').innerText()).toBe('整改中');
    expect(await page.locator('#problems-notice').innerText()).toContain(`已交由${unitName}办理`);
    expect(await page.locator('#decide').isHidden()).toBe(true);
    expect(await page.locator('#detail-ticket').getAttribute('href')).toMatch(/^\/tickets\/\d+$/);

    // The public page, in a fresh context: no session at all.
    const ctx = await browser.newContext();
    const pub = await ctx.newPage();
    await pub.goto(`${chat.base}/public/problems`);
    expect(pub.url()).toBe(`${chat.base}/public/problems`);
    const row = pub.locator('#table-provincial tbody tr', { hasText: unitName });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toEqual([unitName, '1', '0', '—', '1', '0']);
    expect(await pub.content()).not.toContain('138');
    expect(await pub.content()).not.toContain('激活不了');
    await ctx.close();
    expect(errors).toEqual([]);
  }, 120_000);
});
