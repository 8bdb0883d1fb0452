import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cstMonthDayTime } from '../../web/src/format.js';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';
import { chooseAccount, desk, expectAccessible, expectLargeTapTargets, expectUsableAtDoubleZoom, launchBrowser, phone, registerAccounts, screenshot, webUrl } from '../support/browser.js';

/**
 * The waiting list for care beds (轮候), in Chromium against the real local stack, in counties of
 * this file's own. County staff file an application on the page and see it in the queue with its
 * position and class; under a policy of two classes a 特困 elder filed later is ahead; a new
 * policy version published from the page re-orders the queue; withdrawal asks first. In a second
 * county with a public institution, filing makes offers of its vacant beds: staff accept one on
 * the offers page and the bed board shows the elder in the bed; the institution's staff see the
 * other bed held (为轮候老人保留, until when) and record the elder's decline, which frees it. A
 * family sees its elder's place and the bed held for them. axe-core on every page.
 */
let browser: Browser;
type Fx = Awaited<ReturnType<typeof countyFixture>>;
/** The queue county: no institutions, so no offer is ever made there. */
let fx: Fx;
/** The offers county: one public institution with two vacant nursing beds. */
let ox: Fx;
let home: { id: string; name: string };
const acct = (who: string, county: string) => `${who}-w-${county}`;
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 200 });

/** Classes as a county publishes them: 特困 first, then elders who have lost most capacity. */
const twoClasses = [
  { name: '特困供养', match: { categories: ['tekun'] } },
  { name: '重度失能', match: { capabilityLevelAtLeast: 3 } },
];

beforeAll(async () => {
  [browser, fx, ox] = await Promise.all([launchBrowser(), countyFixture(), countyFixture()]);
  for (const county of [fx, ox]) {
    const put = await api('PUT', '/v1/admission-policy', { token: county.staff, body: { effectiveFrom: '2020-01-01', classes: twoClasses, declinesBeforeRequeue: 2 } });
    if (put.status !== 200) throw new Error(`policy: ${put.status} ${JSON.stringify(put.body)}`);
  }
  const made = await api('POST', '/v1/institutions', { token: ox.staff, body: { name: '城关镇敬老院', township: ox.township, kind: 'welfare_home' } });
  if (made.status !== 201) throw new Error(`institution: ${made.status} ${JSON.stringify(made.body)}`);
  home = made.body;
  const beds = await api('POST', `/v1/institutions/${home.id}/beds`, { token: ox.staff, body: { beds: [{ label: '1号楼-101-1', careType: 'nursing' }, { label: '1号楼-101-2', careType: 'nursing' }] } });
  if (beds.status !== 201) throw new Error(`beds: ${beds.status} ${JSON.stringify(beds.body)}`);
  registerAccounts(`waiting-test-${fx.county}`, [
    { id: acct('staff', fx.county), label: '县民政局（轮候测试）', claims: { role: 'staff', sub: acct('staff', fx.county), county: fx.county } },
    { id: acct('staff', ox.county), label: '县民政局（配床测试）', claims: { role: 'staff', sub: acct('staff', ox.county), county: ox.county } },
    { id: acct('institution', ox.county), label: '敬老院（配床测试）', claims: { role: 'institution', sub: acct('institution', ox.county), county: ox.county, institution: home.id } },
    { id: acct('family', ox.county), label: '家属（配床测试）', claims: { role: 'family', sub: acct('family', ox.county), county: ox.county } },
  ]);
});

afterAll(async () => {
  await browser?.close();
});

async function signedIn(who: string, county: Fx, path: string, on: 'desk' | 'phone' = 'desk'): Promise<Page> {
  const page = await (await (on === 'desk' ? desk(browser) : phone(browser))).newPage();
  await page.goto(webUrl(path));
  // Staff and institutions sign in at the staff realm, families at the public one.
  await chooseAccount(page, acct(who, county.county), who === 'family' ? 'public' : 'staff');
  await page.waitForURL(webUrl(path));
  return page;
}

