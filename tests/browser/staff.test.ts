import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOccupancy } from '../../functions/beds/occupancy.js';
import { config } from '../../functions/lib/config.js';
import { db } from '../../functions/lib/dynamo.js';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';
import { chooseAccount, desk, expectAccessible, launchBrowser, registerAccounts, screenshot, signInButton, signInFromHome, webUrl } from '../support/browser.js';
import { useLocalEnv } from '../support/env.js';
import { addDays, siteBody, today } from '../support/meals.js';
import { dateLabel } from '../../web/src/format.js';

/**
 * County and township civil-affairs staff, and an institution's staff, in Chromium on a desk
 * computer against the real local stack, in a county of this file's own: the occupancy
 * dashboard equals GET /v1/occupancy and its charts are drawn; an admission on the bed board
 * moves the figures by one; township staff see only their township; the settlement downloads as
 * an .xlsx whose totals equal the JSON and whose formula-like text stays text; a welfare alert
 * closed with a note leaves the open list; axe-core on every page.
 */
let browser: Browser;
let fx: Awaited<ReturnType<typeof countyFixture>>;
let home: { id: string; name: string };
let otherHome: { id: string; name: string };
let staleHome: { id: string; name: string };
const beds: { id: string; label: string }[] = [];
const acct = (who: string) => `${who}-${fx.county}`;
/** expect.poll with room for a busy 2-core machine (the default second is too short for an API round trip there). */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 200 });

beforeAll(async () => {
  [browser, fx] = await Promise.all([launchBrowser(), countyFixture()]);
  const institution = async (name: string, township: string) => {
    const r = await api('POST', '/v1/institutions', { token: fx.staff, body: { name, township, kind: 'public', starRating: 3 } });
    if (r.status !== 201) throw new Error(`institution: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; name: string };
  };
  home = await institution('城关镇敬老院', fx.township);
  otherHome = await institution('东关镇颐养中心', fx.otherTownship);
  const labels = ['1号楼-101-1', '1号楼-101-2', '1号楼-102-1', '2号楼-201-1'];
  const added = await api('POST', `/v1/institutions/${home.id}/beds`, { token: fx.staff, body: { beds: labels.map((label, i) => ({ label, careType: i < 2 ? 'nursing' : 'ordinary', tags: i === 0 ? ['dementia_care'] : [] })) } });
  if (added.status !== 201) throw new Error(`beds: ${added.status} ${JSON.stringify(added.body)}`);
  beds.push(...added.body.items);
  await api('POST', `/v1/institutions/${otherHome.id}/beds`, { token: fx.staff, body: { beds: [{ label: 'A-1', careType: 'ordinary' }, { label: 'A-2', careType: 'ordinary' }] } });
  // One resident already: the figures are not all zero.
  const resident = await fx.register({ name: '刘长贵' });
  const admitted = await api('POST', `/v1/institutions/${home.id}/admissions`, { token: fx.staff, body: { bedId: beds[1]!.id, elderId: resident.id, admittedAt: new Date().toISOString() } });
  if (admitted.status !== 201) throw new Error(`admit: ${admitted.status} ${JSON.stringify(admitted.body)}`);
  useLocalEnv();
  // An institution silent for ten days: its counter item says when its beds last changed.
  staleHome = await institution('东关镇幸福院', fx.otherTownship);
  await api('POST', `/v1/institutions/${staleHome.id}/beds`, { token: fx.staff, body: { beds: [{ label: 'B-1', careType: 'nursing' }] } });
  await db().send(new UpdateCommand({
    TableName: config.tableName('beds'),
    Key: { pk: `COUNTERS#${fx.county}`, sk: `INST#${fx.otherTownship}#${staleHome.id}` },
    UpdateExpression: 'SET lastBedUpdateAt = :at',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':at': new Date(Date.now() - 10 * 86_400_000).toISOString() },
  }));
  // Today's history point (a schedule takes it daily), so the history chart has a point to draw.
  await snapshotOccupancy(new Date());
  registerAccounts(`staff-test-${fx.county}`, [
    { id: acct('staff'), label: '县民政局（测试）', claims: { role: 'staff', sub: acct('staff'), county: fx.county } },
    { id: acct('township'), label: '乡镇民政所（测试）', claims: { role: 'staff', sub: acct('township'), county: fx.county, township: fx.otherTownship } },
    { id: acct('family'), label: '家属（测试）', claims: { role: 'family', sub: acct('family'), county: fx.county } },
    { id: acct('institution'), label: '养老机构（测试）', claims: { role: 'institution', sub: acct('institution'), county: fx.county, institution: home.id } },
  ]);
});

afterAll(async () => {
  await browser?.close();
});

/** A desk browser signed in as this account on this page. */
async function signedIn(who: string, path: string, opts: { strictCsp?: boolean } = {}): Promise<Page> {
  const page = await (await desk(browser, opts)).newPage();
  await page.goto(webUrl(path));
  // Staff pages send everyone to the staff realm's sign-in; family pages to the public one.
  await chooseAccount(page, acct(who), who === 'family' ? 'public' : 'staff');
  await page.waitForURL(webUrl(path));
  return page;
}

