/**
 * Browser tests drive Debian's chromium (never a downloaded browser) through playwright-core, and
 * sign in through the real /login page like a person does.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './web-session.ts';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (see .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Fills the sign-in form on `page` (which is showing /login) and waits for the page it leads to. */
export async function fillSignIn(page: Page, username: string, landing: RegExp | ((url: URL) => boolean), password = TEST_PASSWORD): Promise<void> {
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-submit').click();
  await page.waitForURL(landing);
}

