import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yuan } from '../../web/src/format.js';
import { errorSentences } from '../../web/src/messages.js';
import { api, token } from '../support/api.js';
import { chooseAccount, expectAccessible, signInButton, expectLargeTapTargets, expectUsableAtDoubleZoom, launchBrowser, phone, registerAccounts, screenshot, webUrl } from '../support/browser.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

/**
 * The family's story, in Chromium on a phone, against the real local stack: sign in through the
 * OIDC flow, find the elder's canteen, book tomorrow's lunch seeing 原价 / 补贴 / 自付, find it
 * under my bookings, cancel, and see the seat come back; then the double tap, the race for the
 * last seat, and an elder who is not theirs.
 */
let browser: Browser;
let fx: Awaited<ReturnType<typeof mealsFixture>>;
let raceSite: { id: string };
const elders: Record<'mother' | 'racerA' | 'racerB' | 'stranger', { id: string; name: string }> = {} as never;
const sub = (who: string) => `fam-${who}-${fx.county}`;
const familyToken = (who: string) => token({ role: 'family', sub: sub(who), county: fx.county });
const tomorrow = () => addDays(today(), 1);

beforeAll(async () => {
  [browser, fx] = await Promise.all([
    launchBrowser(),
    mealsFixture({ effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 300 }, { match: { categories: ['dibao'], minAge: 60 }, subsidyFen: 500 }] }),
  ]);
  raceSite = await fx.newSite({ name: '城关镇第2助餐点', kind: 'service_point', delivery: false, slots: { lunch: { capacity: 1, priceFen: 1200, cutoff: '10:00' } } });
  const names = { mother: '张桂兰', racerA: '李秀英', racerB: '赵玉珍', stranger: '孙德胜' } as const;
  for (const [who, name] of Object.entries(names) as [keyof typeof names, string][]) {
    elders[who] = { id: (await fx.register({ name, categories: who === 'mother' ? ['dibao', 'living_alone'] : [] })).id, name };
  }
  for (const who of ['mother', 'racerA', 'racerB'] as const) {
    await api('POST', `/v1/elders/${elders[who].id}/family-links`, { token: fx.staff, body: { familySub: sub(who), relation: 'child' } });
  }
  registerAccounts(`family-test-${fx.county}`, (['mother', 'racerA', 'racerB'] as const).map((who) => ({
    id: sub(who), label: `家属（测试 ${who}）`, claims: { role: 'family', sub: sub(who), county: fx.county },
  })));
});

afterAll(async () => {
  await browser?.close();
});

/** A phone signed in as this family, through the provider's page. */
async function signedIn(who: string, path: string): Promise<Page> {
  const page = await (await phone(browser)).newPage();
  await page.goto(webUrl(path));
  await chooseAccount(page, sub(who), 'public');
  await page.waitForURL(webUrl(path));
  return page;
}

const bookingPage = (elderId: string, siteId: string, date: string) => `/family/elders/${elderId}/sites/${siteId}?date=${date}`;
const remaining = (page: Page, slot = 'lunch') => page.getByTestId(`remaining-${slot}`).textContent();
const split = async (page: Page) => ({
  price: await page.getByTestId('price').first().textContent(),
  subsidy: await page.getByTestId('subsidy').first().textContent(),
  pay: await page.getByTestId('pay').first().textContent(),
});

