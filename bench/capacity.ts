/**
 * Cost per operation: DynamoDB capacity units of each use case, measured with
 * ReturnConsumedCapacity=TOTAL on every call the code makes (a middleware on the one shared
 * client, so the code under test is unchanged). Runs against DynamoDB Local, which reports
 * units as the service computes them (transactions double, GSI writes included).
 * Needs the local environment applied (bench/run.ts starts the local stack first).
 */
import { LocalFifoQueue } from '../scripts/local/fifo-queue.js';
import { tables } from '../shared/tables.js';

export interface Units { read: number; write: number; calls: number; serviceWrite: number; ms?: number }

/** DynamoDB's documented item-size rules, applied to a plain (unmarshalled) item. */
function size(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.-]/g, '').replace(/^0+/, '').length / 2) + 1;
  if (v instanceof Set) return [...v].reduce((n: number, x) => n + size(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + size(x), 0);
  if (typeof v === 'object') return 3 + Object.entries(v as object).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + size(x), 0);
  return 8;
}
const itemSize = (item: object) => Object.entries(item).reduce((n, [k, x]) => n + Buffer.byteLength(k) + size(x), 0);
const kb = (o: unknown) => Math.max(1, Math.ceil(itemSize((o ?? {}) as object) / 1024));
/** A put of an item that carries an index's partition key also writes the index: 1 unit per KB, not doubled. */
function indexUnits(tableName: unknown, item: unknown): number {
  if (!item) return 0;
  const def = Object.values(tables).find((d) => process.env[d.envVar] === tableName);
  return (def?.globalIndexes ?? []).filter((i) => i.partitionKey.name in (item as object)).length * kb(item);
}
/**
 * The service's write price of a request, from its items: 1 unit per started KB, doubled in a
 * transaction. DynamoDB Local reports 0 for Update items inside transactions, so this column
 * is what the bill follows; item sizes are estimated from the request (attribute names and
 * values), which is what an item of a counter or guard is.
 */
function serviceWriteUnits(command: string, input: Record<string, unknown>): number {
  if (command === 'TransactWriteItemsCommand') {
    return (input.TransactItems as Record<string, { TableName?: string; Item?: unknown; Key?: unknown; ExpressionAttributeValues?: unknown }>[]).reduce((n, t) => {
      const op = Object.values(t)[0]!;
      return n + 2 * kb(op.Item ?? { ...(op.Key as object), ...(op.ExpressionAttributeValues as object) }) + indexUnits(op.TableName, op.Item);
    }, 0);
  }
  if (/^(Put|Update|Delete)(Item)?Command$/.test(command)) return kb(input.Item ?? { ...(input.Key as object), ...(input.ExpressionAttributeValues as object) }) + indexUnits(input.TableName, input.Item);
  return 0;
}

export interface CapacityRow { operation: string; writeUnits: number; writeUnitsLocal: number; readUnits: number; calls: number; msLocal: number; note: string }

/**
 * Counts the capacity units of every DynamoDB call the code makes from now on: a middleware on
 * the one shared client (ReturnConsumedCapacity=TOTAL), so the code under test is unchanged.
 * `measure` runs a function and returns its units, calls and time; `stop` removes the meter.
 */
export async function capacityMeter(): Promise<{ measure: <T>(fn: () => Promise<T>) => Promise<{ units: Units; value: T }>; stop: () => void }> {
  const { dynamoClient } = await import('../functions/lib/dynamo.js');
  let acc: Units = { read: 0, write: 0, calls: 0, serviceWrite: 0 };
  const name = `benchConsumedCapacity${Math.random()}`;
  dynamoClient().middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      // TOTAL reports CapacityUnits without a read/write split: the command says which.
      const isRead = /Get|Query|Scan/.test(String(context.commandName));
      const count = (cc: unknown) => {
        for (const c of [cc].flat().filter(Boolean) as { CapacityUnits?: number }[]) {
          if (isRead) acc.read += c.CapacityUnits ?? 0;
          else acc.write += c.CapacityUnits ?? 0;
        }
      };
      acc.calls++;
      acc.serviceWrite += serviceWriteUnits(String(context.commandName), args.input as Record<string, unknown>);
      // A refused conditional write still consumes its units, but its error does not say how
      // many: refusals are counted by the service's rule (serviceWrite) and noted in the table.
      const out = await next(args);
      count((out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
      return out;
    },
    { step: 'initialize', name },
  );
  const measure = async <T>(fn: () => Promise<T>): Promise<{ units: Units; value: T }> => {
    acc = { read: 0, write: 0, calls: 0, serviceWrite: 0 };
    const started = performance.now();
    const value = await fn();
    return { units: { ...acc, ms: performance.now() - started }, value };
  };
  return { measure, stop: () => dynamoClient().middlewareStack.remove(name) };
}

