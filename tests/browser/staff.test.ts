import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotOccupancy } from '../../functions/beds/occupancy.js';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';
import { chooseAccount, desk, expectAccessible, launchBrowser, registerAccounts, screenshot, webUrl } from '../support/browser.js';
import { useLocalEnv } from '../support/env.js';
import { addDays, siteBody, today } from '../support/meals.js';

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
const beds: { id: string; label: string }[] = [];
const acct = (who: string) => `${who}-${fx.county}`;

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
  // Today's history point (a schedule takes it daily), so the history chart has a point to draw.
  useLocalEnv();
  await snapshotOccupancy(new Date());
  registerAccounts(`staff-test-${fx.county}`, [
    { id: acct('staff'), label: '县民政局（测试）', claims: { role: 'staff', sub: acct('staff'), county: fx.county } },
    { id: acct('township'), label: '乡镇民政所（测试）', claims: { role: 'staff', sub: acct('township'), county: fx.county, township: fx.otherTownship } },
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
  await chooseAccount(page, acct(who));
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
    await expect.poll(() => page.getByTestId('table-history').locator('tbody tr').count()).toBe(1);
    // The institutions ranked by vacant beds: the one with more vacancies first.
    await expect.poll(() => page.getByTestId('table-ranked').locator('tbody th').allTextContents()).toEqual([home.name, otherHome.name]);
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
    await expect.poll(() => page.locator('button[data-bed="1号楼-101-2"]').textContent()).toContain('已入住');
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
    await expect.poll(() => bed.textContent()).toContain('已入住');
    await expect.poll(() => page.getByTestId('bed-log').locator('tbody tr').first().textContent()).toContain('入住');

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
    await expect.poll(() => bed.textContent()).toContain('空床');
    await bed.click();
    await page.getByTestId('bed-panel').getByLabel('原因（可不填）').fill('预留给轮候老人');
    await page.getByTestId('bed-panel').getByRole('button', { name: '设为预留' }).click();
    await expect.poll(() => bed.textContent()).toContain('预留');
    const listed = await api('GET', `/v1/institutions/${home.id}/beds`, { token: fx.staff });
    expect(listed.body.items.find((b: { label: string }) => b.label === '2号楼-201-1').status).toBe('reserved');
    await expect.poll(() => page.getByTestId('bed-log').locator('tbody tr').first().textContent()).toContain('预留给轮候老人');
    await expectAccessible(page, 'bed board (institution)');
    await bed.click();
    await page.getByTestId('bed-panel').getByRole('button', { name: '设为空床' }).click();
    await expect.poll(() => bed.textContent()).toContain('空床');
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
    await expect.poll(() => page.getByTestId('s-total').textContent()).toBe(`¥${(json.totalFen / 100).toFixed(2)}`);
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
    await expect.poll(() => page.getByRole('heading', { name: '周淑珍' }).count()).toBe(0);
    await page.getByRole('heading', { name: '吴桂英' }).waitFor();
    const closed = (await api('GET', '/v1/alerts?status=closed', { token: fx.staff })).body.items.find((a: { elderId: string }) => a.elderId === here.id);
    expect(closed.closed.note).toBe('已上门探访，老人身体无恙，当天去女儿家吃饭。');
    await page.reload();
    await page.getByRole('heading', { name: '吴桂英' }).waitFor();
    expect(await page.getByRole('heading', { name: '周淑珍' }).count()).toBe(0);
    await page.context().close();
  });
});