/** Pixels of a chart's canvas that are not background: a drawn chart has thousands. */
const inkedPixels = (page: Page, testId: string) =>
  page.locator(`[data-testid="${testId}"] canvas`).first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && (d[i]! < 240 || d[i + 1]! < 240 || d[i + 2]! < 240)) n++;
    return n;
  });

/** The page's headline figures and the township table, as the page shows them. */
async function shownFigures(page: Page) {
  const figure = (k: string) => page.getByTestId(`figure-${k}`).textContent();
  const rows = await page.getByTestId('table-townships').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      township: tr.getAttribute('data-township'),
      beds: Number(tr.querySelector('[data-col="beds"]')!.textContent),
      occupied: Number(tr.querySelector('[data-col="occupied"]')!.textContent),
      vacant: Number(tr.querySelector('[data-col="vacant"]')!.textContent),
    })),
  );
  return { beds: await figure('beds'), occupied: await figure('occupied'), vacant: await figure('vacant'), rate: await figure('occupancyRate'), nursing: await figure('nursingShare'), per1000: await figure('bedsPer1000Elders'), rows };
}

const pct = (f: number) => `${(Math.round(f * 1000) / 10).toFixed(1)}%`;
async function expectedFigures(staffToken: string) {
  const o = (await api('GET', '/v1/occupancy', { token: staffToken })).body;
  return {
    beds: String(o.beds), occupied: String(o.occupied), vacant: String(o.vacant), rate: pct(o.occupancyRate), nursing: pct(o.nursingShare),
    per1000: o.bedsPer1000Elders === null ? '暂无' : String(o.bedsPer1000Elders),
    rows: o.byTownship.map((t: { township: string; beds: number; occupied: number; vacant: number }) => ({ township: t.township, beds: t.beds, occupied: t.occupied, vacant: t.vacant })),
  };
}

describe('staff sign in at a realm of their own (issue 15, point 3)', { timeout: 120_000 }, () => {
  it('工作人员登录 leads to the staff realm\'s page, which lists staff and institutions only and says the TOTP step is skipped here', async () => {
    const page = await (await desk(browser)).newPage();
    await page.goto(webUrl('/'));
    await signInButton(page, 'staff').click();
    await page.waitForURL(/\/oidc-staff\/oauth2\/authorize/);
    await expect.poll(() => page.getByText('本机演示不校验动态验证码').isVisible()).toBe(true);
    await page.locator(`button[value="${acct('staff')}"]`).waitFor();
    expect(await page.locator(`button[value="${acct('institution')}"]`).count()).toBe(1);
    // A family account is not offered at the staff realm.
    expect(await page.locator(`button[value="${acct('family')}"]`).count()).toBe(0);
    await expectAccessible(page, 'staff sign-in page');
    await chooseAccount(page, acct('staff'), 'staff');
    await page.waitForURL(webUrl('/staff'));
    await page.locator('[data-testid="chart-townships"]').waitFor();
    await page.context().close();

    // And the other way: the public realm offers no staff account.
    const pub = await (await desk(browser)).newPage();
    await pub.goto(webUrl('/'));
    await signInButton(pub, 'public').click();
    await pub.locator(`button[value="${acct('family')}"]`).waitFor();
    expect(await pub.locator(`button[value="${acct('staff')}"]`).count()).toBe(0);
    await pub.context().close();
  });

  it('an institution signs in from the home page through the staff button and reaches its bed board', async () => {
    const page = await (await desk(browser)).newPage();
    await signInFromHome(page, acct('institution'), 'institution');
    await page.waitForURL(webUrl('/institution'));
    await page.context().close();
  });
});

describe('county staff read the occupancy dashboard', { timeout: 120_000 }, () => {
  it('shows the figures of GET /v1/occupancy, draws both charts, and breaks no content security policy', async () => {
    const page = await signedIn('staff', '/staff', { strictCsp: true });
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.getByRole('heading', { name: '养老床位总览' }).waitFor();
    await page.locator('[data-testid="chart-townships"][data-drawn="true"]').waitFor();
    const expected = await expectedFigures(fx.staff);
    expect(expected.rows.length).toBeGreaterThanOrEqual(2);
    expect(await shownFigures(page)).toEqual(expected);
    expect(await inkedPixels(page, 'chart-townships')).toBeGreaterThan(500);
    await page.locator('[data-testid="chart-history"][data-drawn="true"]').waitFor();
    expect(await inkedPixels(page, 'chart-history')).toBeGreaterThan(500);
    await eventually(() => page.getByTestId('table-history').locator('tbody tr').count()).toBe(1);
    // The institutions ranked by vacant beds: the one with more vacancies first.
    await eventually(() => page.getByTestId('table-ranked').locator('tbody th').allTextContents()).toEqual([home.name, otherHome.name, `${staleHome.name}⚠ 数据超过7天未更新`]);
    expect(violations).toEqual([]);
    await screenshot(page, 'staff-1-occupancy', { fullPage: true });
    await page.context().close();
  });

  it('passes axe-core (the policy bypassed only to inject axe)', async () => {
    const page = await signedIn('staff', '/staff');
    await page.locator('[data-testid="chart-townships"][data-drawn="true"]').waitFor();
    await expectAccessible(page, 'occupancy');
    await page.context().close();
  });
});

