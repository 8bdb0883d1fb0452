/**
 * `npm run bench` (`-- --quick` for a shorter run): speed, cold start and cost, side by side.
 *   1. bundles: minified and gzipped size of each Lambda bundle, and its cold-start proxy
 *   2. DynamoDB capacity units per operation, and money per 10,000 meals
 *   3. throughput and latency through the local HTTP server
 *   4. the lunch rush of one county
 *   5. the web pages: first-load JavaScript and Lighthouse 12 on the booking page (mobile); the
 *      meal-site counter in Chromium: Enter to confirmation offline (p95 over 200 records), and
 *      the upload of 200 waiting records (one request, main thread watched)
 *   6. costs that must follow the data: a page of open alerts at 100 and 100,000 alerts; the
 *      anomalies report (and daily report, settlement) at 36 and 360 sites
 * Prints tables, then the targets (met or not), and writes bench/results/latest.json.
 *   7. the staff dashboard: first-load JavaScript with and without the chart chunk, the family
 *      pages never fetching it, time to the occupancy charts drawn (median of 5)
 * `-- --only scale` runs part 6 alone and writes bench/results/scale.json; `-- --only staff`
 * runs part 7 alone and writes bench/results/staff-web.json; `-- --only counter` runs the
 * counter alone and writes bench/results/counter.json; `-- --only capacity` the capacity table
 * alone (bench/results/capacity.json); `-- --only coldstart` measures bundles and
 * cold start alone (bench/results/coldstart.json), for a run on a quiet machine.
 */
import './quiet.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../scripts/local/paths.js';
import { startLocalStack } from '../scripts/local/stack.js';
import { benchBundles } from './bundles.js';
import { benchCapacity } from './capacity.js';
import { benchCounter, counterTargets } from './counter.js';
import { moneyPer10kMeals, prices } from './cost.js';
import type { Timing } from './http.js';
import { round, section } from './lib.js';
import { benchLunchRush } from './lunch-rush.js';
import { benchScale } from './scale.js';
import { benchStaffWeb } from './staff-web.js';
import { benchThroughput } from './throughput.js';
import { benchWeb } from './web.js';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (only !== undefined && !['scale', 'staff', 'counter', 'coldstart', 'capacity'].includes(only)) throw new Error(`--only takes: scale, staff, counter, coldstart or capacity (got ${only})`);
const localDir = mkdtempSync(join(tmpdir(), 'eldercare-bench-'));
const timings: Timing[] = [];
// The API alone: the platform link's relay and deliverer are measured on their own (capacity).
const stack = await startLocalStack({ localDir, inMemory: true, apiPort: 0, quiet: true, platformLink: false, onTiming: (t) => timings.push(t) });
const t0 = performance.now();
try {
  const bench = { url: stack.url, localDir, timings };

  if (only === 'scale') await scaleOnly(bench);
  else if (only === 'staff') await staffOnly(bench);
  else if (only === 'counter') await counterOnly(bench);
  else if (only === 'coldstart') await coldStartOnly();
  else if (only === 'capacity') await capacityOnly();
  else await full(bench);
} finally {
  await stack.close();
  rmSync(localDir, { recursive: true, force: true });
}