/** The queue as the page shows it: elder id, position, class and status per row. */
const shownQueue = (page: Page) =>
  page.getByTestId('queue').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      elderId: tr.getAttribute('data-elder'),
      position: Number(tr.querySelector('[data-col="position"]')!.textContent),
      class: tr.querySelector('[data-col="class"]')!.textContent,
    })),
  );
const apiQueue = async (county: Fx) =>
  ((await api('GET', '/v1/bed-applications', { token: county.staff })).body.items as { elderId: string; position: number; priorityClass: string; classRank: number }[])
    .map((e) => ({ elderId: e.elderId, position: e.position, class: e.priorityClass === '其他' ? '其他' : `第${'一二'[e.classRank]}类 ${e.priorityClass}` }));

describe('the queue, the policy and the application form', { timeout: 120_000 }, () => {
  let first: { id: string; name: string };
  let tekun: { id: string; name: string; idNumber: string };

  it('staff file an application on the page; a 特困 elder filed later is ahead of one filed earlier, each with position and class', async () => {
    first = { id: (await fx.register({ name: '王德福', categories: ['living_alone'] })).id, name: '王德福' };
    const filed = await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: first.id, careType: 'ordinary' } });
    expect(filed.status).toBe(201);
    const idNumber = newIdNumber(fx.county);
    tekun = { id: (await fx.register({ name: '李桂芝', idNumber, categories: ['tekun'] })).id, name: '李桂芝', idNumber };

    const page = await (await desk(browser)).newPage();
    const scripts = scriptsOf(page);
    await page.goto(webUrl('/staff/waiting-list'));
    await chooseAccount(page, acct('staff', fx.county), 'staff');
    await page.getByRole('heading', { name: '养老床位轮候' }).waitFor();
    // The page is its own lazy chunk (the family pages never fetch it: the family test checks).
    expect(scripts).toContain('waiting-list');
    // The policy in force, in words
    await eventually(() => page.getByTestId('policy').locator('li').allTextContents()).toEqual([
      '第一类 特困供养：属于特困', '第二类 重度失能：老年人能力等级3级及以上', '其他：不属于以上类别的老人，排在以上各类别之后',
    ]);
    await eventually(() => shownQueue(page)).toEqual([{ elderId: first.id, position: 1, class: '其他' }]);

    // File for 李桂芝, found by ID number
    const apply = page.locator('section[aria-labelledby="apply"]');
    await apply.getByRole('textbox', { name: '身份证号' }).fill(idNumber);
    await apply.getByRole('button', { name: '查找老人', exact: true }).click();
    await apply.getByRole('heading', { name: '为李桂芝登记床位申请' }).waitFor();
    await apply.getByRole('radio', { name: '护理型' }).check();
    await apply.getByLabel('照护需求标签（可不填）').fill('认知症');
    await apply.getByRole('button', { name: '登记申请' }).click();
    await apply.getByText('标签为英文小写字母、数字或下划线，以字母开头，最多10个。').waitFor();
    await apply.getByLabel('照护需求标签（可不填）').fill('dementia_care');
    await expectAccessible(page, 'waiting list (application form)');
    await apply.getByRole('button', { name: '登记申请' }).click();
    await page.getByRole('status').filter({ hasText: '已为李桂芝登记床位申请，目前排第1位（特困供养）。' }).waitFor();

    // The queue: 特困 first though filed later; what the page shows is what the API says
    await eventually(() => shownQueue(page)).toEqual([
      { elderId: tekun.id, position: 1, class: '第一类 特困供养' },
      { elderId: first.id, position: 2, class: '其他' },
    ]);
    expect(await shownQueue(page)).toEqual(await apiQueue(fx));
    const mine = (await api('GET', '/v1/bed-applications', { token: fx.staff })).body.items[0];
    expect(mine).toMatchObject({ elderId: tekun.id, careType: 'nursing', tags: ['dementia_care'], categoriesAtFiling: ['tekun'] });
    // The care tag is said in words, not as its code.
    await page.getByRole('cell', { name: /认知症照护/ }).first().waitFor();
    await expectAccessible(page, 'waiting list');
    await screenshot(page, 'staff-12-waiting-list', { fullPage: true });
    await page.context().close();
  });

  it('a new policy version published on the page re-orders the queue', async () => {
    const frail = await fx.register({ name: '赵长顺', categories: [], capabilityLevel: 3 });
    expect((await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: frail.id, careType: 'nursing' } })).status).toBe(201);
    const page = await signedIn('staff', fx, '/staff/waiting-list');
    await eventually(() => shownQueue(page)).toEqual([
      { elderId: tekun.id, position: 1, class: '第一类 特困供养' },
      { elderId: frail.id, position: 2, class: '第二类 重度失能' },
      { elderId: first.id, position: 3, class: '其他' },
    ]);
    await page.getByText('发布新版轮候规则').click();
    const form = page.locator('form.policy-form');
    // A class without a name is refused beside the field
    await form.getByRole('button', { name: '增加一类' }).click();
    await form.getByRole('button', { name: '发布' }).click();
    await form.getByText('请填写类别名称，最多40个字。').waitFor();
    await form.locator('fieldset[data-class="2"]').getByRole('button', { name: '删去这一类' }).click();
    // 重度失能 moved up to the first class, effective today (the form's default)
    await form.locator('fieldset[data-class="1"]').getByRole('button', { name: '上移' }).click();
    await expect.poll(() => form.getByLabel('第一类名称').inputValue()).toBe('重度失能');
    await expectAccessible(page, 'policy form');
    await form.getByRole('button', { name: '发布' }).click();
    await page.getByRole('status').filter({ hasText: '已发布新版轮候规则' }).waitFor();
    const policy = (await api('GET', '/v1/admission-policy', { token: fx.staff })).body;
    expect(policy.classes.map((c: { name: string }) => c.name)).toEqual(['重度失能', '特困供养']);
    await eventually(() => shownQueue(page)).toEqual([
      { elderId: frail.id, position: 1, class: '第一类 重度失能' },
      { elderId: tekun.id, position: 2, class: '第二类 特困供养' },
      { elderId: first.id, position: 3, class: '其他' },
    ]);
    await eventually(() => page.getByTestId('policy').locator('li').first().textContent()).toBe('第一类 重度失能：老年人能力等级3级及以上');
    // A version published for a later date is shown beside the one in force, and the form starts from it.
    expect((await api('PUT', '/v1/admission-policy', { token: fx.staff, body: { effectiveFrom: '2099-01-01', classes: [{ name: '高龄', match: { minAge: 80 } }], declinesBeforeRequeue: 1 } })).status).toBe(200);
    await page.reload();
    const scheduled = page.getByTestId('policy-scheduled');
    await scheduled.getByRole('heading', { name: '已发布、待施行的新版规则（自2099-01-01起施行）' }).waitFor();
    expect(await scheduled.getByTestId('policy-scheduled-lines').locator('li').allTextContents()).toEqual(['第一类 高龄：年满80周岁', expect.stringContaining('其他')]);
    expect(await page.getByTestId('policy').locator('li').first().textContent()).toBe('第一类 重度失能：老年人能力等级3级及以上');
    await expectAccessible(page, 'a scheduled policy version');
    await page.context().close();
  });

  it('withdrawal asks first; 取消 keeps the application, 确定撤回 takes it off the queue', async () => {
    const page = await signedIn('staff', fx, '/staff/waiting-list');
    const row = page.locator(`tr[data-elder="${first.id}"]`);
    await row.getByRole('button', { name: '撤回申请' }).click();
    const ask = page.getByRole('group', { name: '撤回申请' });
    await ask.getByText('确定撤回第3位老人的床位申请吗？', { exact: false }).waitFor();
    await ask.getByRole('button', { name: '取消' }).click();
    expect((await apiQueue(fx)).map((e) => e.elderId)).toContain(first.id);
    await row.getByRole('button', { name: '撤回申请' }).click();
    await page.getByRole('group', { name: '撤回申请' }).getByRole('button', { name: '确定撤回' }).click();
    await page.getByRole('status').filter({ hasText: '已撤回这份申请。' }).waitFor();
    await eventually(() => page.locator(`tr[data-elder="${first.id}"]`).count()).toBe(0);
    expect((await apiQueue(fx)).map((e) => e.elderId)).not.toContain(first.id);
    // A second application for an elder already waiting is refused in words
    const apply = page.locator('section[aria-labelledby="apply"]');
    await apply.getByRole('textbox', { name: '身份证号' }).fill(tekun.idNumber);
    await apply.getByRole('button', { name: '查找老人', exact: true }).click();
    await apply.getByRole('button', { name: '登记申请' }).click();
    await apply.getByRole('alert').filter({ hasText: '这位老人已有一份正在轮候的床位申请，不能重复申请。' }).waitFor();
    // The elder link opens the elder's record
    await page.locator(`tr[data-elder="${tekun.id}"]`).getByRole('link').click();
    await page.getByRole('heading', { name: '找到的老人：李桂芝' }).waitFor();
    await page.context().close();
  });
});

