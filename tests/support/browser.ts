/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { writeLocalAccounts, type LocalAccount } from '../../scripts/local/oidc.js';
import { realmOf, type Realm } from '../../shared/auth/realms.js';
import type { Role } from '../../shared/auth/roles.js';
import { t } from '../../web/src/messages.js';
import { projectRoot } from '../../scripts/local/paths.js';

/**
 * Chromium (the Debian package, driven by playwright-core: no browser download) on a phone:
 * iPhone 13 (390x844, touch, its user agent), Simplified Chinese, China Standard Time.
 */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

export const webUrl = (path = '/'): string => `${inject('apiUrl')}${path}`;

/**
 * A phone. `strictCsp` keeps the pages' content security policy in force (and the test can then
 * watch for violations); otherwise it is bypassed so axe-core can be injected.
 */
export async function phone(browser: Browser, opts: { strictCsp?: boolean } = {}): Promise<BrowserContext> {
  // iPhone 13's screen is 390x844 (its preset viewport leaves room for Safari's bars: 664).
  return browser.newContext({ ...devices['iPhone 13'], viewport: { width: 390, height: 844 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', bypassCSP: !opts.strictCsp });
}

/**
 * A desk computer (the staff dashboard is desk first): 1280x800, mouse, Simplified Chinese, China
 * Standard Time. `tablet` is a 1024x768 landscape tablet with touch. `strictCsp` as for `phone`.
 */
export async function desk(browser: Browser, opts: { strictCsp?: boolean; tablet?: boolean } = {}): Promise<BrowserContext> {
  const viewport = opts.tablet ? { width: 1024, height: 768 } : { width: 1280, height: 800 };
  return browser.newContext({ viewport, hasTouch: !!opts.tablet, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', bypassCSP: !opts.strictCsp, acceptDownloads: true });
}

/** Accounts this test file signs in with, on the local sign-in page. */
export function registerAccounts(name: string, accounts: LocalAccount[]): void {
  writeLocalAccounts(inject('localDir'), name, accounts);
}

/**
 * On the provider's page (reached by a redirect): choose the account. `realm` (when given) is the
 * sign-in page it must be on: staff and institution accounts are listed only on the staff realm's
 * page (`/oidc-staff/...`), families and meal sites only on the public one.
 */
export async function chooseAccount(page: Page, accountId: string, realm?: Realm): Promise<void> {
  await page.waitForURL(realm === 'staff' ? /\/oidc-staff\/oauth2\/authorize/ : realm === 'public' ? /\/\/[^/]+\/oauth2\/authorize/ : /\/oauth2\/authorize/);
  await page.locator(`button[value="${accountId}"]`).click();
}

/** The home page's sign-in button of a realm: 工作人员登录 for staff and institutions, 家属、助餐点登录 for the rest. */
export const signInButton = (page: Page, realm: Realm) => page.getByRole('button', { name: realm === 'staff' ? t.signInStaff : t.signInPublic, exact: true });

/**
 * Signs in from the home page as a person would: the button of the account's realm (by its
 * role), then the account on that realm's page; back on the role's home page afterwards.
 */
export async function signInFromHome(page: Page, accountId: string, role: Role): Promise<void> {
  await page.goto(webUrl('/'));
  await signInButton(page, realmOf(role)).click();
  await chooseAccount(page, accountId, realmOf(role));
}

const axePath = join(createRequire(import.meta.url).resolve('axe-core'), '..', 'axe.min.js');

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run();
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${what}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

const shots = join(projectRoot, 'docs', 'screenshots');
/** The screen as it is (the phone's 390x844 CSS pixels, or the desk's), for README; `fullPage` for long desk pages. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), scale: 'css', animations: 'disabled', caret: 'hide', fullPage: !!opts.fullPage });
}

/**
 * 200% zoom on a 390 px phone is a 195 px wide layout: everything must still fit across, with
 * no sideways scrolling (WCAG 1.4.10 reflow), and the text must be at least 18 px.
 */
export async function expectUsableAtDoubleZoom(page: Page, what: string): Promise<void> {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: Math.floor(size.width / 2), height: Math.floor(size.height / 2) });
  try {
    const m = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      bodyFontPx: parseFloat(getComputedStyle(document.querySelector('main p, main li, main label') ?? document.body).fontSize),
    }));
    expect(m.overflow, `${what} scrolls sideways at 200% zoom`).toBeLessThanOrEqual(0);
    expect(m.bodyFontPx, `${what} body text`).toBeGreaterThanOrEqual(18);
  } finally {
    await page.setViewportSize(size);
  }
}

/** Every button, link and form control is at least 48 x 48 CSS px (the elder-friendly tap target). */
export async function expectLargeTapTargets(page: Page, what: string): Promise<void> {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('main button, main a, main input[type="radio"], main input[type="date"], main textarea, header a, header button')]
      .map((el) => {
        // A radio counts with its label: the whole option is the target.
        const target = el.closest('label') ?? el;
        const r = target.getBoundingClientRect();
        return { text: (target.textContent ?? '').trim().slice(0, 20), w: Math.round(r.width), h: Math.round(r.height) };
      })
      .filter((t) => t.w > 0 && (t.w < 48 || t.h < 48)),
  );
  expect(small, `${what}: tap targets under 48x48`).toEqual([]);
}