describe('the bed board', { timeout: 120_000 }, () => {
  it('county staff admit an elder found by ID number on the bed board, and the dashboard\'s figures move by one on reload', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ name: '陈玉兰', idNumber });
    const before = await expectedFigures(fx.staff);
    const page = await signedIn('staff', '/staff');
    await page.getByTestId('figure-occupied').waitFor();
    expect(await shownFigures(page)).toEqual(before);

    // From the ranked list to the institution's board
    await page.getByTestId('table-ranked').getByRole('link', { name: new RegExp(home.name) }).click();
    await page.getByRole('heading', { name: `床位管理：${home.name}` }).waitFor();
    await page.getByRole('heading', { name: '1号楼-101', exact: true }).waitFor();
    // Status is in words as well as colour
    await eventually(() => page.locator('button[data-bed="1号楼-101-2"]').textContent()).toContain('已入住');
    await expectAccessible(page, 'bed board (staff)');
    const bed = page.locator('button[data-bed="1号楼-102-1"]');
    expect(await bed.textContent()).toContain('空床');
    await bed.click();
    const panel = page.getByTestId('bed-panel');
    // A typing slip is caught on the page by the ID number rules (check character)
    const wrong = idNumber.slice(0, 17) + (idNumber[17] === '1' ? '2' : '1');
    await panel.getByRole('textbox', { name: '身份证号' }).fill(wrong);
    await panel.getByRole('button', { name: '先查找要入住的老人' }).click();
    await panel.getByText('身份证号最后一位校验码不对，请逐位核对。').waitFor();
    await panel.getByRole('textbox', { name: '身份证号' }).fill(idNumber);
    await panel.getByRole('button', { name: '先查找要入住的老人' }).click();
    await panel.getByText(`为${elder.name}办理入住 1号楼-102-1`).waitFor();
    await expectAccessible(page, 'bed board admission');
    await screenshot(page, 'staff-2-bed-board', { fullPage: true });
    await panel.getByRole('button', { name: '办理入住', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '办理入住' }).waitFor();
    await eventually(() => bed.textContent()).toContain('已入住');
    await eventually(() => page.getByTestId('bed-log').locator('tbody tr').first().textContent()).toContain('入住');

    // The dashboard on reload: one more occupied, one fewer vacant, equal to the API
    await page.goto(webUrl('/staff'));
    await page.getByTestId('figure-occupied').waitFor();
    const after = await shownFigures(page);
    expect(Number(after.occupied)).toBe(Number(before.occupied) + 1);
    expect(Number(after.vacant)).toBe(Number(before.vacant) - 1);
    expect(after).toEqual(await expectedFigures(fx.staff));
    await page.context().close();
  });

  it('the institution\'s own staff open their board from the home page and set a bed reserved, then vacant again', async () => {
    const page = await signedIn('institution', '/institution');
    await page.goto(webUrl('/'));
    await page.waitForURL(webUrl('/institution'));
    const bed = page.locator('button[data-bed="2号楼-201-1"]');
    await eventually(() => bed.textContent()).toContain('空床');
    await bed.click();
    await page.getByTestId('bed-panel').getByLabel('原因（可不填）').fill('预留给轮候老人');
    await page.getByTestId('bed-panel').getByRole('button', { name: '设为预留' }).click();
    await eventually(() => bed.textContent()).toContain('预留');
    const listed = await api('GET', `/v1/institutions/${home.id}/beds`, { token: fx.staff });
    expect(listed.body.items.find((b: { label: string }) => b.label === '2号楼-201-1').status).toBe('reserved');
    await eventually(() => page.getByTestId('bed-log').locator('tbody tr').first().textContent()).toContain('预留给轮候老人');
    await expectAccessible(page, 'bed board (institution)');
    await bed.click();
    await page.getByTestId('bed-panel').getByRole('button', { name: '设为空床' }).click();
    await eventually(() => bed.textContent()).toContain('空床');
    await page.context().close();
  });

  it('the institution\'s own staff see their name on the board and admit an elder found by ID number', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ name: '周凤英', idNumber });
    const page = await signedIn('institution', '/institution');
    await page.getByRole('heading', { name: `床位管理：${home.name}` }).waitFor();
    const bed = page.locator('button[data-bed="2号楼-201-1"]');
    await eventually(() => bed.textContent()).toContain('空床');
    await bed.click();
    const panel = page.getByTestId('bed-panel');
    await panel.getByRole('textbox', { name: '身份证号' }).fill(idNumber);
    await panel.getByRole('button', { name: '先查找要入住的老人' }).click();
    await panel.getByText(`为${elder.name}办理入住 2号楼-201-1`).waitFor();
    await screenshot(page, 'staff-11-institution-admit', { fullPage: true });
    await panel.getByRole('button', { name: '办理入住', exact: true }).click();
    await eventually(() => bed.textContent()).toContain('已入住');
    const listed = await api('GET', `/v1/institutions/${home.id}/beds`, { token: fx.staff });
    expect(listed.body.items.find((b: { label: string }) => b.label === '2号楼-201-1').occupant.elderId).toBe(elder.id);
    await page.context().close();
  });
});

