/**
 * Costs that must follow the data, not the size of the county (issue 10, faults 6 and 10):
 *   - a page of open welfare alerts at 100 and at 100,000 alerts: the same read units;
 *   - the anomalies report for 36 and for 360 meal sites, an empty month and a month with
 *     data, with the daily report and a settlement beside it: read units and time;
 *   - the same report through the API, where a month over the request's budget becomes a job.
 * Bulk data goes straight into the tables with BatchWriteItem (items cloned from ones the use
 * cases wrote, so their sizes are real); only what is measured runs through the code.
 * Needs the local stack started (bench/run.ts).
 */
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { signToken } from '../scripts/local/keys.js';
import { capacityMeter, type Units } from './capacity.js';
import { round } from './lib.js';

export interface AlertPageRow { alerts: number; open: number; page: string; items: number; readUnits: number; calls: number; msLocal: number }
export interface ReportRow { report: string; sites: number; servings: number; readUnits: number; calls: number; msLocal: number; note: string }
export interface ApiReportRow { sites: number; servings: number; request: string; status: number; answeredAfterMs: number; jobDoneAfterMs?: number; anomalies?: number }

const TOWNSHIPS = 16;
const townshipOf = (county: string, k: number) => `${county}${101 + (k % TOWNSHIPS)}`;

/**
 * BatchWriteItem in chunks of 25 (unprocessed items sent again), a few requests at a time.
 * Items are shuffled first: DynamoDB Local writes a batch spread over partitions about three
 * times faster than one whose items share a partition key (measured: 503 vs 165 items/s).
 */
async function bulkPut(tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  const { db } = await import('../functions/lib/dynamo.js');
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < shuffled.length; i += 25) chunks.push(shuffled.slice(i, i + 25));
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [tableName]: chunk.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await db().send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
    }
  }));
}

async function rawItem(tableName: string, key: Record<string, string>): Promise<Record<string, unknown>> {
  const { db } = await import('../functions/lib/dynamo.js');
  const out = await db().send(new GetCommand({ TableName: tableName, Key: key }));
  if (!out.Item) throw new Error(`template item ${JSON.stringify(key)} not found`);
  return out.Item;
}

