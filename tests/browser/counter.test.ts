import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotAt } from '../../functions/meals/domain/slot-time.js';
import { yuan } from '../../web/src/format.js';
import { errorSentences } from '../../web/src/messages.js';
import { api, newIdNumber, token } from '../support/api.js';
import { chooseAccount, expectAccessible, launchBrowser, registerAccounts, screenshot, webUrl } from '../support/browser.js';
import { mealsFixture, today } from '../support/meals.js';

/**
 * The meal site's story, in Chromium on a tablet, against the real local stack: sign in, open
 * the counter, lose the network, serve five meals (one with a card nobody has), reload the page
 * with no network (the service worker serves it; the outbox is intact), get the network back,
 * and find exactly the four real meals on the server, once each, with their subsidies, the
 * unknown card listed with its reason, and totals equal to the county's daily report. Then an
 * upload cut off after the server stored it, and an elder served twice in one slot.
 */
let browser: Browser;
let fx: Awaited<ReturnType<typeof mealsFixture>>;
let site: { id: string };
const PRICE = 1500;
const cards = (n: number) => `C${fx.county}${String(n).padStart(2, '0')}`;
const elders: Record<'dibao' | 'plain' | 'byId' | 'booked' | 'twice' | 'cut1' | 'cut2' | 'cut3', { id: string; idNumber: string; card: string; name: string }> = {} as never;
const account = () => `site-${fx.county}`;
const siteToken = () => token({ role: 'site', sub: account(), county: fx.county, site: site.id });
const slot = () => slotAt(new Date());

beforeAll(async () => {
  [browser, fx] = await Promise.all([
    launchBrowser(),
    mealsFixture({ effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 300 }, { match: { categories: ['dibao'], minAge: 60 }, subsidyFen: 500 }] }),
  ]);
  // Every slot open all day at one price, so the story does not depend on the hour it runs.
  const all = { capacity: 100, priceFen: PRICE, cutoff: '23:59' };
  site = await fx.newSite({ name: '城关镇第3长者食堂', slots: { breakfast: all, lunch: all, dinner: all } });
  const names = { dibao: '张桂兰', plain: '李德全', byId: '王淑珍', booked: '刘玉梅', twice: '陈德福', cut1: '周秀云', cut2: '吴桂芳', cut3: '郑长林' } as const;
  let n = 0;
  for (const [k, name] of Object.entries(names) as [keyof typeof names, string][]) {
    const idNumber = newIdNumber(fx.county);
    const card = cards(++n);
    const r = await fx.register({ name, idNumber, cardNo: card, categories: k === 'dibao' ? ['dibao'] : [], ...(k === 'booked' && { dietaryNeeds: ['soft'] }) });
    elders[k] = { id: r.id, idNumber, card, name };
  }
  const b = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elders.booked.id, siteId: site.id, date: today(), slot: slot(), mode: 'dine_in' } });
  if (b.status !== 201) throw new Error(`booking: ${b.status} ${JSON.stringify(b.body)}`);
  registerAccounts(`counter-test-${fx.county}`, [{ id: account(), label: `助餐点（测试 ${fx.county}）`, claims: { role: 'site', sub: account(), county: fx.county, site: site.id } }]);
});

afterAll(async () => {
  await browser?.close();
});