/** First characters a spreadsheet program would run as a formula (CWE-1236). */
const FORMULA_LIKE = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/u;

describe('meals: the settlement downloads and welfare alerts', { timeout: 120_000 }, () => {
  it('the settlement .xlsx has totals equal to the JSON settlement, numbers as numbers, and formula-like text stored as text', async () => {
    const policy = await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], siteSubsidyPerDinerFen: 300 } });
    expect(policy.status).toBe(200);
    // A site and elders whose names start like formulas: they must stay text in the workbook.
    const siteName = '=HYPERLINK("http://example.com","点我")';
    const site = await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, { name: siteName }) });
    expect(site.status).toBe(201);
    const names = ['+1王', '-李', '@赵', '陈桂芳'];
    const eaters = [];
    for (const name of names) eaters.push(await fx.register({ name, categories: ['dibao'] }));
    const servedAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const siteToken = await token({ role: 'site', sub: `device-${site.body.id}`, county: fx.county, site: site.body.id });
    const served = await api('POST', `/v1/meal-sites/${site.body.id}/servings`, { token: siteToken, body: { records: eaters.map((e, i) => ({ clientRecordId: `xlsx-${i}-${e.id}`, elderId: e.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' })) } });
    expect(served.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
    const month = new Date(Date.parse(servedAt) + 8 * 3600_000).toISOString().slice(0, 7);
    const json = (await api('GET', `/v1/reports/meals/settlement?month=${month}&siteId=${site.body.id}`, { token: fx.staff })).body;
    expect(json.totalFen).toBeGreaterThan(0);

    const page = await signedIn('staff', '/staff/settlement');
    await page.getByLabel('助餐点').selectOption(site.body.id);
    await page.getByLabel('月份').fill(month);
    await page.getByRole('button', { name: '查看结算' }).click();
    await eventually(() => page.getByTestId('s-total').textContent()).toBe(`¥${(json.totalFen / 100).toFixed(2)}`);
    await expectAccessible(page, 'settlement');
    await screenshot(page, 'staff-4-settlement', { fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel 表格' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const summary = wb.getWorksheet('结算汇总')!;
    const byLabel = new Map<string, ExcelJS.Cell>();
    summary.eachRow((row) => byLabel.set(String(row.getCell(1).value), row.getCell(2)));
    expect(byLabel.get('助餐点')!.value).toBe(siteName);
    expect(byLabel.get('用餐份数')!.value).toBe(json.meals);
    expect(byLabel.get('补贴合计（元）')!.value).toBe(json.totalFen / 100);
    expect(byLabel.get('补贴合计（元）')!.numFmt).toBe('0.00');
    expect(byLabel.get('餐费补贴（元）')!.value).toBe(json.mealSubsidyFen / 100);
    expect(byLabel.get('运营补贴（元）')!.value).toBe(json.siteSubsidyFen / 100);
    const lines = wb.getWorksheet('结算明细')!;
    expect(lines.rowCount).toBe(json.lines.length + 2);
    const totals = lines.getRow(lines.rowCount);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(9).value).toBe(json.totalFen / 100);
    expect(totals.getCell(9).type).toBe(ExcelJS.ValueType.Number);
    // Every cell: no formula anywhere; formula-like text is a plain string (and text-formatted).
    const formulaLike: string[] = [];
    for (const sheet of [summary, lines]) {
      sheet.eachRow((row) => row.eachCell((cell) => {
        expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        expect(cell.formula, `${sheet.name}!${cell.address}`).toBeFalsy();
        if (typeof cell.value === 'string' && FORMULA_LIKE.test(cell.value)) {
          formulaLike.push(cell.value);
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.numFmt).toBe('@');
        }
      }));
    }
    expect(formulaLike).toEqual(expect.arrayContaining([siteName, '+1王', '-李', '@赵']));

    // The server's CSV, downloaded from the same page, neutralises the same text with a quote.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV 表格' }).click()]);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(await csv.path(), 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text).toContain(`"'+1王"`);
    await page.context().close();
  });

  it('a welfare alert closed with a note leaves the open list; township staff see only their township\'s', async () => {
    const { runNoShows } = await import('../../functions/meals/no-shows.js');
    const late = await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, { name: '城关镇晚餐点', slots: { dinner: { capacity: 9, priceFen: 800, cutoff: '23:59' } } }) });
    const here = await fx.register({ name: '周淑珍', categories: ['living_alone'] });
    const there = await fx.register({ name: '吴桂英', categories: ['living_alone'], township: fx.otherTownship });
    for (const e of [here, there]) {
      const b = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: late.body.id, date: today(), slot: 'dinner', mode: 'dine_in' } });
      expect(b.status).toBe(201);
    }
    await runNoShows(new Date(Date.parse(`${addDays(today(), 1)}T08:00:00+08:00`)), { counties: [fx.county] });

    // Township staff (东关镇): their elder's alert only
    const township = await signedIn('township', '/staff/alerts');
    await township.getByRole('heading', { name: '吴桂英' }).waitFor();
    expect(await township.getByRole('heading', { name: '周淑珍' }).count()).toBe(0);
    await township.context().close();

    // County staff close 周淑珍's with a note
    const page = await signedIn('staff', '/staff/alerts');
    const card = page.getByTestId('alerts').getByRole('listitem').filter({ hasText: '周淑珍' });
    await card.waitFor();
    await card.getByRole('button', { name: '记录探访情况并办结' }).click();
    await card.getByLabel('探访情况').fill('已上门探访，老人身体无恙，当天去女儿家吃饭。');
    await expectAccessible(page, 'alerts');
    await screenshot(page, 'staff-5-alerts', { fullPage: true });
    await card.getByRole('button', { name: '办结', exact: true }).click();
    await page.getByText('已办结这条提醒。').waitFor();
    await eventually(() => page.getByRole('heading', { name: '周淑珍' }).count()).toBe(0);
    await page.getByRole('heading', { name: '吴桂英' }).waitFor();
    const closed = (await api('GET', '/v1/alerts?status=closed', { token: fx.staff })).body.items.find((a: { elderId: string }) => a.elderId === here.id);
    expect(closed.closed.note).toBe('已上门探访，老人身体无恙，当天去女儿家吃饭。');
    await page.reload();
    await page.getByRole('heading', { name: '吴桂英' }).waitFor();
    expect(await page.getByRole('heading', { name: '周淑珍' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('township staff and the other staff pages', { timeout: 120_000 }, () => {
  it('township staff see only their township\'s figures, institutions and elders', async () => {
    const mine = await fx.register({ name: '郑玉梅', township: fx.otherTownship, idNumber: newIdNumber(fx.county) });
    const idHere = newIdNumber(fx.county);
    // Same surname, other township, with a card: township staff must find neither by name nor by card.
    await fx.register({ name: '郑桂香', idNumber: idHere, cardNo: `ZHENG-${fx.county}-1` });
    const townshipToken = await token({ role: 'staff', sub: acct('township'), county: fx.county, township: fx.otherTownship });

    const page = await signedIn('township', '/staff');
    await page.getByText('本乡镇：东关镇').waitFor();
    await page.locator('[data-testid="chart-townships"][data-drawn="true"]').waitFor();
    const shown = await shownFigures(page);
    expect(shown.rows.map((r) => r.township)).toEqual([fx.otherTownship]);
    expect(shown).toEqual(await expectedFigures(townshipToken));
    await eventually(() => page.getByTestId('table-ranked').locator('tbody th').allTextContents()).toEqual([otherHome.name, `${staleHome.name}⚠ 数据超过7天未更新`]);
    // No platform page in their menu; the page itself says it is for county staff
    expect(await page.getByRole('navigation').getByRole('link', { name: '平台对接' }).count()).toBe(0);

    await page.goto(webUrl('/staff/vacancies'));
    await page.getByTestId('vacancies').waitFor();
    expect(await page.getByTestId('vacancies').locator('tbody th').allTextContents()).toEqual([expect.stringContaining(otherHome.name), expect.stringContaining(staleHome.name)]);
    await page.goto(webUrl('/staff/beds'));
    await page.getByRole('link', { name: otherHome.name }).waitFor();
    expect(await page.getByRole('link', { name: home.name }).count()).toBe(0);

    // Elders: a name search lists their township's only; another township's card finds nobody;
    // another township's ID number is refused in words
    await page.goto(webUrl('/staff/elders'));
    const find = page.locator('form.finder');
    const box = find.getByRole('searchbox', { name: '姓名、助餐卡号或身份证号' });
    await box.fill('郑');
    await find.getByRole('button', { name: '查找' }).click();
    await page.getByTestId('elder-results').waitFor();
    expect(await page.getByTestId('elder-results').locator('tbody th').allTextContents()).toEqual(['郑玉梅']);
    const byName = await api('GET', `/v1/elders?q=${encodeURIComponent('郑')}`, { token: townshipToken });
    expect(byName.body.items.map((e: { name: string }) => e.name)).toEqual(['郑玉梅']);
    await box.fill(`ZHENG-${fx.county}-1`);
    await find.getByRole('button', { name: '查找' }).click();
    await page.getByText('没有找到符合条件的老人。').waitFor();
    await box.fill(idHere);
    await find.getByRole('button', { name: '查找' }).click();
    await find.getByText('您的账号无权查看或办理此事项').waitFor();
    const listed = await api('POST', '/v1/elders/lookup', { token: townshipToken, body: { idNumber: idHere } });
    expect(listed.status).toBe(403);
    expect(mine.township).toBe(fx.otherTownship);
    // The register form offers their township only
    expect(await page.locator('#r-township option').allTextContents()).toEqual(['东关镇']);
    await page.context().close();
  });

  it('county staff register an elder (ID number checked on the page), find them by card, and link a family account', async () => {
    const page = await signedIn('staff', '/staff/elders');
    const idNumber = newIdNumber(fx.county);
    const card = `CARD-${fx.county}-7`;
    await page.locator('#r-idNumber').fill(`${idNumber.slice(0, 10)}1332${idNumber.slice(14)}`);
    await page.locator('#r-name').fill('黄秀兰');
    await page.locator('#r-cardNo').fill(card);
    await page.getByRole('checkbox', { name: '独居' }).first().check();
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('身份证号中的出生日期不存在，请核对。').waitFor();
    await page.locator('#r-idNumber').fill(idNumber);
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('已登记黄秀兰。').waitFor();
    const shownId = await page.getByTestId('elder').textContent();
    expect(shownId).not.toContain(idNumber); // masked
    expect(shownId).toContain(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);

    const find = page.locator('form.finder');
    const box = find.getByRole('searchbox', { name: '姓名、助餐卡号或身份证号' });
    await box.fill(card);
    await find.getByRole('button', { name: '查找' }).click();
    await page.getByTestId('elder-results').getByRole('button', { name: '查看 黄秀兰' }).click();
    await page.getByRole('heading', { name: '找到的老人：黄秀兰' }).waitFor();
    await page.getByLabel('家属账号编号').first().fill(`fam-huang-${fx.county}`);
    await page.getByLabel('关系').selectOption('child');
    await expectAccessible(page, 'elders');
    await screenshot(page, 'staff-6-elders', { fullPage: true });
    await page.getByRole('button', { name: '绑定', exact: true }).click();
    await page.getByText('已绑定，家属登录后即可看到这位老人。').waitFor();
    const familyToken = await token({ role: 'family', sub: `fam-huang-${fx.county}`, county: fx.county });
    expect((await api('GET', '/v1/me/elders', { token: familyToken })).body.items.map((e: { name: string }) => e.name)).toEqual(['黄秀兰']);
    await page.context().close();
  });

  it('county staff search by name prefix (paged) and by ID number (never in a URL), edit the phone and see it on reload, and unlink a family after a confirmation', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ name: '欧阳春花', idNumber, phone: '13800000001' });
    // More than one page of the same surname: 显示更多 brings the rest.
    for (let i = 0; i < 21; i++) await fx.register({ name: `欧阳${'一二三四五六七八九十'[i % 10]}${i}`, township: i % 2 ? fx.township : fx.otherTownship });
    const familySub = `fam-ouyang-${fx.county}`;
    await api('POST', `/v1/elders/${elder.id}/family-links`, { token: fx.staff, body: { familySub, relation: 'spouse' } });
    const page = await signedIn('staff', '/staff/elders');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const find = page.locator('form.finder');
    const box = find.getByRole('searchbox', { name: '姓名、助餐卡号或身份证号' });
    const results = page.getByTestId('elder-results').locator('tbody tr');

    await box.fill('欧阳');
    await find.getByRole('button', { name: '查找' }).click();
    await eventually(() => results.count()).toBe(20);
    await page.getByRole('button', { name: '显示更多' }).click();
    await eventually(() => results.count()).toBe(22);
    expect(await page.getByRole('button', { name: '显示更多' }).count()).toBe(0);
    await expectAccessible(page, 'elder search');
    await screenshot(page, 'staff-10-elder-search', { fullPage: true });

    // A full ID number: found through POST /v1/elders/lookup; no URL carries it
    await box.fill(idNumber);
    await find.getByRole('button', { name: '查找' }).click();
    await page.getByRole('heading', { name: '找到的老人：欧阳春花' }).waitFor();
    expect(urls.filter((u) => u.includes(idNumber) || u.includes(idNumber.slice(6, 14)))).toEqual([]);
    expect(urls.some((u) => u.endsWith('/v1/elders/lookup'))).toBe(true);

    // Edit: a phone the schema refuses is said beside the field; a good one is saved
    const phone = page.getByRole('textbox', { name: '联系电话（可不填）' }).last();
    expect(await phone.inputValue()).toBe('13800000001');
    await phone.fill('138-abc');
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('电话号码只能包含数字和“-”，5到20位。').waitFor();
    await phone.fill('0377-65551234');
    await page.getByLabel('老年人能力等级').selectOption('2');
    await page.getByRole('checkbox', { name: '软食' }).check();
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('已保存欧阳春花的信息。').waitFor();
    const saved = (await api('GET', `/v1/elders/${elder.id}`, { token: fx.staff })).body;
    expect([saved.phone, saved.capabilityLevel, saved.dietaryNeeds]).toEqual(['0377-65551234', 2, ['soft']]);
    await page.reload();
    await box.fill('欧阳春');
    await find.getByRole('button', { name: '查找' }).click();
    await page.getByTestId('elder-results').getByRole('button', { name: '查看 欧阳春花' }).click();
    await page.getByRole('heading', { name: '找到的老人：欧阳春花' }).waitFor();
    await eventually(() => page.getByRole('textbox', { name: '联系电话（可不填）' }).last().inputValue()).toBe('0377-65551234');

    // Unlink: asked first; 取消 leaves the link, 确定解除 removes it
    const familyToken = await token({ role: 'family', sub: familySub, county: fx.county });
    await page.locator('#unlink-sub').fill(familySub);
    await page.getByRole('button', { name: '解除绑定', exact: true }).click();
    await page.getByText(`确定解除家属账号“${familySub}”与这位老人的绑定吗？`, { exact: false }).waitFor();
    await page.getByRole('group', { name: '解除家属绑定' }).getByRole('button', { name: '取消' }).click();
    expect((await api('GET', '/v1/me/elders', { token: familyToken })).body.items).toHaveLength(1);
    await page.getByRole('button', { name: '解除绑定', exact: true }).click();
    await expectAccessible(page, 'elder edit and unlink');
    await page.getByRole('button', { name: '确定解除' }).click();
    await page.getByText('已解除绑定。').waitFor();
    expect((await api('GET', '/v1/me/elders', { token: familyToken })).body.items).toEqual([]);
    await page.context().close();
  });

  it('every other staff page passes axe-core: vacancies (stale flag in words), meals, platform link, choosing an institution', async () => {
    const page = await signedIn('staff', '/staff/vacancies');
    await page.getByTestId('vacancies').waitFor();
    await page.getByLabel('床位类型').selectOption('nursing');
    await page.getByRole('button', { name: '查询' }).click();
    // Fresh institutions first; the silent one last, flagged in words
    await eventually(() => page.getByTestId('vacancies').locator('tbody th').allTextContents()).toEqual([expect.stringContaining(home.name), expect.stringContaining(staleHome.name)]);
    const staleRow = page.getByTestId('vacancies').locator(`tr[data-institution="${staleHome.id}"]`);
    expect(await staleRow.textContent()).toContain('数据超过7天未更新');
    expect(await page.getByTestId('vacancies').locator(`tr[data-institution="${home.id}"]`).textContent()).not.toContain('数据超过7天未更新');
    await expectAccessible(page, 'vacancies');
    await screenshot(page, 'staff-3-vacancies', { fullPage: true });

    // One lunch served an hour ago at a site of its own: the daily report shows it by site.
    const site = await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, { name: '城关镇日报测试点' }) });
    const eater = await fx.register({ name: '孔德明' });
    const servedAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const siteToken = await token({ role: 'site', sub: `device-${site.body.id}`, county: fx.county, site: site.body.id });
    const served = await api('POST', `/v1/meal-sites/${site.body.id}/servings`, { token: siteToken, body: { records: [{ clientRecordId: `daily-${eater.id}`, elderId: eater.id, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }] } });
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    expect(served.body.results[0].status).toBe('accepted');
    const servedOn = new Date(Date.parse(servedAt) + 8 * 3600_000).toISOString().slice(0, 10);
    await page.goto(webUrl('/staff/meals'));
    const row = page.getByTestId('daily-report').locator('tbody tr').filter({ hasText: '城关镇日报测试点' });
    // The page asks again on each date typed; on a loaded machine the first answer can come before the serving shows.
    await eventually(async () => {
      await page.getByLabel('日期').fill('');
      await page.getByLabel('日期').fill(servedOn);
      await row.waitFor();
      return (await row.locator('td').allTextContents()).slice(0, 1);
    }).toEqual(['1']);
    await page.getByRole('button', { name: '开始核查' }).click();
    await page.getByText(/本月没有发现|共发现/).waitFor();
    await expectAccessible(page, 'meals');
    await screenshot(page, 'staff-7-meals', { fullPage: true });

    await page.goto(webUrl('/staff/platform'));
    await page.getByTestId('dead-count').waitFor();
    const dead = (await api('GET', '/v1/platform/dead-letters', { token: fx.staff })).body.items.length;
    expect(await page.getByTestId('dead-count').textContent()).toBe(dead ? `暂存消息 ${dead} 条` : '没有暂存的消息，推送一切正常。');
    await expectAccessible(page, 'platform');

    // Choosing an institution: GET /v1/institutions, narrowed to one township on request
    await page.goto(webUrl('/staff/beds'));
    await page.getByRole('link', { name: home.name }).waitFor();
    const listedInstitutions = (await api('GET', '/v1/institutions', { token: fx.staff })).body.items.map((i: { name: string }) => i.name).sort();
    expect((await page.getByTestId('institutions').locator('tbody th').allTextContents()).sort()).toEqual(listedInstitutions);
    await expectAccessible(page, 'choose institution');
    await screenshot(page, 'staff-9-institutions', { fullPage: true });
    await page.getByLabel('乡镇').selectOption(fx.otherTownship);
    await eventually(async () => (await page.getByTestId('institutions').locator('tbody th').allTextContents()).sort()).toEqual([otherHome.name, staleHome.name].sort());
    await page.context().close();
  });
});