export async function benchCapacity(opts: { quick: boolean }): Promise<CapacityRow[]> {
  const meter = await capacityMeter();
  const { measure } = meter;

  const { putTownship, registerElder } = await import('../functions/registry/elders.js');
  const { createSite, putPolicy } = await import('../functions/meals/sites.js');
  const { createBooking, cancelBooking, kitchen } = await import('../functions/meals/bookings.js');
  const { recordServings } = await import('../functions/meals/servings.js');
  const { daily } = await import('../functions/meals/reports.js');
  const { demoIdNumber } = await import('../scripts/local/seed.js');

  const county = '411327';
  const township = `${county}101`;
  const staff = { sub: 'bench', role: 'staff' as const, county };
  const now = new Date();
  const cst = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const tomorrow = cst(new Date(now.getTime() + 86_400_000));
  await putTownship(staff, township, { name: '赊店镇', elderlyPopulation: 16800 }, now);
  await putPolicy(staff, { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], dailyCapFen: 1000, siteSubsidyPerDinerFen: 300 }, now);
  const slots = { breakfast: { capacity: 500, priceFen: 600, cutoff: '07:00' }, lunch: { capacity: 500, priceFen: 1500, cutoff: '10:00' }, dinner: { capacity: 500, priceFen: 1200, cutoff: '16:00' } };
  const site = await createSite(staff, { name: '赊店镇长者食堂', township, kind: 'canteen', address: '人民路 1 号', delivery: true, slots }, now);
  const siteP = { sub: 'device', role: 'site' as const, county, site: site.id };
  const elders: string[] = [];
  for (let i = 0; i < 260; i++) {
    elders.push((await registerElder(staff, { idNumber: demoIdNumber(new Date(Date.UTC(1940, 0, 1 + i)), i, i % 2 === 0), name: '测试', township, categories: ['dibao'], dietaryNeeds: [] }, now)).id);
  }

  const rows: CapacityRow[] = [];
  const add = (operation: string, u: Units, note = '', per = 1) =>
    rows.push({ operation, writeUnits: +(u.serviceWrite / per).toFixed(2), writeUnitsLocal: +(u.write / per).toFixed(2), readUnits: +(u.read / per).toFixed(2), calls: +(u.calls / per).toFixed(2), msLocal: +((u.ms ?? 0) / per).toFixed(1), note });

  const reg = await measure(() => registerElder(staff, { idNumber: demoIdNumber(new Date(Date.UTC(1950, 5, 5)), 499, true), name: '测试', township, categories: [], dietaryNeeds: [], cardNo: 'BENCH-1' }, now));
  add('register an elder (with card)', reg.units, 'elder + ID guard + card guard, one transaction');

  const book = await measure(() => createBooking(staff, { elderId: elders[0]!, siteId: site.id, date: tomorrow, slot: 'lunch', mode: 'dine_in' }, now));
  add('book a meal', book.units, 'seat counter + booking + elder guard, one transaction; reads: site, elder, policy');
  const cancel = await measure(() => cancelBooking(staff, book.value.id, now));
  add('cancel a booking', cancel.units, 'booking + seat counter + elder guard, one transaction');
  await createBooking(staff, { elderId: elders[1]!, siteId: site.id, date: tomorrow, slot: 'lunch', mode: 'delivery', deliveryAddress: '东街 1 号' }, now);
  add('kitchen list (site, date)', (await measure(() => kitchen(staff, site.id, tomorrow))).units, 'one Query');

  const at = new Date(now.getTime() - 60_000).toISOString();
  const rec = (i: number, slot = 'lunch') => ({ clientRecordId: `b-${i}-${slot}`, elderId: elders[i]!, servedAt: at, slot, mode: 'dine_in', verifiedBy: 'card' });
  const one = await measure(() => recordServings(siteP, site.id, [rec(2)], now));
  add('record a subsidised serving', one.units, 'serving + elder-day guard, one transaction; reads: site, elder, policy, booking guard');
  const second = await measure(() => recordServings(siteP, site.id, [{ ...rec(2), clientRecordId: 'b-2-second' }], now));
  add('record a second meal in the slot', second.units, 'guard refuses the subsidy; stored at full price (one put)');
  const batch = await measure(() => recordServings(siteP, site.id, elders.slice(10, 210).map((_, i) => rec(10 + i)), now));
  add('record a serving, per record in a batch of 200', batch.units, 'same as one record; site and policy read once per batch', 200);
  const dup = await measure(() => recordServings(siteP, site.id, elders.slice(10, 210).map((_, i) => rec(10 + i)), now));
  add('resend the batch of 200, per record', dup.units, 'all duplicate: no write succeeds', 200);
  const report = await measure(() => daily(staff, cst(new Date(at))));
  add('daily report (county, 1 site, 212 servings)', report.units, 'one Query of the county-day partition + the sites');
  const { monthlySettlement } = await import('../functions/meals/reports.js');
  const settle = await measure(() => monthlySettlement(staff, site.id, cst(new Date(at)).slice(0, 7)));
  add('settlement, one site-month (212 servings)', settle.units, 'one Query of the site\'s part of each day of the month + elders for categories (BatchGet)');

  // ---- the platform link, per event: the relay ledgers a stream batch, the deliverer posts each
  const { relayEvents } = await import('../functions/platform/relay.js');
  const { useDeliveryQueue } = await import('../functions/platform/queue.js');
  const queue = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 100 });
  useDeliveryQueue(queue);
  const events = Array.from({ length: 90 }, (_, i) => ({
    id: `bench-evt-${Date.now()}-${String(i).padStart(3, '0')}`, type: 'serving.recorded' as const, occurredAt: now.toISOString(), county, entity: `serving:bench-${i}`,
    data: { servingId: `bench-${i}`, siteId: site.id, elderId: elders[i]!, date: cst(now), slot: 'lunch', mode: 'dine_in', priceFen: 1500, subsidyFen: 500, verifiedBy: 'card' },
  }));
  const relayed = await measure(() => relayEvents(events, now));
  add('platform link: relay (ledger + queue), per event in a batch of 90', relayed.units, 'one transaction: feed head, 90 events (and their feed index entries), the day\'s counts', 90);
  // As SQS hands them to the deliverer: batches of 10 messages (here 10 entities each), whose
  // POSTs overlap; each batch records what it delivered in the county's delivery receipt.
  const { deliverBatch } = await import('../functions/platform/jobs/deliver.js');
  const messages = queue.receive(1000);
  const delivered = await measure(async () => {
    for (let i = 0; i < messages.length; i += 10) await deliverBatch({ Records: messages.slice(i, i + 10) }, undefined, async () => undefined);
  });
  add('platform link: deliver, per event in batches of 10', delivered.units, 'read event + entity block (BatchGet); one delivery-receipt UpdateItem per batch (under 1 KB, no index); nothing written on the event', 90);
  // The alternative not taken: the ledger learning of each delivery on the event's own item.
  const { recordDelivery } = await import('../functions/platform/store.js');
  const perEvent = await measure(async () => {
    for (const e of events) await recordDelivery(e.id, { status: 'delivered', attempts: 1, deliveredAt: now.toISOString() });
  });
  add('(not chosen) mark each delivered event on its own item', perEvent.units, 'UpdateItem on the event (no index write: the feed leaves delivery state out); 1 KB or less', 90);

  // ---- beds: the write units of bed changes, and the occupancy read at 1,000 and 50,000 beds
  const { createInstitution, addBeds } = await import('../functions/beds/institutions.js');
  const { admit, discharge, transfer } = await import('../functions/beds/residents.js');
  const { readOccupancy } = await import('../functions/beds/occupancy.js');
  const bedCounty = '411328';
  const bedStaff = { sub: 'bench', role: 'staff' as const, county: bedCounty };
  for (let t = 0; t < 16; t++) await putTownship(bedStaff, `${bedCounty}${100 + t}`, { name: `乡镇${t}`, elderlyPopulation: 7000 }, now);
  const insts: { id: string; township: string }[] = [];
  for (let k = 0; k < 69; k++) insts.push(await createInstitution(bedStaff, { name: `机构${k}`, township: `${bedCounty}${100 + (k % 16)}`, kind: 'private' }, now));
  let totalBeds = 0;
  const growTo = async (target: number) => {
    // Spread beds over the 69 institutions, 95 per transaction, until the county has `target`.
    let k = 0;
    while (totalBeds < target) {
      const inst = insts[k++ % insts.length]!;
      const n = Math.min(95, target - totalBeds);
      await addBeds(bedStaff, inst.id, { beds: Array.from({ length: n }, (_, j) => ({ label: `B${totalBeds + j}`, careType: j % 10 < 7 ? ('nursing' as const) : ('ordinary' as const), tags: [] })) }, now);
      totalBeds += n;
    }
  };
  await growTo(1000);
  const small = await measure(() => readOccupancy(bedStaff, {}));
  add('occupancy read, county of 1,000 beds', small.units, `one Query of the counters (${insts.length} institutions, 16 townships) + township populations`);
  const benchElders: string[] = [];
  for (let i = 0; i < 3; i++) benchElders.push((await registerElder(bedStaff, { idNumber: demoIdNumber(new Date(Date.UTC(1941, 2, 3 + i)), 300 + i, true), name: '住养', township: `${bedCounty}100`, categories: [], dietaryNeeds: [] }, now)).id);
  const home = insts[0]!;
  const { listBeds } = await import('../functions/beds/institutions.js');
  const homeBeds = await listBeds(bedStaff, home.id);
  const adm = await measure(() => admit(bedStaff, home.id, { bedId: homeBeds[0]!.id, elderId: benchElders[0]!, admittedAt: now.toISOString() }, now));
  add('admit an elder', adm.units, 'bed + residence guard + 3 counters + log entry, one transaction');
  const tr = await measure(() => transfer(bedStaff, home.id, { elderId: benchElders[0]!, toBedId: homeBeds[1]!.id }, now));
  add('transfer to another bed', tr.units, 'two beds + residence + counters that move + log, one transaction');
  const dis = await measure(() => discharge(bedStaff, home.id, { elderId: benchElders[0]!, dischargedAt: now.toISOString(), reason: 'bench' }, now));
  add('discharge', dis.units, 'bed + residence delete + 3 counters + log, one transaction');
  // The waiting list (issue 16): an application's writes, and the queue read at this size.
  const waiting = await import('../functions/beds/applications.js');
  const offers = await import('../functions/beds/offers.js');
  // A public home with one nursing bed: the waiting list offers its beds. The first application
  // is filed before the policy, so no offer is made with it and the offer is measured alone.
  const publicHome = await createInstitution(bedStaff, { name: '城关镇敬老院', township: `${bedCounty}100`, kind: 'welfare_home' }, now);
  const [heldBed] = await addBeds(bedStaff, publicHome.id, { beds: [{ label: '1', careType: 'nursing', tags: [] }] }, now);
  const offeredApp = await waiting.fileApplication(bedStaff, { elderId: benchElders[2]!, careType: 'nursing', tags: [], institutionIds: [publicHome.id] }, now);
  await waiting.putAdmissionPolicy(bedStaff, { effectiveFrom: '2020-01-01', classes: [{ name: '特困供养', match: { categories: ['tekun'] } }], offerHoldDays: 3, declinesBeforeRequeue: 2 }, now);
  const made = await measure(() => offers.fillVacancies(bedCounty, now, [publicHome.id]));
  if (made.value.length !== 1 || made.value[0]!.applicationId !== offeredApp.id) throw new Error('bench: the public bed was not offered to the application');
  add('offer a vacant public bed to the next application', made.units, 'institution counters + its beds + its queue read; bed held + application and its 2 queue entries + offer + open marker + 3 counters + log, one transaction');
  const accepted = await measure(() => offers.acceptOffer(bedStaff, made.value[0]!.id, { admittedAt: now.toISOString() }, new Date(now.getTime() + 1000)));
  if (accepted.value.bedId !== heldBed!.id) throw new Error('bench: the acceptance did not admit into the held bed');
  add('accept an offer (the admission)', accepted.units, 'offer, bed, application, elder reads; offer + bed + residence guard + application + its guard + 2 entries deleted + marker + 3 counters + log, one transaction');
  const filed = await measure(() => waiting.fileApplication(bedStaff, { elderId: benchElders[1]!, careType: 'nursing', tags: [] }, now));
  add('file a care-bed application', filed.units, 'elder read; guard + application + queue entry, one transaction; then the policy and the county queue read for its position');
  const queueRead = await measure(() => waiting.listQueue(bedStaff, {}, { limit: 50 }, now));
  add('waiting list read, county of 1 open application', queueRead.units, 'policy + one Query of the county\'s queue entries (grows with the open applications: about 0.5 KB each)');
  const withdrawn = await measure(() => waiting.withdrawApplication(bedStaff, filed.value.id, now));
  add('withdraw a care-bed application', withdrawn.units, 'application read; application + queue entry delete + guard, one transaction');
  if (!opts.quick) {
    // 49,000 more beds through the use case would take DynamoDB Local over ten minutes, and this
    // row measures a read: bulk-load bed items with BatchWriteItem and move the counters to match.
    const { BatchWriteCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db } = await import('../functions/lib/dynamo.js');
    const { bedIdOf, counterKeys } = await import('../functions/beds/store.js');
    const bedsTable = process.env.BEDS_TABLE!;
    const perInst = new Map<string, number>();
    const writes: Record<string, unknown>[] = [];
    for (let b = totalBeds; b < 50_000; b++) {
      const inst = insts[b % insts.length]!;
      perInst.set(inst.id, (perInst.get(inst.id) ?? 0) + 1);
      writes.push({ pk: `INST#${inst.id}`, sk: `BED#L${b}`, id: bedIdOf(inst.id, `L${b}`), institutionId: inst.id, county: bedCounty, township: inst.township, label: `L${b}`, careType: 'ordinary', tags: [], status: 'vacant', updatedAt: now.toISOString() });
    }
    for (let i = 0; i < writes.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [bedsTable]: writes.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await db().send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
    }
    for (const inst of insts) {
      const n = perInst.get(inst.id) ?? 0;
      for (const key of counterKeys({ id: inst.id, county: bedCounty, township: inst.township })) {
        await db().send(new UpdateCommand({ TableName: bedsTable, Key: key, UpdateExpression: 'ADD beds :n, vacant :n', ExpressionAttributeValues: { ':n': n } }));
      }
    }
    totalBeds = 50_000;
    const big = await measure(() => readOccupancy(bedStaff, {}));
    add('occupancy read, county of 50,000 beds', big.units, 'the same Query: counters do not grow with beds');

    // One institution's queue at 10 and at 10,000 open applications in the county: the others
    // name other institutions (bulk-loaded as the filing writes them: application, county pool
    // entry, scope entry), so they are not in its queue and must cost its read nothing.
    const { queueKeys } = await import('../functions/beds/applications-store.js');
    const other = insts[1]!;
    const fake = (k: number) => ({ id: `app_bench${String(k).padStart(6, '0')}`, elderId: `elder_bench${k}`, county: bedCounty, elderTownship: `${bedCounty}100`, status: 'waiting', careType: 'nursing', tags: [], institutionIds: [other.id], categoriesAtFiling: [], birthDate: '1940-01-01', appliedAt: now.toISOString(), declinedAt: [], filedBy: 'bench' });
    const load = async (from: number, to: number) => {
      const items: Record<string, unknown>[] = [];
      for (let k = from; k < to; k++) {
        const a = fake(k);
        items.push({ pk: `APP#${a.id}`, sk: 'APP', ...a }, ...queueKeys(a).map((key) => ({ ...key, ...a })));
      }
      for (let i = 0; i < items.length; i += 25) {
        let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [bedsTable]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length) request = (await db().send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
      }
    };
    // The public home's queue: two applications of its own.
    for (const elderId of [benchElders[0]!, benchElders[1]!]) await waiting.fileApplication(bedStaff, { elderId, careType: 'nursing', tags: [], institutionIds: [publicHome.id] }, now).catch(() => undefined);
    await load(0, 8);
    const ten = await measure(() => waiting.listQueue(bedStaff, { institutionId: publicHome.id }, { limit: 50 }, now));
    add('one institution\'s queue, county of 10 open applications', ten.units, `policy + its 3 scope Queries (${ten.value.items.length} of its own)`);
    await load(8, 9_998);
    const tenThousand = await measure(() => waiting.listQueue(bedStaff, { institutionId: publicHome.id }, { limit: 50 }, now));
    add('one institution\'s queue, county of 10,000 open applications', tenThousand.units, `the same 3 Queries: the other 9,990 are not in them (${tenThousand.value.items.length} of its own)`);
    const pooled = await measure(() => waiting.listQueue(bedStaff, {}, { limit: 50 }, now));
    add('the county\'s pooled queue, 10,000 open applications', pooled.units, 'one Query of the county pool: every open application (the pooled list is the whole county)');
  }

  meter.stop();
  return rows;
}
