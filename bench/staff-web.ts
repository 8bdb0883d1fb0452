import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../scripts/local/build-web.js';
import { signToken } from '../scripts/local/keys.js';
import { writeLocalAccounts } from '../scripts/local/oidc.js';
import { webDistDir } from '../scripts/local/web.js';
import { median, pool, round } from './lib.js';

/**
 * The staff dashboard's weight and speed, measured in Chromium (/usr/bin/chromium) on a desk
 * screen against a local stack, in a county of its own (6 townships, 18 institutions, 360 beds):
 *  - first-load JavaScript (gzip -9) of /staff, from the scripts the page really fetched: all of
 *    them, and without the chart chunk (ECharts, piecewise): what the other staff pages load;
 *  - the family pages (/family, /family/bookings) fetch no chart, spreadsheet or staff chunk;
 *  - time from navigation to both occupancy charts drawn (ECharts' `finished` event sets
 *    `data-drawn` on the chart box), the browser cache disabled: median of 5 (reported only).
 */
const COUNTY = '419902';

async function fixture(url: string, localDir: string): Promise<void> {
  const staff = await signToken(localDir, { role: 'staff', sub: 'bench-staff-dashboard', county: COUNTY });
  const call = async (method: string, path: string, body: unknown) => {
    const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${staff}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as { id: string };
  };
  const townships = ['城关镇', '赊店镇', '桥头镇', '饶良镇', '兴隆镇', '晋庄镇'].map((name, i) => ({ code: `${COUNTY}${101 + i}`, name }));
  for (const t of townships) await call('PUT', `/v1/townships/${t.code}`, { name: t.name, elderlyPopulation: 4000 + 500 * townships.indexOf(t) });
  await pool(Array.from({ length: 18 }, (_, i) => i), 3, async (i) => {
    const t = townships[i % townships.length]!;
    const inst = await call('POST', '/v1/institutions', { name: `${t.name}第${Math.floor(i / 6) + 1}养老院`, township: t.code, kind: 'public' });
    await call('POST', `/v1/institutions/${inst.id}/beds`, { beds: Array.from({ length: 20 }, (_, b) => ({ label: `${1 + Math.floor(b / 4)}0${1 + (b % 4)}`, careType: b % 3 === 0 ? 'nursing' : 'ordinary' })) });
  });
  // Today's history point (the stack takes one at start, before this county existed): the line chart has a point to draw.
  const { snapshotOccupancy } = await import('../functions/beds/occupancy.js');
  await snapshotOccupancy(new Date());
  writeLocalAccounts(localDir, 'bench-staff', [
    { id: 'bench-staff-dashboard', label: '县民政局（基准测试）', claims: { role: 'staff', sub: 'bench-staff-dashboard', county: COUNTY } },
    { id: 'bench-staff-family', label: '家属（基准测试）', claims: { role: 'family', sub: 'bench-staff-family', county: COUNTY } },
  ]);
}

/** Chunk names (before Vite's hash) of the scripts a page fetches. */
function scriptsOf(page: Page): string[] {
  const files: string[] = [];
  page.on('request', (r) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/assets/') && p.endsWith('.js')) files.push(p);
  });
  return files;
}
const chunkName = (file: string) => /\/assets\/(.+?)-[A-Za-z0-9_-]{8}\.js$/.exec(file)?.[1] ?? file;
const gzipKB = (files: readonly string[]) => round(files.reduce((a, f) => a + gzipSync(readFileSync(join(webDistDir, f)), { level: 9 }).length, 0) / 1024, 1);

export async function benchStaffWeb(opts: { url: string; localDir: string; runs?: number }) {
  await ensureWebBuilt();
  await fixture(opts.url, opts.localDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  try {
    const signIn = async (account: string, path: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      const files = scriptsOf(page);
      await page.goto(`${opts.url}${path}`);
      await page.waitForURL(/\/oauth2\/authorize/);
      await page.locator(`button[value="${account}"]`).click();
      await page.waitForURL(`${opts.url}${path}`);
      return { context, page, files };
    };
    const drawn = (page: Page) => page.waitForFunction(() => document.querySelectorAll('[data-testid^="chart-"][data-drawn="true"]').length >= 2, undefined, { timeout: 60_000 });

    // The family pages first: which chunks they fetch.
    const family = await signIn('bench-staff-family', '/family');
    await family.page.getByRole('heading', { name: '我的老人' }).waitFor();
    await family.page.goto(`${opts.url}/family/bookings`);
    await family.page.getByRole('heading', { name: '我的预订' }).waitFor();
    const familyChunks = [...new Set(family.files.map(chunkName))];
    await family.context.close();

    // The staff dashboard: the scripts of a first load (after signing in, a fresh page).
    const staff = await signIn('bench-staff-dashboard', '/staff');
    await drawn(staff.page);
    const times: number[] = [];
    let staffFiles: string[] = [];
    for (let i = 0; i < (opts.runs ?? 5); i++) {
      const page = await staff.context.newPage();
      const cdp = await staff.context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const files = scriptsOf(page);
      await page.goto(`${opts.url}/staff`);
      await drawn(page);
      // performance.now() counts from the navigation's start.
      times.push(await page.evaluate(() => performance.now()));
      staffFiles = [...new Set(files)];
      await page.close();
    }
    await staff.context.close();
    const chartFiles = staffFiles.filter((f) => chunkName(f) === 'charts');
    return {
      staffFirstLoadJsGzipKB: gzipKB(staffFiles),
      staffFirstLoadJsWithoutChartsGzipKB: gzipKB(staffFiles.filter((f) => !chartFiles.includes(f))),
      chartChunkGzipKB: gzipKB(chartFiles),
      staffChunks: staffFiles.map(chunkName),
      familyChunks,
      familyLoadsChartChunk: familyChunks.includes('charts'),
      familyLoadsStaffChunks: familyChunks.filter((c) => ['charts', 'settlement-xlsx', 'occupancy', 'board', 'staff-only'].includes(c)),
      chartsDrawnMs: times.map((t) => round(t, 0)),
      chartsDrawnMedianMs: round(median(times), 0),
      loadAverage1m: round((await import('node:os')).loadavg()[0]!, 1),
    };
  } finally {
    await browser.close();
  }
}

// `npx tsx bench/staff-web.ts`: this part alone, against its own local stack.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { startLocalStack } = await import('../scripts/local/stack.js');
  const localDir = mkdtempSync(join(tmpdir(), 'eldercare-bench-staff-'));
  const stack = await startLocalStack({ localDir, inMemory: true, apiPort: 0, quiet: true, platformLink: false });
  try {
    console.log(JSON.stringify(await benchStaffWeb({ url: stack.url, localDir }), null, 2));
  } finally {
    await stack.close();
    rmSync(localDir, { recursive: true, force: true });
  }
}