describe('meal sites', { timeout: 120_000 }, () => {
  it('staff edit a price; seats below what is booked are refused in words; a suspended site refuses a family\'s booking (422 SITE_SUSPENDED) until resumed', async () => {
    await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], siteSubsidyPerDinerFen: 300 } });
    const created = await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, { name: '城关镇幸福食堂' }) });
    expect(created.status).toBe(201);
    const site = created.body as { id: string };
    const date = addDays(today(), 2);
    for (const name of ['石秀珍', '石德福']) {
      const e = await fx.register({ name });
      const b = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: e.id, siteId: site.id, date, slot: 'lunch', mode: 'dine_in' } });
      expect(b.status).toBe(201);
    }
    const diner = await fx.register({ name: '石桂兰' });
    const familySub = `fam-shi-${fx.county}`;
    await api('POST', `/v1/elders/${diner.id}/family-links`, { token: fx.staff, body: { familySub, relation: 'child' } });
    const familyToken = await token({ role: 'family', sub: familySub, county: fx.county });
    const book = () => api('POST', '/v1/bookings', { token: familyToken, body: { elderId: diner.id, siteId: site.id, date: addDays(today(), 3), slot: 'lunch', mode: 'dine_in' } });

    const page = await signedIn('staff', '/staff/sites');
    const card = page.locator(`li[data-site="${site.id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('● 正常接受预订');
    await card.getByRole('button', { name: '修改' }).click();
    // Two are booked for lunch on that date: one seat is refused, with the date, meal and count in words
    await card.locator(`#s-${site.id}-lunch-capacity`).fill('1');
    await card.getByRole('button', { name: '保存修改' }).click();
    await card.getByTestId('below-booked').getByText(`${dateLabel(date)}的午餐已有2人预订，座位数不能少于2。`).waitFor();
    await expectAccessible(page, 'meal sites (edit)');
    await screenshot(page, 'staff-8-sites', { fullPage: true });
    await card.locator(`#s-${site.id}-lunch-capacity`).fill('2');
    await card.locator(`#s-${site.id}-lunch-price`).fill('16.5');
    await card.getByRole('button', { name: '保存修改' }).click();
    await page.getByText('已保存“城关镇幸福食堂”。').waitFor();
    const saved = (await api('GET', `/v1/meal-sites/${site.id}`, { token: fx.staff })).body;
    expect(saved.slots.lunch).toEqual({ capacity: 2, priceFen: 1650, cutoff: '10:00' });

    // Suspend: asked first; then a family's booking is refused
    await eventually(() => card.getByRole('button', { name: '暂停接受预订' }).count()).toBe(1);
    await card.getByRole('button', { name: '暂停接受预订' }).click();
    await card.getByText('确定暂停“城关镇幸福食堂”接受新的预订吗？', { exact: false }).waitFor();
    await card.getByRole('button', { name: '确定' }).click();
    await page.getByText('已暂停“城关镇幸福食堂”接受新的预订。').waitFor();
    await eventually(() => card.textContent()).toContain('✕ 已暂停接受预订');
    const refused = await book();
    expect([refused.status, refused.body.error.code]).toEqual([422, 'SITE_SUSPENDED']);
    await expectAccessible(page, 'meal sites');
    await card.getByRole('button', { name: '恢复接受预订' }).click();
    await card.getByRole('button', { name: '确定' }).click();
    await page.getByText('已恢复“城关镇幸福食堂”接受预订。').waitFor();
    expect((await book()).status).toBe(201);
    await page.context().close();
  });
});