// A phone page on a busy 2-core machine can take seconds per step: a generous time per story.
describe('a family books a meal for a parent', { timeout: 90_000 }, () => {
  it('signs in, books tomorrow\'s lunch seeing 原价/补贴/自付, finds it under my bookings, cancels, and the seat comes back', async () => {
    // Not signed in: the home page explains and offers to sign in.
    const page = await (await phone(browser)).newPage();
    await page.goto(webUrl('/'));
    await expect.poll(() => signInButton(page, 'public').isVisible()).toBe(true);
    await expectAccessible(page, 'home');
    await screenshot(page, 'family-0-home');
    await signInButton(page, 'public').click();
    await page.waitForURL(/\/oauth2\/authorize/);
    await page.locator(`button[value="${sub('mother')}"]`).waitFor();
    await expectAccessible(page, 'local sign-in page');
    await chooseAccount(page, sub('mother'));
    await page.waitForURL(webUrl('/family'));

    // My elders
    const card = page.getByRole('listitem').filter({ hasText: elders.mother.name });
    await card.waitFor();
    await expectAccessible(page, 'my elders');
    await expectLargeTapTargets(page, 'my elders');
    await expectUsableAtDoubleZoom(page, 'my elders');
    await screenshot(page, 'family-1-my-elders');

    // The elder's meal sites: the township's first, with seats left, cutoff and menu
    await card.getByRole('link', { name: '为老人订餐' }).click();
    await page.getByRole('heading', { name: `为${elders.mother.name}订餐` }).waitFor();
    await page.getByText('剩余 100 份').first().waitFor();
    await expect.poll(() => page.getByText('当天 10:00 前可预订、可取消').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'elder page');
    await expectLargeTapTargets(page, 'elder page');
    await expectUsableAtDoubleZoom(page, 'elder page');
    await screenshot(page, 'family-2-elder');

    // Book tomorrow's lunch
    await page.getByRole('listitem').filter({ hasText: '城关镇长者食堂' }).getByRole('link', { name: '在这里订餐' }).click();
    await page.waitForURL(webUrl(bookingPage(elders.mother.id, fx.site.id, tomorrow())));
    await expect.poll(() => remaining(page)).toBe('剩余 100 份');
    await page.getByRole('radio', { name: /午餐/ }).check();
    await page.getByTestId('pay').waitFor();
    const shown = await split(page);
    expect(shown).toEqual({ price: '¥15.00', subsidy: '−¥5.00', pay: '¥10.00' });
    await expectAccessible(page, 'booking page');
    await expectLargeTapTargets(page, 'booking page');
    await expectUsableAtDoubleZoom(page, 'booking page');
    await screenshot(page, 'family-3-book');
    await page.getByRole('button', { name: '确认预订' }).click();
    await page.getByText('预订成功').first().waitFor();
    const confirmed = await split(page);

    // What the page showed is what the API answered
    const list = await api('GET', `/v1/bookings?elderId=${elders.mother.id}`, { token: await familyToken('mother') });
    const booking = list.body.items.find((b: { date: string; slot: string }) => b.date === tomorrow() && b.slot === 'lunch');
    expect(booking).toMatchObject({ status: 'booked', mode: 'dine_in', siteId: fx.site.id });
    for (const s of [shown, confirmed]) expect(s).toEqual({ price: yuan(booking.priceFen), subsidy: `−${yuan(booking.subsidyFen)}`, pay: yuan(booking.payFen) });

    // My bookings
    await page.getByRole('link', { name: '查看我的预订' }).click();
    const item = page.getByTestId('booking').filter({ hasText: '已预订' });
    await item.waitFor();
    await expect.poll(() => item.textContent()).toContain('城关镇长者食堂');
    await expectAccessible(page, 'my bookings');
    await expectLargeTapTargets(page, 'my bookings');
    await expectUsableAtDoubleZoom(page, 'my bookings');
    await screenshot(page, 'family-4-bookings');

    // Cancel (asked on the page itself, no pop-up), then the seat is back
    await item.getByRole('button', { name: '取消预订' }).click();
    await item.getByRole('button', { name: '确定取消' }).click();
    await page.getByTestId('booking').filter({ hasText: '已取消' }).waitFor();
    expect((await api('GET', `/v1/bookings?elderId=${elders.mother.id}`, { token: await familyToken('mother') })).body.items.find((b: { id: string }) => b.id === booking.id).status).toBe('cancelled');
    await page.goto(webUrl(bookingPage(elders.mother.id, fx.site.id, tomorrow())));
    await expect.poll(() => remaining(page)).toBe('剩余 100 份');
    await page.context().close();
  });

  it('stays signed in on the page asked for after Back, a reload of the callback address, and a deep link in a new tab; signs out', async () => {
    // The pages' own content security policy stays on here: nothing they do may break it.
    const page = await (await phone(browser, { strictCsp: true })).newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    let callback = '';
    page.on('request', (r) => {
      if (r.url().includes('/auth/callback?') && !callback) callback = r.url();
    });
    const target = webUrl('/family/bookings');
    await page.goto(target);
    await chooseAccount(page, sub('mother'));
    await page.waitForURL(target);
    await page.getByRole('heading', { name: '我的预订' }).waitFor();
    expect(callback).toMatch(/code=.+state=|state=.+code=/);

    await page.goBack();
    await page.waitForURL(target);
    await page.getByRole('heading', { name: '即将用餐' }).waitFor();

    await page.goto(callback);
    await page.waitForURL(target);
    await page.getByRole('heading', { name: '即将用餐' }).waitFor();

    const tab = await page.context().newPage();
    await tab.goto(webUrl(`/family/elders/${elders.mother.id}`));
    await tab.getByRole('heading', { name: `为${elders.mother.name}订餐` }).waitFor();
    expect(tab.url()).not.toContain('/oauth2/');

    // Signing out ends the provider's session too: the next sign-in asks which account again.
    await tab.getByRole('button', { name: '退出登录' }).click();
    await signInButton(tab, 'public').waitFor();
    await signInButton(tab, 'public').click();
    await tab.waitForURL(/\/oauth2\/authorize/);
    await tab.locator(`button[value="${sub('mother')}"]`).waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('a double tap on 确认预订 books once', async () => {
    const date = addDays(today(), 2);
    const page = await signedIn('mother', bookingPage(elders.mother.id, fx.site.id, date));
    await page.getByRole('radio', { name: /午餐/ }).check();
    await page.getByRole('button', { name: '确认预订' }).dblclick();
    await page.getByText('预订成功').first().waitFor();
    const list = await api('GET', `/v1/bookings?elderId=${elders.mother.id}`, { token: await familyToken('mother') });
    expect(list.body.items.filter((b: { date: string; slot: string; status: string }) => b.date === date && b.slot === 'lunch' && b.status === 'booked')).toHaveLength(1);
    await page.context().close();
  });

  it('books with the keyboard alone: Tab reaches every control, Space picks, Enter confirms', async () => {
    const date = addDays(today(), 3);
    const page = await signedIn('mother', bookingPage(elders.mother.id, fx.site.id, date));
    await page.getByRole('button', { name: '确认预订' }).waitFor();
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return el ? `${el.tagName}:${el.type ?? ''}:${el.value ?? ''}:${(el.textContent ?? '').trim()}` : '';
    });
    const tabTo = async (pattern: RegExp) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (pattern.test(await focused())) return;
      }
      throw new Error(`Tab never reached ${pattern}`);
    };
    // A radio group is one Tab stop; the arrow keys move within it (and choose).
    await tabTo(/^INPUT:radio:(breakfast|lunch|dinner)/);
    for (let i = 0; i < 3 && !/:dinner:/.test(await focused()); i++) await page.keyboard.press('ArrowDown');
    expect(await focused()).toMatch(/^INPUT:radio:dinner/);
    await page.keyboard.press('Space');
    await tabTo(/^BUTTON:submit::确认预订/);
    await page.keyboard.press('Enter');
    await page.getByText('预订成功').first().waitFor();
    const list = await api('GET', `/v1/bookings?elderId=${elders.mother.id}`, { token: await familyToken('mother') });
    expect(list.body.items.filter((b: { date: string; slot: string; status: string }) => b.date === date && b.slot === 'dinner' && b.status === 'booked')).toHaveLength(1);
    await page.context().close();
  });

  it('two families race for the last seat: one is booked, the other is told 该餐次已订满', async () => {
    const path = (who: 'racerA' | 'racerB') => bookingPage(elders[who].id, raceSite.id, tomorrow());
    const [a, b] = await Promise.all([signedIn('racerA', path('racerA')), signedIn('racerB', path('racerB'))]);
    for (const p of [a, b]) {
      await expect.poll(() => remaining(p)).toBe('剩余 1 份');
      await p.getByRole('radio', { name: /午餐/ }).check();
    }
    await Promise.all([a, b].map((p) => p.getByRole('button', { name: '确认预订' }).click()));
    const outcome = (p: Page) =>
      Promise.race([
        p.getByText('预订成功').first().waitFor().then(() => 'booked'),
        p.getByText(errorSentences.SLOT_FULL).waitFor().then(() => 'full'),
      ]);
    expect((await Promise.all([outcome(a), outcome(b)])).sort()).toEqual(['booked', 'full']);
    const loser = (await a.getByText(errorSentences.SLOT_FULL).count()) ? a : b;
    await expectAccessible(loser, 'booking refused');
    await screenshot(loser, 'family-5-slot-full');
    // The loser's page now shows the slot as full.
    await expect.poll(() => remaining(loser)).toBe('已订满');
    const seats = await api('GET', `/v1/meal-sites/${raceSite.id}/availability?date=${tomorrow()}`, { token: fx.staff });
    expect(seats.body.slots.find((s: { slot: string }) => s.slot === 'lunch')).toMatchObject({ booked: 1, remaining: 0 });
    await Promise.all([a.context().close(), b.context().close()]);
  });

  it('an elder not linked to the family is refused, in words', async () => {
    const page = await signedIn('mother', `/family/elders/${elders.stranger.id}`);
    await page.getByRole('heading', { name: '无法查看' }).waitFor();
    await page.getByText(errorSentences.FORBIDDEN).waitFor();
    expect(await page.content()).not.toContain(elders.stranger.name);
    expect(await page.content()).not.toContain('FORBIDDEN');
    await expectAccessible(page, 'refused page');
    await page.goto(webUrl(bookingPage(elders.stranger.id, fx.site.id, tomorrow())));
    await page.getByText(errorSentences.FORBIDDEN).waitFor();
    await page.context().close();
  });
});