const tablet = (b: Browser, opts: { portrait?: boolean; serviceWorkers?: 'allow' | 'block' } = {}) =>
  b.newContext({
    viewport: opts.portrait ? { width: 800, height: 1280 } : { width: 1024, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    // axe-core is injected as a script: the policy is bypassed for that (family.test.ts checks it is sent).
    bypassCSP: true,
    serviceWorkers: opts.serviceWorkers ?? 'allow',
  });

async function openCounter(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(webUrl('/counter'));
  await chooseAccount(page, account());
  await page.waitForURL(webUrl('/counter'));
  await page.getByTestId('network').getByText('网络已连接').waitFor();
  await page.getByTestId('card').waitFor();
  return page;
}

/** A card read: the number and Enter typed into the focused field; the confirmation shows a new record. */
async function swipe(page: Page, card: string): Promise<void> {
  const confirmation = page.getByTestId('confirmation');
  const before = (await confirmation.getAttribute('data-record')) ?? '';
  await page.getByTestId('card').fill(card);
  await page.getByTestId('card').press('Enter');
  await expect.poll(async () => (await confirmation.getAttribute('data-record')) ?? '').not.toBe(before);
}

const waitingCount = (page: Page) => page.getByTestId('waiting').textContent();
const serverServings = async () => (await api('GET', `/v1/meal-sites/${site.id}/servings?date=${today()}&limit=500`, { token: await siteToken() })).body.items as { id: string; elderId: string; clientRecordId: string; subsidyFen: number; payFen: number; status: string; slot: string }[];

describe('a meal site records meals at the counter, offline and back', { timeout: 150_000 }, () => {
  it('records five meals offline, survives a reload with no network, and uploads them once when the network is back', async () => {
    const context = await tablet(browser);
    const page = await openCounter(context);
    // Today's booking list arrived (the elder to pick), and the service worker controls the page.
    await page.getByTestId('to-serve').getByText(elders.booked.name).waitFor();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The active worker claims the open page (clientsClaim); on a loaded machine the claim can
    // come late, and a page loaded once the worker is active is always controlled: reload once then.
    const controlled = () => page.evaluate(() => !!navigator.serviceWorker.controller);
    const claimed = await expect.poll(controlled, { timeout: 15_000 }).toBe(true).then(() => true, () => false);
    if (!claimed) {
      await page.reload();
      await page.getByTestId('to-serve').getByText(elders.booked.name).waitFor();
    }
    await expect.poll(controlled, { timeout: 15_000 }).toBe(true);
    await expectAccessible(page, 'counter, landscape');
    await screenshot(page, 'counter-1-landscape');

    await context.setOffline(true);
    await page.getByTestId('network').getByText('网络未连接').waitFor();

    // 1-3: three cards, the third one nobody has.
    await swipe(page, elders.dibao.card);
    expect(await page.getByTestId('estimated').count()).toBe(1);
    await expect.poll(() => page.getByTestId('record-state').textContent()).toContain('等待上传');
    // The card field keeps the focus for the next elder.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('card');
    await swipe(page, elders.plain.card);
    await swipe(page, `X${fx.county}99`);
    // 4: an ID number, checked on the page with GB 11643: a wrong check character is refused there.
    const wrong = elders.byId.idNumber.slice(0, 17) + (elders.byId.idNumber[17] === '0' ? '1' : '0');
    await page.getByLabel('身份证号码').fill(wrong);
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('身份证号码有误').waitFor();
    await page.getByLabel('身份证号码').fill(elders.byId.idNumber);
    await page.getByRole('button', { name: '查找' }).click();
    // Offline the age comes from the number: 300 fen by the age rule, marked 预计.
    await expect.poll(() => page.getByTestId('subsidy').textContent()).toBe(`−${yuan(300)}`);
    await page.getByRole('button', { name: '确认用餐' }).click();
    await expect.poll(() => page.getByTestId('record-state').textContent()).toContain('等待上传');
    // 5: picked from today's bookings: the booking's own figures.
    await page.getByTestId('to-serve').getByRole('button', { name: `选择 ${elders.booked.name}` }).click();
    await page.getByTestId('who').getByText(elders.booked.name).waitFor();
    await page.getByRole('button', { name: '确认用餐' }).click();
    await expect.poll(() => waitingCount(page)).toBe('待上传 5 条');
    expect(await page.getByTestId('total-meals').textContent()).toBe('5 份');
    expect(await serverServings()).toEqual([]);

    // Reload with no network: the page comes from the service worker, the outbox from IndexedDB.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await page.getByTestId('network').getByText('网络未连接').waitFor();
    await expect.poll(() => waitingCount(page)).toBe('待上传 5 条');
    // Today's booking list came from the device's store, not the network.
    await page.getByTestId('kitchen').getByText('预订 1 份').waitFor();

    // Back online: the upload starts by itself.
    await context.setOffline(false);
    await expect.poll(() => waitingCount(page), { timeout: 30_000 }).toBe('待上传 0 条');
    const rejected = page.getByTestId('rejected-item');
    await expect.poll(() => rejected.count()).toBe(1);
    expect(await rejected.getByTestId('rejected-reason').textContent()).toContain(errorSentences.ELDER_NOT_FOUND);
    expect(await rejected.textContent()).toContain(`X${fx.county}99`);

    // Exactly four servings, one per elder, with the server's subsidies.
    const items = await serverServings();
    expect(items).toHaveLength(4);
    expect(new Set(items.map((s) => s.clientRecordId)).size).toBe(4);
    const byElder = new Map(items.map((s) => [s.elderId, s]));
    expect(byElder.get(elders.dibao.id)?.subsidyFen).toBe(500);
    expect(byElder.get(elders.plain.id)?.subsidyFen).toBe(300);
    expect(byElder.get(elders.byId.id)?.subsidyFen).toBe(300);
    expect(byElder.get(elders.booked.id)?.subsidyFen).toBe(300);
    // The booking picked is now served.
    const kitchen = await api('GET', `/v1/meal-sites/${site.id}/bookings?date=${today()}`, { token: await siteToken() });
    expect(kitchen.body.bookings.find((b: { elderId: string }) => b.elderId === elders.booked.id).status).toBe('served');

    // The totals on the page are the county's daily report for this site.
    const report = await api('GET', `/v1/reports/meals/daily?date=${today()}`, { token: fx.staff });
    const line = report.body.sites.find((s: { siteId: string }) => s.siteId === site.id);
    expect(line).toMatchObject({ servings: 4, subsidyFen: 1400 });
    await expect.poll(() => page.getByTestId('total-meals').textContent()).toBe(`${line.servings} 份`);
    expect(await page.getByTestId('total-subsidy').textContent()).toBe(yuan(line.subsidyFen));
    expect(await page.getByTestId('total-pay').textContent()).toBe(yuan(items.reduce((a, s) => a + s.payFen, 0)));
    expect(await page.getByTestId('last-upload').textContent()).toMatch(/上次上传 \d\d:\d\d/);

    // The service worker's caches hold the counter's files only: no API answer, no other page's chunk.
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    expect(cached.some((u) => u.startsWith('/assets/counter-'))).toBe(true);
    expect(cached.some((u) => u === '/index.html')).toBe(true);
    expect(cached.filter((u) => u.startsWith('/v1') || u.startsWith('/config') || u.includes('oidc-client'))).toEqual([]);

    await expectAccessible(page, 'counter with a rejected record');
    await page.setViewportSize({ width: 800, height: 1280 });
    await expectAccessible(page, 'counter, portrait');
    await screenshot(page, 'counter-2-portrait');

    // The site discards the refused record with a reason; it leaves the list.
    await rejected.getByPlaceholder('至少 2 个字').fill('误刷了未登记的卡');
    await rejected.getByRole('button', { name: '作废此记录' }).click();
    await expect.poll(() => rejected.count()).toBe(0);
    await context.close();
  });

  it('an upload cut off after the server stored it is sent again with the same clientRecordIds: no duplicate, nothing lost', async () => {
    // Playwright's routing does not see requests of pages a service worker controls: blocked here.
    const context = await tablet(browser, { serviceWorkers: 'block' });
    const page = await openCounter(context);
    await context.setOffline(true);
    await page.getByTestId('network').getByText('网络未连接').waitFor();
    for (const k of ['cut1', 'cut2', 'cut3'] as const) await swipe(page, elders[k].card);
    await expect.poll(() => waitingCount(page)).toBe('待上传 3 条');

    const sent: string[][] = [];
    let cut = 0;
    await page.route('**/v1/meal-sites/*/servings', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent.push((route.request().postDataJSON() as { records: { clientRecordId: string }[] }).records.map((r) => r.clientRecordId));
      if (cut++ === 0) {
        // The request reaches the server and is stored; the answer never reaches the page.
        const answer = await route.fetch();
        expect(answer.status()).toBe(200);
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => sent.length, { timeout: 20_000 }).toBe(1);
    expect(sent[0]).toHaveLength(3);
    // The cut request left every record waiting.
    await expect.poll(() => page.getByRole('button', { name: '立即上传' }).isEnabled()).toBe(true);
    expect(await waitingCount(page)).toBe('待上传 3 条');
    await page.getByRole('button', { name: '立即上传' }).click();
    await expect.poll(() => waitingCount(page), { timeout: 20_000 }).toBe('待上传 0 条');
    expect(sent[1]).toEqual(sent[0]);

    const mine = (await serverServings()).filter((s) => sent[0]!.includes(s.clientRecordId));
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((s) => s.elderId))).toEqual(new Set([elders.cut1.id, elders.cut2.id, elders.cut3.id]));
    expect(await page.getByTestId('rejected-item').count()).toBe(0);
    await context.close();
  });

  it('two tabs of one counter: a record made in one waits in the other too, and an upload by either clears both', async () => {
    const context = await tablet(browser, { serviceWorkers: 'block' });
    const a = await openCounter(context);
    const b = await context.newPage();
    await b.goto(webUrl('/counter'));
    // The second tab may find the sign-in kept, or sign in again: either way it reaches the counter.
    await b.waitForURL((u) => u.pathname === '/counter' || u.pathname.includes('/oauth2/authorize'));
    if (b.url().includes('/oauth2/authorize')) await chooseAccount(b, account());
    await b.getByTestId('card').waitFor();
    await context.setOffline(true);
    await a.getByTestId('network').getByText('网络未连接').waitFor();
    await swipe(a, `X${fx.county}77`);
    await expect.poll(() => waitingCount(b), { timeout: 10_000 }).toBe('待上传 1 条');
    await context.setOffline(false);
    // The card is nobody's: after the upload it is a refused record, and neither tab counts it as waiting.
    await expect.poll(() => waitingCount(a), { timeout: 30_000 }).not.toContain('待上传 1');
    await expect.poll(() => waitingCount(b), { timeout: 10_000 }).toBe(await waitingCount(a));
    await context.close();
  });

  it('the same elder served twice in one slot: the second meal is shown at full price', async () => {
    const context = await tablet(browser, { serviceWorkers: 'block' });
    const page = await openCounter(context);
    await swipe(page, elders.twice.card);
    await expect.poll(() => page.getByTestId('record-state').textContent(), { timeout: 20_000 }).toContain('已上传');
    expect(await page.getByTestId('subsidy').textContent()).toBe(`−${yuan(300)}`);
    await page.getByTestId('who').getByText(elders.twice.name).waitFor();

    await swipe(page, elders.twice.card);
    await expect.poll(() => page.getByTestId('record-state').textContent(), { timeout: 20_000 }).toContain('已上传');
    expect(await page.getByTestId('price').textContent()).toBe(yuan(PRICE));
    expect(await page.getByTestId('subsidy').textContent()).toBe(`−${yuan(0)}`);
    expect(await page.getByTestId('pay').textContent()).toBe(yuan(PRICE));
    await page.getByTestId('repeat').waitFor();
    expect(await page.getByTestId('estimated').count()).toBe(0);
    await screenshot(page, 'counter-3-second-meal');

    const twice = (await serverServings()).filter((s) => s.elderId === elders.twice.id);
    expect(twice.map((s) => s.subsidyFen).sort()).toEqual([0, 300]);

    // The second meal was a mistake: voided with a reason (the newest meal is the first row).
    const row = page.getByTestId('recent-served').first();
    expect(await row.textContent()).toContain(`${yuan(PRICE)} / ${yuan(0)} / ${yuan(PRICE)}`);
    await row.getByRole('button', { name: '作废' }).click();
    await row.getByLabel('作废原因').fill('重复刷卡，老人只用了一份餐');
    await row.getByRole('button', { name: '确认作废' }).click();
    await row.getByText('已作废').waitFor();
    const after = (await serverServings()).filter((s) => s.elderId === elders.twice.id);
    expect(after.find((s) => s.subsidyFen === 0)?.status).toBe('voided');
    expect(after.find((s) => s.subsidyFen === 300)?.status).toBe('recorded');

    // Online, an ID number nobody registered is said at once, before anything is recorded.
    const waitingBefore = await page.getByTestId('recent-served').count();
    await page.getByLabel('身份证号码').fill(newIdNumber(fx.county, '19391111'));
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByText('没有找到这位老人的登记信息').waitFor();
    expect(await page.getByRole('button', { name: '确认用餐' }).count()).toBe(0);
    expect(await page.getByTestId('recent-served').count()).toBe(waitingBefore);

    // The home page sends a signed-in site account to its counter.
    await page.goto(webUrl('/'));
    await page.waitForURL(webUrl('/counter'));
    await context.close();
  });
});