describe('what each page loads', { timeout: 120_000 }, () => {
  /** Script files the page fetched, by chunk name (the part before Vite's hash). */
  const scriptsOf = (page: Page) => {
    const names: string[] = [];
    page.on('request', (r) => {
      const m = /\/assets\/([A-Za-z0-9_.-]+?)-[A-Za-z0-9_-]{8}\.js$/.exec(new URL(r.url()).pathname);
      if (m) names.push(m[1]!);
    });
    return names;
  };

  it('family pages never load the chart, spreadsheet or staff chunks; the occupancy page loads the chart chunk and not the spreadsheet one', async () => {
    const family = await (await desk(browser)).newPage();
    const familyScripts = scriptsOf(family);
    await family.goto(webUrl('/family'));
    await chooseAccount(family, acct('family'));
    await family.waitForURL(webUrl('/family'));
    await family.getByRole('heading', { name: '我的老人' }).waitFor();
    await family.goto(webUrl('/family/bookings'));
    await family.getByRole('heading', { name: '我的预订' }).waitFor();
    expect(familyScripts).toContain('index');
    for (const chunk of ['charts', 'settlement-xlsx', 'occupancy', 'board', 'staff-only', 'waiting-list', 'offers', 'offer-actions']) expect(familyScripts).not.toContain(chunk);
    await family.context().close();

    const staff = await (await desk(browser)).newPage();
    const staffScripts = scriptsOf(staff);
    await staff.goto(webUrl('/staff'));
    await chooseAccount(staff, acct('staff'));
    await staff.locator('[data-testid="chart-townships"][data-drawn="true"]').waitFor();
    expect(staffScripts).toEqual(expect.arrayContaining(['occupancy', 'charts']));
    expect(staffScripts).not.toContain('settlement-xlsx');
    await staff.context().close();
  });
});

describe('on a tablet', { timeout: 120_000 }, () => {
  it('the occupancy page and the bed board fit a 1024x768 landscape tablet without sideways scrolling, with 48 px tap targets on the board', async () => {
    const page = await (await desk(browser, { tablet: true })).newPage();
    await page.goto(webUrl('/staff'));
    await chooseAccount(page, acct('staff'));
    await page.locator('[data-testid="chart-townships"][data-drawn="true"]').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(webUrl(`/staff/beds/${home.id}`));
    await page.locator('button[data-bed]').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    const small = await page.locator('button[data-bed]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width < 48 || r.height < 48).length);
    expect(small).toBe(0);
    await page.context().close();
  });
});