/** Script files the page fetches, by chunk name (the part before Vite's hash). */
function scriptsOf(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (r) => {
    const m = /\/assets\/([A-Za-z0-9_.-]+?)-[A-Za-z0-9_-]{8}\.js$/.exec(new URL(r.url()).pathname);
    if (m) names.push(m[1]!);
  });
  return names;
}

/** Whether the offers back end is in (it lands separately): without it these tests cannot run. */
const offersLive = async () => (await fetch(webUrl('/v1/openapi.json')).then((r) => r.json()) as { paths: Record<string, unknown> }).paths['/v1/offers'] !== undefined;

describe('offers: a held bed accepted, another declined', { timeout: 180_000 }, () => {
  it('filing makes offers of the public institution\'s vacant beds; staff accept one on the offers page and the board shows the elder in the bed', async (ctx) => {
    if (!(await offersLive())) return ctx.skip();
    const taker = await ox.register({ name: '孙玉珍', categories: ['tekun'] });
    expect((await api('POST', '/v1/bed-applications', { token: ox.staff, body: { elderId: taker.id, careType: 'nursing' } })).status).toBe(201);
    const offers = async () => (await api('GET', `/v1/offers?institutionId=${home.id}&status=open`, { token: ox.staff })).body.items as { id: string; elderId: string; bedLabel: string; bedId: string; expiresAt: string }[];
    await eventually(async () => (await offers()).map((o) => o.elderId)).toEqual([taker.id]);
    const offer = (await offers())[0]!;

    const page = await signedIn('staff', ox, '/staff/offers');
    const card = page.locator(`li[data-offer="${offer.id}"]`);
    await card.waitFor();
    // 保留至 in China Standard Time, as the bureau writes a deadline
    expect(await card.textContent()).toContain(`保留至 ${cstMonthDayTime(offer.expiresAt)}前`);
    expect(await card.textContent()).toContain(`${home.name} ${offer.bedLabel}`);
    await expectAccessible(page, 'offers');
    await card.getByRole('button', { name: '办理入住', exact: true }).click();
    await screenshot(page, 'staff-13-offers', { fullPage: true });
    await card.getByRole('button', { name: `办理入住：${offer.bedLabel}` }).click();
    await page.getByRole('status').filter({ hasText: `已办理入住：${home.name} ${offer.bedLabel}。` }).waitFor();
    const bed = (await api('GET', `/v1/institutions/${home.id}/beds`, { token: ox.staff })).body.items.find((b: { id: string }) => b.id === offer.bedId);
    expect(bed.occupant.elderId).toBe(taker.id);
    // The accepted offer leaves the open list; the figures count it in this month, as the API does
    await eventually(() => page.locator(`li[data-offer="${offer.id}"]`).count()).toBe(0);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const figures = (await api('GET', `/v1/waiting-list/figures?from=${month}&to=${month}`, { token: ox.staff })).body;
    expect(figures.months[0]).toMatchObject({ month, accepted: 1 });
    await page.reload();
    const row = page.getByTestId('figures-months').locator(`tr[data-month="${month}"]`);
    await eventually(() => row.locator('td').allTextContents()).toEqual(['made', 'accepted', 'declined', 'expired', 'withdrawn'].map((k) => String(figures.months[0][k])));
    await page.getByTestId('figures-waits').getByRole('row', { name: new RegExp(home.name) }).waitFor();
    await expectAccessible(page, 'offers with figures');

    await page.goto(webUrl(`/staff/beds/${home.id}`));
    await eventually(() => page.locator(`button[data-bed="${offer.bedLabel}"]`).textContent()).toContain('已入住');
    await eventually(() => page.getByTestId('bed-log').locator('tbody tr').first().textContent()).toContain('轮候配床入住');
    await page.context().close();
  });

  it('the institution sees the other bed held for a waiting elder until when, and records the elder\'s decline, which frees it', async (ctx) => {
    if (!(await offersLive())) return ctx.skip();
    const decliner = await ox.register({ name: '钱德明', categories: [], capabilityLevel: 3 });
    expect((await api('POST', '/v1/bed-applications', { token: ox.staff, body: { elderId: decliner.id, careType: 'nursing' } })).status).toBe(201);
    const open = async () => (await api('GET', `/v1/offers?institutionId=${home.id}&status=open`, { token: ox.staff })).body.items as { id: string; elderId: string; bedLabel: string; bedId: string; expiresAt: string }[];
    await eventually(async () => (await open()).map((o) => o.elderId)).toEqual([decliner.id]);
    const offer = (await open())[0]!;

    const page = await signedIn('institution', ox, '/institution');
    const bed = page.locator(`button[data-bed="${offer.bedLabel}"]`);
    await eventually(() => bed.textContent()).toContain('为轮候老人保留');
    expect(await bed.textContent()).toContain(`保留至 ${cstMonthDayTime(offer.expiresAt)}前`);
    await page.getByTestId('open-offers').locator(`li[data-offer="${offer.id}"]`).waitFor();
    await expectAccessible(page, 'bed board with a held bed');
    await screenshot(page, 'staff-14-held-bed', { fullPage: true });
    await bed.click();
    const panel = page.getByTestId('bed-panel');
    await panel.getByTestId('held-note').waitFor();
    // No status buttons on a held bed: it changes only through its offer
    expect(await panel.getByRole('button', { name: '设为空床' }).count()).toBe(0);
    await panel.getByRole('button', { name: '登记放弃' }).click();
    await panel.getByRole('button', { name: '确定登记放弃' }).click();
    await panel.getByText('请填写放弃的原因。').waitFor();
    await panel.getByLabel('放弃原因').fill('家属希望离家更近');
    await panel.getByRole('button', { name: '确定登记放弃' }).click();
    await page.getByRole('status').filter({ hasText: `已登记放弃。${offer.bedLabel}已释放，将按轮候顺序配给下一位符合条件的老人` }).waitFor();
    const declined = (await api('GET', `/v1/offers/${offer.id}`, { token: ox.staff })).body;
    expect(declined).toMatchObject({ status: 'declined', reason: '家属希望离家更近' });
    // The bed is no longer held for this offer; the board says what the API says
    const after = (await api('GET', `/v1/institutions/${home.id}/beds`, { token: ox.staff })).body.items.find((b: { id: string }) => b.id === offer.bedId);
    expect(after.offerId).not.toBe(offer.id);
    await eventually(() => bed.textContent()).toContain(after.offerId ? '为轮候老人保留' : '空床');
    await eventually(() => page.getByTestId('bed-log').locator('tbody tr').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('轮候对象放弃')]));
    await page.context().close();
  });
});

