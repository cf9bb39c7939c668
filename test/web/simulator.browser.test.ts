/**
 * The chat simulator in a real browser (Debian chromium through playwright-core): one ticket from
 * assignment to approval, played by an officer and a bureau staff member, with a leader looking on.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillSignIn, launchChromium } from '../support/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { ConsoleChat } from '../support/console-chat.ts';


async function openAs(browser: Browser, chat: ConsoleChat, personId: string, room: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  // The simulator is behind sign-in: the page sends us to /login and back.
  await page.goto(`${chat.base}/simulator?as=${encodeURIComponent(personId)}`);
  await fillSignIn(page, chat.adminUsername, /\/simulator/);
  await page.locator(`nav button[data-room="${room}"]`).click();
  return page;
}

describe('chat simulator in the browser', () => {
  let chat: ConsoleChat;
  let browser: Browser;
  let officer: string;
  let staff: string;
  let leader: string;
  // Deliver the outbox in the background, as the running server does.
  let pump: NodeJS.Timeout;

  beforeAll(async () => {
    chat = await ConsoleChat.start();
    officer = await chat.person('officer-p-gongan');
    staff = await chat.person('bureau-staff-1');
    leader = await chat.person('leader-1');
    browser = await launchChromium();
    pump = setInterval(() => void chat.deliver().catch(() => undefined), 300);
  }, 120_000);

  afterAll(async () => {
    clearInterval(pump);
    await browser?.close();
    await chat?.stop();
  });

  it('an officer accepts, reports progress, uploads evidence and submits; staff returns then approves', async () => {
    const o = await openAs(browser, chat, officer, 'group:unit-p-gongan');
    // The assignment cards are there, rendered by the Adaptive Cards renderer, with their buttons.
    const firstCard = o.locator('.msg.out .card').first();
    await expect.poll(() => firstCard.count()).toBeGreaterThan(0);
    const cardText = await firstCard.innerText();
    const ticketId = Number(/#(\d+)/.exec(cardText)![1]);
    await firstCard.getByRole('button', { name: '签收' }).click();
    await expect.poll(() => firstCard.innerText(), { timeout: 10_000 }).toContain('已签收');

    await o.locator('#sim-text').fill(`@督办助手 #${ticketId} 进度60% 已梳理应用清单`);
    await o.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => o.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('进度 60%');

    const dir = mkdtempSync(join(tmpdir(), 'duban-upload-'));
    const pdf = join(dir, '关停计划表.pdf');
    writeFileSync(pdf, '%PDF-1.4\n% plan\n');
    await o.locator('#sim-file').setInputFiles(pdf);
    await o.locator('#sim-text').fill(`#${ticketId} 佐证`);
    await o.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => o.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('佐证材料已归档');

    await o.locator('#sim-text').fill(`/提交 #${ticketId} 计划表已报送`);
    await o.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => o.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('已提交省数据局审核');

    // Bureau staff see the review request in the bureau group and return it with a reason.
    const s = await openAs(browser, chat, staff, 'group:bureau');
    const review = s.locator('.msg.out', { hasText: `督办单 #${ticketId}` }).last();
    await expect.poll(() => review.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await review.locator('textarea, input[type=text]').first().fill('缺少公告时间');
    await review.getByRole('button', { name: '退回' }).click();
    await expect.poll(() => review.innerText(), { timeout: 10_000 }).toContain('已退回');

    // The officer sees the return and resubmits.
    await expect.poll(() => o.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('缺少公告时间');
    await o.locator('#sim-text').fill(`/进度 更新 #${ticketId} 100% 已补充公告时间`);
    await o.locator('#sim-composer button[type=submit]').click();
    await o.locator('#sim-text').fill(`/提交 #${ticketId}`);
    await o.locator('#sim-composer button[type=submit]').click();

    const review2 = s.locator('.msg.out', { hasText: `督办单 #${ticketId}` }).last();
    await expect.poll(async () => (await review2.getByRole('button', { name: '通过' }).count()), { timeout: 10_000 }).toBeGreaterThan(0);
    await review2.getByRole('button', { name: '通过' }).click();
    await expect.poll(() => o.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('审核通过');

    // A leader reads the status; read-only.
    const l = await openAs(browser, chat, leader, `direct:${leader}`);
    // A help card on screen must not break the composer (card element ids share the page's namespace).
    await l.locator('#sim-text').fill('/帮助');
    await l.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => l.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('帮助');
    await l.locator('#sim-text').fill('/进度');
    await l.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => l.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toContain('办理进度');
    await l.locator('#sim-text').fill(`/签收 #${ticketId}`);
    await l.locator('#sim-composer button[type=submit]').click();
    await expect.poll(() => l.locator('.msg.out').last().innerText(), { timeout: 10_000 }).toMatch(/领导账号仅可查看|不能/);

    const t = await chat.app.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(t.status).toBe('DONE');
  }, 120_000);
});
