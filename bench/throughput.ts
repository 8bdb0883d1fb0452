/**
 * Throughput and latency through the local HTTP server (the same handlers, API Gateway-shaped
 * events and DynamoDB Local), with the concurrency stated per scenario. The server's onTiming
 * hook gives each request's handler time, so the server's own overhead is separated out.
 */
import { call, cst, registerElders, tokenFor, type HttpBench, type Timing } from './http.js';
import { median, percentile, pool, round } from './lib.js';

export interface ThroughputRow {
  scenario: string;
  concurrency: number;
  requests: number;
  perSecond: number;
  unit: string;
  p50ms: number;
  p99ms: number;
  handlerP50ms: number;
  serverOverheadP50ms: number;
  note: string;
}

export async function benchThroughput(b: HttpBench, opts: { quick: boolean }): Promise<ThroughputRow[]> {
  const { putTownship } = await import('../functions/registry/elders.js');
  const { createSite, putPolicy } = await import('../functions/meals/sites.js');
  const { createInstitution, addBeds } = await import('../functions/beds/institutions.js');
  const county = '411332';
  const township = `${county}101`;
  const staffP = { sub: 'bench', role: 'staff' as const, county };
  const now = new Date();
  await putTownship(staffP, township, { name: '城关镇', elderlyPopulation: 9000 }, now);
  await putPolicy(staffP, { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }] }, now);
  const site = await createSite(staffP, {
    name: '城关镇长者食堂', township, kind: 'canteen', address: '人民路 1 号', delivery: true,
    slots: { breakfast: { capacity: 40, priceFen: 600, cutoff: '07:00' }, lunch: { capacity: 40, priceFen: 1500, cutoff: '10:00' }, dinner: { capacity: 40, priceFen: 1200, cutoff: '16:00' } },
  }, now);
  const elders = await registerElders(staffP, township, 200, 50_000);
  const staff = await tokenFor(b, { role: 'staff', sub: 'bench', county });
  const device = await tokenFor(b, { role: 'site', sub: 'bench-device', county, site: site.id });

  const rows: ThroughputRow[] = [];
  const run = async (scenario: string, unit: string, concurrency: number, jobs: (() => Promise<{ status: number; ms: number; items: number }>)[], note: string, route: string) => {
    const from = b.timings.length;
    const started = performance.now();
    const results = await pool(jobs, concurrency, (j) => j());
    const seconds = (performance.now() - started) / 1000;
    const timings = b.timings.slice(from).filter((t: Timing) => t.route === route);
    const lat = results.map((r) => r.ms);
    rows.push({
      scenario, concurrency, requests: results.length,
      perSecond: round(results.reduce((n, r) => n + r.items, 0) / seconds),
      unit,
      p50ms: round(median(lat)), p99ms: round(percentile(lat, 99)),
      handlerP50ms: round(median(timings.map((t) => t.handlerMs))),
      serverOverheadP50ms: round(median(timings.map((t) => t.totalMs - t.handlerMs)), 2),
      note,
    });
    return results;
  };

  // 1. Servings in batches of 200: four devices uploading at once. Each (elder, day, slot) is
  //    new, so every record is a subsidised serving (the 4-unit path).
  const batches = opts.quick ? 8 : 20;
  const slots = ['breakfast', 'lunch', 'dinner'] as const;
  const servings = await run('servings ingested, batches of 200', 'servings/s', 4, Array.from({ length: batches }, (_, k) => async () => {
    const day = Math.floor(k / 3);
    const servedAt = new Date(now.getTime() - (day * 24 + 1) * 3600_000).toISOString();
    const records = elders.map((elderId, i) => ({ clientRecordId: `tp-${k}-${i}`, elderId, servedAt, slot: slots[k % 3], mode: 'dine_in', verifiedBy: 'card' }));
    const r = await call(b, 'POST', `/v1/meal-sites/${site.id}/servings`, device, { records });
    const accepted = (r.body?.results ?? []).filter((x: { status: string }) => x.status === 'accepted').length;
    return { status: r.status, ms: r.ms, items: accepted };
  }), 'every record accepted with its subsidy', 'POST /v1/meal-sites/{siteId}/servings');
  const rejected = batches * 200 - servings.reduce((n, r) => n + r.items, 0);
  if (rejected) rows.at(-1)!.note = `${rejected} records not accepted`;

  // 2. Bookings: 50 families at once for the same site, date and slot (40 seats), date after date.
  const dates = opts.quick ? 4 : 10;
  let booked = 0;
  let full = 0;
  const jobs = [];
  for (let d = 0; d < dates; d++) {
    const date = cst(new Date(now.getTime() + (2 + d) * 86_400_000));
    for (let c = 0; c < 50; c++) {
      jobs.push(async () => {
        const r = await call(b, 'POST', '/v1/bookings', staff, { elderId: elders[c]!, siteId: site.id, date, slot: 'lunch', mode: 'dine_in' });
        if (r.status === 201) booked++;
        else if (r.body?.error?.code === 'SLOT_FULL') full++;
        return { status: r.status, ms: r.ms, items: 1 };
      });
    }
  }
  await run('bookings, 50 clients competing for 40 seats', 'attempts/s', 50, jobs, '', 'POST /v1/bookings');
  let overbooked = 0;
  for (let d = 0; d < dates; d++) {
    const a = await call(b, 'GET', `/v1/meal-sites/${site.id}/availability?date=${cst(new Date(now.getTime() + (2 + d) * 86_400_000))}`, staff);
    const lunch = (a.body.slots as { slot: string; booked: number; capacity: number }[]).find((s) => s.slot === 'lunch')!;
    if (lunch.booked > lunch.capacity) overbooked++;
  }
  rows.at(-1)!.note = `${booked} booked, ${full} SLOT_FULL (expected ${dates * 40} and ${dates * 10}); slots overbooked: ${overbooked}`;

  // 3. Occupancy reads: staff dashboards, ten at a time, over a county of 10 institutions.
  for (let k = 0; k < 10; k++) {
    const inst = await createInstitution(staffP, { name: `机构${k}`, township, kind: 'private' }, now);
    await addBeds(staffP, inst.id, { beds: Array.from({ length: 50 }, (_, j) => ({ label: `B${j}`, careType: j % 3 ? ('nursing' as const) : ('ordinary' as const), tags: [] })) }, now);
  }
  await run('occupancy reads', 'reads/s', 10, Array.from({ length: opts.quick ? 200 : 500 }, () => async () => {
    const r = await call(b, 'GET', '/v1/occupancy', staff);
    return { status: r.status, ms: r.ms, items: r.status === 200 ? 1 : 0 };
  }), 'one Query of the counters per read', 'GET /v1/occupancy');
  return rows;
}