describe('a family sees its elder\'s place', { timeout: 120_000 }, () => {
  /** Whether the elder's application route is in (it lands separately). */
  const familyRouteLive = async () => (await fetch(webUrl('/v1/openapi.json')).then((r) => r.json()) as { paths: Record<string, unknown> }).paths['/v1/elders/{elderId}/bed-application'] !== undefined;

  it('当前排第N位 with the reason in one sentence, nothing about other elders; no section for an elder without an application', async (ctx) => {
    if (!(await familyRouteLive())) return ctx.skip();
    const mother = await fx.register({ name: '周秀英', categories: ['tekun'] });
    const other = await fx.register({ name: '吴淑芬', categories: [] });
    for (const e of [mother, other]) await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: acct('family', fx.county), relation: 'child' } });
    registerAccounts(`waiting-family-${fx.county}`, [{ id: acct('family', fx.county), label: '家属（轮候测试）', claims: { role: 'family', sub: acct('family', fx.county), county: fx.county } }]);
    expect((await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: mother.id, careType: 'nursing' } })).status).toBe(201);
    const position = (await api('GET', '/v1/bed-applications', { token: fx.staff })).body.items.find((e: { elderId: string }) => e.elderId === mother.id).position;

    const page = await (await phone(browser)).newPage();
    const scripts = scriptsOf(page);
    await page.goto(webUrl(`/family/elders/${mother.id}`));
    await chooseAccount(page, acct('family', fx.county), 'public');
    await page.waitForURL(webUrl(`/family/elders/${mother.id}`));
    const section = page.getByTestId('bed-wait');
    await eventually(() => section.getByTestId('bed-wait-position').textContent()).toBe(`当前排第${position}位`);
    expect(await section.textContent()).toContain('按县民政局轮候规则，优先类别的老人排在前面，同一类别按申请先后排序；老人属于第二类“特困供养”');
    expect(await section.textContent()).not.toContain('王德福');
    await expectAccessible(page, 'family: waiting');
    await expectLargeTapTargets(page, 'family: waiting');
    await expectUsableAtDoubleZoom(page, 'family: waiting');
    await screenshot(page, 'family-6-bed-wait');
    // The family's phone fetched none of the staff pages' chunks (their words and zod schemas included).
    expect(scripts).toContain('index');
    for (const chunk of ['waiting-list', 'offers', 'offer-actions', 'waiting-forms', 'staff-messages', 'board', 'staff-only']) expect(scripts).not.toContain(chunk);
    await page.goto(webUrl(`/family/elders/${other.id}`));
    await page.getByRole('heading', { name: '为吴淑芬订餐' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('bed-wait').count()).toBe(0);
    await page.context().close();
  });

  it('the bed held for the elder: where and until when', async (ctx) => {
    if (!(await offersLive()) || !(await familyRouteLive())) return ctx.skip();
    const dad = await ox.register({ name: '郑国强', categories: ['tekun'] });
    await api('POST', `/v1/elders/${dad.id}/family-links`, { token: ox.staff, body: { familySub: acct('family', ox.county), relation: 'child' } });
    // The earlier applications withdrawn (a withdrawn offer frees its bed), so the bed the
    // decline freed goes to this elder whatever the back end did with it meanwhile.
    for (const e of (await api('GET', '/v1/bed-applications', { token: ox.staff })).body.items as { id: string }[]) {
      expect((await api('POST', `/v1/bed-applications/${e.id}/withdraw`, { token: ox.staff })).status).toBe(200);
    }
    expect((await api('POST', '/v1/bed-applications', { token: ox.staff, body: { elderId: dad.id, careType: 'nursing' } })).status).toBe(201);
    const offerOf = async () => ((await api('GET', `/v1/offers?institutionId=${home.id}&status=open`, { token: ox.staff })).body.items as { elderId: string; bedLabel: string; expiresAt: string }[]).find((o) => o.elderId === dad.id);
    await eventually(async () => (await offerOf()) !== undefined).toBe(true);
    const offer = (await offerOf())!;
    const familyToken = await token({ role: 'family', sub: acct('family', ox.county), county: ox.county });
    expect((await api('GET', `/v1/elders/${dad.id}/bed-application`, { token: familyToken })).body.offer).toMatchObject({ institutionName: home.name, bedLabel: offer.bedLabel });

    const page = await signedIn('family', ox, `/family/elders/${dad.id}`, 'phone');
    await eventually(() => page.getByTestId('bed-wait').textContent()).toContain(`已为您家老人在${home.name}保留床位（${offer.bedLabel}），请于${cstMonthDayTime(offer.expiresAt)}前到该机构办理入住。`);
    await expectAccessible(page, 'family: held bed');
    await screenshot(page, 'family-7-bed-held');
    await page.context().close();
  });
});