export async function benchScale(opts: { quick: boolean; url: string; localDir: string }): Promise<{ alertPages: AlertPageRow[]; reports: ReportRow[]; api: ApiReportRow[] }> {
  const meter = await capacityMeter();
  const { newId } = await import('../functions/lib/ids.js');
  const mealsTable = process.env.MEALS_TABLE!;
  const registryTable = process.env.REGISTRY_TABLE!;
  const now = new Date();

  // ---- the anomalies report (and the daily report and a settlement) at 36 and 360 sites
  const { putTownship, registerElder } = await import('../functions/registry/elders.js');
  const { createSite, putPolicy } = await import('../functions/meals/sites.js');
  const { recordServings } = await import('../functions/meals/servings.js');
  const { monthlyAnomalies, daily, monthlySettlement } = await import('../functions/meals/reports.js');
  const { servingId, servingKey } = await import('../functions/meals/store/index.js');
  const { demoIdNumber } = await import('../scripts/local/seed.js');
  const { daysOf } = await import('../functions/meals/domain/reports.js');
  const reports: ReportRow[] = [];
  const api: ApiReportRow[] = [];
  const month = '2026-10';
  const emptyMonth = '2026-09';
  const days = daysOf(month).slice(0, opts.quick ? 7 : 31);
  // The brief's county: 36 sites serving 1,080 meals a day (30 a site). The 360-site county
  // serves the same meals over ten times the sites, so any difference is the sites' doing.
  const mealsPerDay = 1_080;
  const eldersPerCounty = 2_880;
  const slots = { breakfast: { capacity: 60, priceFen: 500, cutoff: '07:00' }, lunch: { capacity: 120, priceFen: 1500, cutoff: '10:00' }, dinner: { capacity: 80, priceFen: 1200, cutoff: '16:00' } };
  for (const [c, [county, siteCount]] of ([['411411', 36], ['411412', 360]] as const).entries()) {
    const staff = { sub: 'bench', role: 'staff' as const, county };
    for (let k = 0; k < TOWNSHIPS; k++) await putTownship(staff, townshipOf(county, k), { name: `乡镇${k}`, elderlyPopulation: 7000 }, now);
    await putPolicy(staff, { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], dailyCapFen: 1000, siteSubsidyPerDinerFen: 300 }, now);
    const sites: Awaited<ReturnType<typeof createSite>>[] = [];
    for (let i = 0; i < siteCount; i++) sites.push(await createSite(staff, { name: `助餐点${i}`, township: townshipOf(county, i), kind: i < 16 ? 'canteen' : 'service_point', address: `人民路 ${i} 号`, delivery: i % 3 === 0, slots }, now));
    // Templates: one elder and one serving written by the use cases, cloned for the bulk.
    const elder = await registerElder(staff, { idNumber: demoIdNumber(new Date(Date.UTC(1944, 2, 3)), 7 + c, true), name: '王秀英', township: townshipOf(county, 0), categories: ['dibao', 'living_alone'], dietaryNeeds: ['low_salt'], capabilityLevel: 1, phone: '13800000000' }, now);
    const device = { sub: 'device', role: 'site' as const, county, site: sites[0]!.id };
    const [first] = await recordServings(device, sites[0]!.id, [{ clientRecordId: 'template', elderId: elder.id, servedAt: new Date(now.getTime() - 60_000).toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }], now);
    const key = servingKey(first!.servingId!)!;
    const servingTemplate = await rawItem(mealsTable, key);
    const elderTemplate = await rawItem(registryTable, { pk: `ELDER#${elder.id}`, sk: 'PROFILE' });
    const elderIds = Array.from({ length: eldersPerCounty }, (_, i) => `eld_bench${county}${String(i).padStart(5, '0')}`);
    const t0 = performance.now();
    await bulkPut(registryTable, elderIds.map((id, i) => ({ ...elderTemplate, pk: `ELDER#${id}`, gsi1pk: `TOWNSHIP#${townshipOf(county, i)}#ELDERS`, gsi1sk: `ELDER#${id}`, id, township: townshipOf(county, i) })));
    const servings: Record<string, unknown>[] = [];
    for (const date of days) {
      for (let n = 0; n < mealsPerDay; n++) {
        const site = sites[n % siteCount]!;
        // Each site serves elders of its own pool (its share of the county's elders); one meal
        // in 200 goes to an elder of the next site's pool, a minute from their meal there.
        const pool = Math.max(1, Math.floor(eldersPerCounty / siteCount));
        const poolOf = n % 200 === 0 ? (n + 1) % siteCount : n % siteCount;
        const elderId = elderIds[(poolOf * pool + Math.floor(n / siteCount)) % eldersPerCounty]!;
        const minute = 11 * 60 + (n % 150);
        const servedAt = new Date(Date.parse(`${date}T00:00:00+08:00`) + minute * 60_000).toISOString();
        const clientRecordId = `t${n % 4}-${date}-${String(n).padStart(5, '0')}`;
        const id = servingId(site, date, clientRecordId);
        const k = servingKey(id)!;
        servings.push({
          ...servingTemplate, ...k, id, siteId: site.id, township: site.township, county, clientRecordId, elderId, date, servedAt, slot: 'lunch', recordedAt: servedAt,
          verifiedBy: n % 7 === 0 ? 'manual' : 'card',
          evt: { ...(servingTemplate.evt as object), id: newId('e').slice(2).toUpperCase(), occurredAt: servedAt, entity: `serving:${id}`, data: { ...((servingTemplate.evt as { data: object }).data), servingId: id, siteId: site.id, elderId, date } },
        });
      }
    }
    await bulkPut(mealsTable, servings);
    console.log(`  ${siteCount} sites: ${elderIds.length} elders and ${servings.length} servings written in ${round((performance.now() - t0) / 1000)} s`);

    const add = (report: string, m: { units: Units; value: unknown }, n: number, note: string) =>
      reports.push({ report, sites: siteCount, servings: n, readUnits: round(m.units.read, 1), calls: m.units.calls, msLocal: round(m.units.ms ?? 0, 0), note });
    const empty = await meter.measure(() => monthlyAnomalies(staff, emptyMonth));
    add('anomalies, empty month', empty, 0, 'one Query per day of the county-day partitions + the sites');
    const full = await meter.measure(() => monthlyAnomalies(staff, month));
    add(`anomalies, month with data (${days.length} days)`, full, servings.length, `the month's servings (8 of their fields) + the elders served (BatchGet); ${full.value.items.length} anomalies`);
    const day = await meter.measure(() => daily(staff, days[0]!));
    add('daily report, county', day, mealsPerDay, 'one Query of the county-day partition + the sites');
    const settle = await meter.measure(() => monthlySettlement(staff, sites[1]!.id, month));
    add('settlement, one site-month', settle, servings.filter((s) => s.siteId === sites[1]!.id).length, 'one Query of the site\'s part of each day + the elders (BatchGet)');
    if (siteCount === 36) {
      // What the report cost before: one Query per site and day, even where nothing was served.
      const { db } = await import('../functions/lib/dynamo.js');
      const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');
      const before = await meter.measure(async () => {
        for (const site of sites) {
          await Promise.all(daysOf(emptyMonth).map((date) => db().send(new QueryCommand({ TableName: mealsTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `SRV#${site.id}#${date}` } }))));
        }
      });
      add('anomalies, empty month, before (one Query per site-day)', before, 0, `the old design: ${siteCount} sites x ${daysOf(emptyMonth).length} days of Queries; grows with sites x days`);
    }

    // Through the API: 200 within the request's budget, or 202 and a job to poll; and a job
    // asked for (Prefer: respond-async), to time the job path whatever the budget decides.
    const token = await signToken(opts.localDir, { role: 'staff', sub: 'bench', county });
    for (const prefer of [false, true]) {
      const t1 = performance.now();
      const res = await fetch(`${opts.url}/v1/reports/meals/anomalies?month=${month}`, { headers: { authorization: `Bearer ${token}`, ...(prefer && { prefer: 'respond-async' }) } });
      const answeredAfterMs = round(performance.now() - t1, 0);
      const body = (await res.json()) as { items?: unknown[] };
      const row: ApiReportRow = { sites: siteCount, servings: servings.length, request: prefer ? 'Prefer: respond-async' : 'plain', status: res.status, answeredAfterMs, ...(body.items && { anomalies: body.items.length }) };
      if (res.status === 202) {
        const location = res.headers.get('location')!;
        for (;;) {
          await new Promise((ok) => setTimeout(ok, 250));
          const r = await fetch(`${opts.url}${location}`, { headers: { authorization: `Bearer ${token}` } });
          if (r.status !== 202) {
            const job = (await r.json()) as { status: string; result?: { items: unknown[] } };
            row.jobDoneAfterMs = round(performance.now() - t1, 0);
            if (job.result) row.anomalies = job.result.items.length;
            break;
          }
        }
      }
      api.push(row);
    }
  }
  // ---- welfare alerts: a page of open ones at 100 and at 100,000 alerts. Last: DynamoDB
  // Local's writes slow down as the Meals table's stream grows, and these are the most items.
  const { listAlerts } = await import('../functions/meals/no-shows.js');
  const alertPages: AlertPageRow[] = [];
  const bigAlerts = opts.quick ? 10_000 : 100_000;
  for (const [county, total, open] of [['411401', 100, 60], ['411402', bigAlerts, 1_000]] as const) {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < total; i++) {
      // Oldest first, over three years; the newest `open` are still open, 60 of them (and
      // every tenth of the rest) in the first township.
      const raisedAt = new Date(now.getTime() - (total - i) * Math.floor((3 * 365 * 86_400_000) / total));
      const isOpen = i >= total - open;
      const township = isOpen && (i >= total - 60 || i % 10 === 0) ? townshipOf(county, 0) : townshipOf(county, i);
      const id = newId('al', raisedAt.getTime());
      const status = isOpen ? 'open' : 'closed';
      const bookingId = `bk_${Buffer.from(`site_bench|${raisedAt.toISOString().slice(0, 10)}|dinner|${id}`).toString('base64url')}`;
      items.push({
        pk: `ALERTS#${county}`, sk: id, gsi1pk: `ALERTS#${county}#${status}`, gsi1sk: id, gsi2pk: `ALERTS#${township}#${status}`, gsi2sk: id,
        id, kind: 'no_show_living_alone', status, county, township, elderId: `eld_${id.slice(3)}`, bookingId, siteId: 'site_bench', date: raisedAt.toISOString().slice(0, 10), slot: 'dinner', raisedAt: raisedAt.toISOString(),
        ...(!isOpen && { closed: { at: raisedAt.toISOString(), by: 'staff:bench', note: '已上门探访，老人安好' } }),
        evt: { id: id.slice(3).toUpperCase(), type: isOpen ? 'alert.raised' : 'alert.closed', occurredAt: raisedAt.toISOString(), county, entity: `alert:${bookingId}`, data: { alertId: id, elderId: `eld_${id.slice(3)}` } },
      });
    }
    const t0 = performance.now();
    await bulkPut(mealsTable, items);
    console.log(`  ${total} alerts written in ${round((performance.now() - t0) / 1000)} s`);
    const staff = { sub: 'bench', role: 'staff' as const, county };
    for (const [page, township, status] of [['county, open', undefined, 'open'], [`township, open`, townshipOf(county, 0), 'open'], ['county, closed', undefined, 'closed']] as const) {
      const m = await meter.measure(() => listAlerts(staff, status, township, { limit: 50 }));
      alertPages.push({ alerts: total, open, page: `${page} (limit 50)`, items: m.value.items.length, readUnits: m.units.read, calls: m.units.calls, msLocal: round(m.units.ms ?? 0) });
    }
  }

  meter.stop();
  return { alertPages, reports, api };
}
