/**
 * The dashboard and the ticket page in a real browser (Debian chromium through playwright-core):
 * bureau staff see the right counts, open a submitted ticket and approve it; a leader gets no
 * review buttons; a phone-width screen shows the dashboard without sideways scrolling.
 */
import { fillSignIn, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { createUser } from '../support/web-session.ts';
import { actOnTicket } from '../../handlers/services/tickets.ts';
import type { Actor } from '../../domain/access.ts';
import { startConsoleApp, type ConsoleApp } from './console-app.ts';


describe('web console in the browser', () => {
  let c: ConsoleApp;
  let browser: Browser;
  let staffName: string;
  let leaderName: string;
  const submitted: number[] = [];

  async function signInAt(path: string, username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${c.base}${path}`);
    await page.waitForURL(/\/login/);
    await fillSignIn(page, username, (u) => u.pathname === path);
    await page.waitForSelector('body[data-loaded="true"]');
    return page;
  }

  const number = async (page: Page, id: string) => Number((await page.locator(`#${id} b`).innerText()).replace(/[,，]/g, ''));

  beforeAll(async () => {
    c = await startConsoleApp('sqlite', new Date('2026-07-06T02:00:00Z'));
    staffName = await createUser(c.db, 'BUREAU_STAFF', { displayName: '审核员小王' });
    leaderName = await createUser(c.db, 'LEADER', { displayName: '领导老张' });
    // Two tickets of 省公安厅 taken to 待审核 by its officer, through the services as in chat.
    const p = await c.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'officer-p-gongan' } });
    const officer: Actor = { personId: p.id, name: p.name, role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
    const tickets = await c.db.prisma.ticket.findMany({ where: { unitCode: 'p-gongan' }, orderBy: { id: 'asc' }, take: 2 });
    for (const t of tickets) {
      await actOnTicket(c.db, t.id, { type: 'accept' }, officer, c.clock.now);
      await actOnTicket(c.db, t.id, { type: 'submit', note: '已完成，请审核' }, officer, c.clock.now);
      submitted.push(t.id);
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await c?.stop();
  });

  it('bureau staff see the counts, open a submitted ticket from the dashboard and approve it', async () => {
    const page = await signInAt('/', staffName);
    expect(await number(page, 'stat-total')).toBe(await c.db.prisma.ticket.count());
    expect(await number(page, 'stat-SUBMITTED')).toBe(2);
    expect(await number(page, 'stat-overdue')).toBe(await c.db.prisma.ticket.count({ where: { status: { not: 'DONE' }, due: { lt: '2026-07-06' } } }));
    expect(await page.locator('#outbox-panel').isVisible()).toBe(true);
    // 待审核 narrows the list to the two submitted tickets.
    await page.locator('#stat-SUBMITTED').click();
    await expect.poll(() => page.locator('#tickets-table tbody tr').count()).toBe(2);
    await page.locator(`#tickets-table a[href="/tickets/${submitted[0]}"]`).click();
    await page.waitForURL(new RegExp(`/tickets/${submitted[0]}$`));
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.locator('#ticket-status').innerText()).toBe('待审核');
    expect(await page.locator('#timeline').innerText()).toContain('提交审核');

    await page.locator('#act-note').fill('材料齐全，同意办结');
    await page.locator('#act-approve').click();
    await expect.poll(() => page.locator('#ticket-notice').innerText()).toContain('已审核通过');
    await expect.poll(() => page.locator('#ticket-status').innerText()).toBe('已办结');
    const last = page.locator('#timeline li').last();
    const text = await last.innerText();
    expect(text).toContain('审核通过');
    expect(text).toContain('审核员小王');
    expect(text).toContain('网页端');
    expect(text).toContain('材料齐全，同意办结');
    expect(await page.locator('#actions').isVisible()).toBe(false);
    expect((await c.db.prisma.ticket.findUniqueOrThrow({ where: { id: submitted[0]! } })).status).toBe('DONE');
    await page.context().close();
  });

  it('a leader reads a submitted ticket without any review button', async () => {
    const page = await signInAt(`/tickets/${submitted[1]}`, leaderName);
    expect(await page.locator('#ticket-status').innerText()).toBe('待审核');
    expect(await page.locator('#actions').isVisible()).toBe(false);
    expect(await page.locator('#act-approve').isVisible()).toBe(false);
    expect(await page.locator('#act-return').isVisible()).toBe(false);
    await page.context().close();
  });

  it('fits a phone screen (390×844) without sideways scrolling of the page', async () => {
    const page = await signInAt('/', leaderName, { width: 390, height: 844 });
    await page.waitForSelector('#tasks .task');
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
    expect(widths.view).toBe(390);
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    expect(widths.body).toBeLessThanOrEqual(widths.view);
    // Wide tables scroll inside their own box instead.
    expect(await page.locator('#tickets-table').isVisible()).toBe(true);
    const ranking = await page.context().newPage();
    await ranking.goto(`${c.base}/ranking`);
    await ranking.waitForSelector('body[data-loaded="true"]');
    expect(await ranking.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await ranking.locator('#group-CITY tbody tr').count()).toBe(14);
    await page.context().close();
  });
});