async function scaleOnly(bench: { url: string; localDir: string }) {
  const scale = await runScale(bench, quick);
  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'scale.json'), JSON.stringify({ measuredAt: new Date().toISOString(), quick, node: process.version, cpus: (await import('node:os')).cpus().length, targets: scaleTargets(scale), ...scale }, null, 2));
  section('Targets');
  console.table(scaleTargets(scale).map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
  console.log(`\nwritten: bench/results/scale.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

/** Targets the capacity table alone can judge: the waiting list's institution queue read does not grow with the county. */
function capacityTargets(capacity: Awaited<ReturnType<typeof benchCapacity>>) {
  const u = (prefix: string) => capacity.find((c) => c.operation.startsWith(prefix));
  const ten = u('one institution\'s queue, county of 10 ');
  const tenK = u('one institution\'s queue, county of 10,000');
  return ten && tenK
    ? [{ target: 'one institution\'s waiting list read costs the same at 10 and 10,000 open applications in the county', met: tenK.readUnits <= ten.readUnits, measured: `${ten.readUnits} read units at 10; ${tenK.readUnits} at 10,000` }]
    : [];
}

/** `--only capacity`: the capacity table alone, to bench/results/capacity.json. */
async function capacityOnly() {
  section('DynamoDB capacity units per operation');
  const capacity = await benchCapacity({ quick });
  console.table(capacity);
  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'capacity.json'), JSON.stringify({ measuredAt: new Date().toISOString(), quick, node: process.version, targets: capacityTargets(capacity), capacity }, null, 2));
  section('Targets');
  console.table(capacityTargets(capacity).map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
  console.log(`\nwritten: bench/results/capacity.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

async function runStaffWeb(bench: { url: string; localDir: string }) {
  section('Staff dashboard: first-load JavaScript with and without the chart chunk; time to the charts drawn');
  const staffWeb = await benchStaffWeb({ ...bench, runs: 5 });
  const { staffChunks, familyChunks, ...summary } = staffWeb;
  console.table([summary]);
  console.log(`staff /staff fetched: ${staffChunks.join(', ')}\nfamily pages fetched: ${familyChunks.join(', ')}`);
  return staffWeb;
}

function staffTargets(s: Awaited<ReturnType<typeof benchStaffWeb>>) {
  return [
    { target: 'family pages never fetch the chart, spreadsheet or staff chunks', met: s.familyLoadsStaffChunks.length === 0, measured: s.familyLoadsStaffChunks.length ? `fetched ${s.familyLoadsStaffChunks.join(', ')}` : `none (${s.familyChunks.join(', ')})` },
    { target: 'staff dashboard first-load JavaScript reported (gzip), with and without the chart chunk', met: true, measured: `${s.staffFirstLoadJsGzipKB} KB; ${s.staffFirstLoadJsWithoutChartsGzipKB} KB without the chart chunk (${s.chartChunkGzipKB} KB)` },
    { target: 'navigation to occupancy charts drawn reported (median of 5, cache off)', met: true, measured: `${s.chartsDrawnMedianMs} ms (${s.chartsDrawnMs.join(', ')}; load average ${s.loadAverage1m})` },
  ];
}

async function staffOnly(bench: { url: string; localDir: string }) {
  const staffWeb = await runStaffWeb(bench);
  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'staff-web.json'), JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, targets: staffTargets(staffWeb), ...staffWeb }, null, 2));
  section('Targets');
  console.table(staffTargets(staffWeb).map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
  console.log(`\nwritten: bench/results/staff-web.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

async function runCounter(bench: { url: string; localDir: string }) {
  section('The meal-site counter (Chromium, 1024x768): Enter to confirmation offline, and the upload of 200 waiting records');
  const counter = await benchCounter({ url: bench.url, localDir: bench.localDir, records: 200 });
  console.table([counter]);
  return counter;
}

async function counterOnly(bench: { url: string; localDir: string }) {
  const counter = await runCounter(bench);
  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'counter.json'), JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, loadAverage1m: round((await import('node:os')).loadavg()[0]!, 1), targets: counterTargets(counter), counter }, null, 2));
  section('Targets');
  console.table(counterTargets(counter).map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
  console.log(`\nwritten: bench/results/counter.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

/** Bundle size and cold start against the empty handler and the SDK-only floor (rows 0 and 1). */
function bundleTargets(bundles: Awaited<ReturnType<typeof benchBundles>>) {
  const empty = bundles[0]!;
  const sdkOnly = bundles[1]!;
  const fns = bundles.slice(2);
  const biggest = fns.reduce((a, b) => (b.minifiedKB > a.minifiedKB ? b : a));
  const slowest = fns.reduce((a, b) => (b.vsEmpty > a.vsEmpty ? b : a));
  const over = fns.filter((f) => f.minifiedKB > 400);
  const slow = fns.filter((f) => f.vsEmpty > 1.6);
  // The code's own share: a function that touches DynamoDB against the SDK-only floor; the system
  // function (no table) against the empty handler.
  const isSystem = (f: (typeof fns)[number]) => f.function.startsWith('SystemFunction');
  const heavy = fns.filter((f) => (isSystem(f) ? f.vsEmpty > 1.3 : f.vsSdkFloor > 1.15));
  const system = fns.find(isSystem);
  const worstVsSdk = fns.filter((f) => !isSystem(f)).reduce((a, b) => (b.vsSdkFloor > a.vsSdkFloor ? b : a));
  return [
    { target: 'each bundle at most 400 KB minified', met: over.length === 0, measured: `${fns.length - over.length} of ${fns.length} within; largest ${biggest.function} ${biggest.minifiedKB} KB${over.length ? `; over: ${over.map((f) => `${f.function} ${f.minifiedKB}`).join(', ')}` : ''}` },
    { target: 'cold-start proxy at most 1.6x the empty handler', met: slow.length === 0, measured: `empty ${empty.processMs} ms; ${fns.length - slow.length} of ${fns.length} within; slowest ${slowest.function} ${slowest.processMs} ms (${slowest.vsEmpty}x); the SDK alone, one GetItem: ${sdkOnly.processMs} ms (${sdkOnly.vsEmpty}x)` },
    { target: 'cold start the code adds: each function within 1.15x of the SDK-only floor, the system function within 1.3x of the empty handler', met: heavy.length === 0, measured: `SDK floor ${sdkOnly.processMs} ms; worst ${worstVsSdk.function} ${worstVsSdk.vsSdkFloor}x; system ${system?.processMs} ms (${system?.vsEmpty}x empty)${heavy.length ? `; over: ${heavy.map((f) => f.function).join(', ')}` : ''}` },
  ];
}

/** `--only coldstart`: bundles and cold start alone (a quiet machine's run), to bench/results/coldstart.json. */
async function coldStartOnly() {
  section('Bundles and cold start (median of fresh Node.js processes: import + first invocation)');
  const bundles = await benchBundles({ root: projectRoot, env: { ...process.env }, runs: quick ? 10 : 15 });
  console.table(bundles);
  const targets = bundleTargets(bundles);
  const os = await import('node:os');
  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'coldstart.json'), JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage1m: round(os.loadavg()[0]!, 1), targets, bundles }, null, 2));
  section('Targets');
  console.table(targets.map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));
  console.log(`\nwritten: bench/results/coldstart.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

async function full(bench: { url: string; localDir: string; timings: Timing[] }) {

  // First, while the tables are nearly empty: the first invocations (the no-show job, the
  // snapshot) then do what a first call of the day does, not the work the later benchmarks leave.
  section('Bundles and cold start (median of fresh Node.js processes: import + first invocation)');
  const bundles = await benchBundles({ root: projectRoot, env: { ...process.env }, runs: quick ? 10 : 15 });
  console.table(bundles);


  section('DynamoDB capacity units per operation');
  const capacity = await benchCapacity({ quick });
  console.log('writeUnits: the service\'s rule applied to each request\'s items (DynamoDB Local counts 0 for Update items inside');
  console.log('transactions); writeUnitsLocal, readUnits: ReturnConsumedCapacity=TOTAL from DynamoDB Local. A refused conditional');
  console.log('write is billed too ("second meal" pays for the refused transaction and the put after it).\n');
  console.table(capacity);

  section('Throughput and latency through the local HTTP server (DynamoDB Local, one core)');
  const throughput = await benchThroughput(bench, { quick });
  console.table(throughput);

  section('Lunch rush: 36 sites serve their elders within 90 minutes, one request per meal');
  const rush = await benchLunchRush(bench, { quick });
  console.table([rush]);

  section('Web pages: first-load JavaScript (gzip -9) and Lighthouse 12 on the booking page (mobile profile)');
  const web = await benchWeb({ url: stack.url, localDir, runs: quick ? 1 : 3 });
  const { files: webFiles, ...webSummary } = web;
  console.table(webFiles);
  console.table([webSummary]);
  const staffWeb = await runStaffWeb(bench);
  const counter = await runCounter(bench);
  const scale = await runScale(bench, quick);

  section(`Money per 10,000 meals (prices ${prices.asOf})`);
  const relayRow = capacity.find((c) => c.operation.startsWith('platform link: relay'))!;
  const deliverRow = capacity.find((c) => c.operation.startsWith('platform link: deliver'))!;
  const money = moneyPer10kMeals(capacity, {
    batchOf200: throughput.find((t) => t.scenario.startsWith('servings'))!.handlerP50ms,
    single: rush.handlerP50ms,
    relayPerEvent: relayRow.msLocal,
    deliverPerEvent: deliverRow.msLocal,
  });
  console.table(money);

  // ---- targets
  const u = (prefix: string) => capacity.find((c) => c.operation.startsWith(prefix));
  const serving = u('record a subsidised serving')!;
  const booking = u('book a meal')!;
  const occSmall = u('occupancy read, county of 1,000');
  const occBig = u('occupancy read, county of 50,000');
  const tablets = money.find((m) => m.scenario.startsWith('servings uploaded'))!;
  const whole = money.find((m) => m.scenario.startsWith('batches of 200 +'))!;
  const overhead = throughput.map((t) => `${t.scenario}: ${t.serverOverheadP50ms} ms of ${t.p50ms}`).join('; ');
  const targets = [
    ...bundleTargets(bundles),
    ...capacityTargets(capacity),
    { target: 'a serving at most 4 write units', met: Math.max(serving.writeUnits, serving.writeUnitsLocal) <= 4, measured: `${Math.max(serving.writeUnits, serving.writeUnitsLocal)} WCU` },
    { target: 'a booking at most 6 write units', met: Math.max(booking.writeUnits, booking.writeUnitsLocal) <= 6, measured: `${Math.max(booking.writeUnits, booking.writeUnitsLocal)} WCU` },
    { target: '10,000 meals at most $0.05 (DynamoDB, API Gateway, Lambda)', met: tablets.withinTarget.startsWith('yes'), measured: `${tablets.withinTarget} from tablets; with the platform link: ${whole.withinTarget}` },
    { target: 'occupancy read units the same at 1,000 and 50,000 beds', met: occBig ? occSmall!.readUnits === occBig.readUnits : false, measured: occBig ? `${occSmall!.readUnits} and ${occBig.readUnits} RCU` : 'not measured (--quick)' },
    { target: 'family pages: first-load JavaScript at most 60 KB gzipped', met: web.firstLoadJsGzipKB <= 60, measured: `${web.firstLoadJsGzipKB} KB (+ ${web.cssGzipKB} KB CSS)` },
    { target: 'booking page, Lighthouse mobile: performance at least 90', met: web.performance >= 90, measured: `${web.performance} (runs: ${web.performanceScores.join(', ')}; load average ${web.loadAverage1m} on ${(await import('node:os')).cpus().length} cores)` },
    { target: 'booking page, Lighthouse mobile: accessibility at least 95', met: web.accessibility >= 95, measured: `${web.accessibility}` },
    { target: 'local server overhead reported (p50, in the server vs the handler)', met: true, measured: overhead },
    ...counterTargets(counter),
    ...scaleTargets(scale),
    ...staffTargets(staffWeb),
  ];
  section('Targets');
  console.table(targets.map((t) => ({ ...t, met: t.met ? 'yes' : 'NO' })));

  const out = join(projectRoot, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'latest.json'), JSON.stringify({
    measuredAt: new Date().toISOString(), quick, node: process.version, cpus: (await import('node:os')).cpus().length,
    prices, targets, bundles, capacity, throughput, lunchRush: rush, web, staffWeb, counter, moneyPer10kMeals: money, ...scale,
  }, null, 2));
  console.log(`\nwritten: bench/results/latest.json (${round((performance.now() - t0) / 1000, 0)} s)`);
}

async function runScale(bench: { url: string; localDir: string }, quick: boolean) {
  section('Costs that follow the data: open alerts, and meal reports at 36 and 360 sites');
  const scale = await benchScale({ quick, url: bench.url, localDir: bench.localDir });
  console.log('A page of welfare alerts (limit 50), newest first:');
  console.table(scale.alertPages);
  console.log('Meal reports, called in-process (read units from ReturnConsumedCapacity; time on DynamoDB Local):');
  console.table(scale.reports);
  console.log('The anomalies report through the API (200 within the request\'s budget, else 202 and a job):');
  console.table(scale.api);
  return scale;
}

function scaleTargets(scale: Awaited<ReturnType<typeof benchScale>>) {
  const pages = (page: string) => scale.alertPages.filter((r) => r.page.startsWith(page)).map((r) => r.readUnits);
  const same = (xs: number[]) => xs.length > 1 && xs.every((x) => x === xs[0]);
  const row = (report: string, sites: number) => scale.reports.find((r) => r.report.startsWith(report) && r.sites === sites)!;
  const [e36, e360, d36, d360] = [row('anomalies, empty month', 36), row('anomalies, empty month', 360), row('anomalies, month with data', 36), row('anomalies, month with data', 360)];
  const sizes = scale.alertPages.map((r) => r.alerts).filter((x, i, a) => a.indexOf(x) === i).join(' and ');
  return [
    { target: `a page of open alerts: the same read units at ${sizes} alerts`, met: same(pages('county, open')) && same(pages('township, open')), measured: `county: ${pages('county, open').join(' and ')} RCU; township: ${pages('township, open').join(' and ')} RCU` },
    // With data, the report also reads each site served once (half a unit each): that is data too.
    { target: 'anomalies report: cost follows servings, not sites x days', met: e36.readUnits === e360.readUnits && Math.abs(d360.readUnits - d36.readUnits) <= 0.5 * (d360.sites - d36.sites) + 0.02 * d36.readUnits, measured: `empty month ${e36.readUnits} / ${e360.readUnits} RCU at 36 / 360 sites; ${d36.servings} servings ${d36.readUnits} / ${d360.readUnits} RCU (the difference: the sites served, read once each)` },
    { target: 'a report too big for the request answers 202 and finishes as a job (no timeout)', met: scale.api.every((r) => (r.status === 200 && r.request === 'plain') || (r.status === 202 && r.jobDoneAfterMs !== undefined)), measured: scale.api.map((r) => `${r.sites} sites, ${r.request}: ${r.status} after ${r.answeredAfterMs} ms${r.jobDoneAfterMs ? `, job done after ${r.jobDoneAfterMs} ms` : ''}`).join('; ') },
  ];
}
