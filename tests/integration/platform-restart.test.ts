import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformRetryEnvironment } from '../../shared/platform-retry.js';
import { startPlatformReceiver, type PlatformReceiver, type ReceivedEvent, type ReceiverMode } from '../../scripts/local/platform-receiver.js';
import type { PlatformLink } from '../../scripts/local/platform-link.js';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import { localTableNames } from '../../scripts/local/tables.js';
import { api, countyFixture, token, uniqueCounty } from '../support/api.js';
import { siteBody } from '../support/meals.js';
import { useLocalEnv } from '../support/env.js';

/**
 * The story: `npm start` stopped (Ctrl-C) while events wait for delivery, then started
 * again. The local platform link runs here in-process, with its pieces as `npm start` builds them
 * (stream readers and their positions file, the relay, the FIFO queue and its journal, the
 * deliverer, a reference receiver), stopped and started again over the same files; the API and
 * DynamoDB Local are the test run's. Every event must arrive exactly once, each entity's in order,
 * none parked, and the ledger must say each was delivered.
 */
let store: typeof import('../../functions/platform/store.js');
let ledger: typeof import('../../functions/platform/domain/ledger.js');
let startPlatformLink: typeof import('../../scripts/local/platform-link.js').startPlatformLink;
const dirs: string[] = [];
const receivers: PlatformReceiver[] = [];

beforeAll(async () => {
  useLocalEnv();
  // Quick retries, and never parked here: the platform is down for a while, not for good.
  Object.assign(process.env, platformRetryEnvironment({ baseSeconds: 0.1, capSeconds: 0.3, maxAttempts: 1000 }));
  store = await import('../../functions/platform/store.js');
  ledger = await import('../../functions/platform/domain/ledger.js');
  ({ startPlatformLink } = await import('../../scripts/local/platform-link.js'));
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Received { events: ReceivedEvent[]; attempts: number; failed: number; duplicates: number; rejected: number }

/**
 * The platform: a reference receiver of its own, which outlives the link's stops and starts (as
 * the city's platform does), so it sees every delivery of both runs and any duplicate.
 */
async function platform(county: string, mode: ReceiverMode) {
  const receiver = await startPlatformReceiver({ port: 0, secret: localPlatformSecret(inject('localDir'), 'outbound'), modes: { [county]: mode } });
  receivers.push(receiver);
  const base = receiver.url.replace(/\/webhooks$/, '');
  return {
    receiver,
    received: async (): Promise<Received> => (await fetch(`${base}/_received?county=${county}`)).json() as Promise<Received>,
    mode: async (m: ReceiverMode) => expect((await fetch(`${base}/_mode`, { method: 'PUT', body: JSON.stringify({ county, ...m }) })).status).toBe(200),
  };
}

/** `npm start`'s platform link over the files in `dir` (what `.local/` keeps between runs). */
async function startLink(dir: string, receiver: PlatformReceiver): Promise<PlatformLink> {
  return startPlatformLink({
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableNames: localTableNames(),
    deliverySecret: localPlatformSecret(inject('localDir'), 'outbound'),
    checkpointFile: join(dir, 'stream-positions.json'),
    queueFile: join(dir, 'delivery-queue.jsonl'),
    onlyWatchedCounties: true,
    receiver,
  });
}

async function until<T>(what: string, read: () => Promise<T>, done: (t: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A county with a site, a policy and elders; `serve` records servings at the site's device. */
async function mealCounty(county: string, elders: number) {
  const fx = await countyFixture(county);
  const site = (await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township) })).body as { id: string };
  expect((await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }] } })).status).toBe(200);
  const ids: string[] = [];
  for (let i = 0; i < elders; i++) ids.push((await fx.register()).id);
  const device = await token({ role: 'site', sub: `device-${county}`, county, site: site.id });
  const serve = async (n: number, voids: number) => {
    const at = (i: number) => new Date(Date.now() - (60 + i) * 1000).toISOString();
    const r = await api('POST', `/v1/meal-sites/${site.id}/servings`, {
      token: device,
      body: { records: Array.from({ length: n }, (_, i) => ({ clientRecordId: `rec-${i}`, elderId: ids[i % ids.length]!, servedAt: at(i), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' })) },
    });
    expect(r.status).toBe(200);
    const servingIds = (r.body.results as { status: string; servingId: string }[]).map((x) => { expect(x.status).toBe('accepted'); return x.servingId; });
    // Voids give some entities two events (recorded, then voided): their order is checked.
    for (const id of servingIds.slice(0, voids)) expect((await api('POST', `/v1/servings/${id}/void`, { token: fx.staff, body: { reason: '录入错误' } })).status).toBe(200);
  };
  return { serve };
}

/** The county's ledger once it holds `voids` voided servings: every event, in feed order. */
const ledgered = (county: string, voids: number) =>
  until('the relay to ledger every event', () => store.feedAfter(county, 0, 1000), (f) => f.filter((e) => e.type === 'serving.voided').length === voids && f.every((e, i) => e.seq === i + 1));

async function ledgerStates(county: string, ids: readonly string[]) {
  const events = [...(await store.ledgeredEvents(ids)).values()];
  const receipts = await store.deliveredSeqs(county, events.map((e) => e.seq));
  return events.map((e) => ledger.deliveryState(e, receipts.has(e.seq)));
}

/** Each id once across everything received, and each entity's events in feed (sequence) order. */
function expectExactlyOnceInOrder(received: ReceivedEvent[], feed: readonly { id: string }[]) {
  expect(received.map((e) => e.id).sort()).toEqual(feed.map((e) => e.id).sort());
  const byEntity = new Map<string, number[]>();
  for (const e of received) byEntity.set(e.entity, [...(byEntity.get(e.entity) ?? []), e.sequence]);
  for (const [entity, seqs] of byEntity) expect(seqs, entity).toEqual([...seqs].sort((a, b) => a - b));
  expect([...byEntity.values()].some((s) => s.length > 1)).toBe(true);
}

describe('local delivery survives a restart of npm start', () => {
  it('receiver down, 20 servings recorded, link stopped, started again with the receiver up: every event delivered exactly once, in order', async () => {
    const county = uniqueCounty();
    const dir = mkdtempSync(join(tmpdir(), 'link-restart-'));
    dirs.push(dir);
    const city = await platform(county, { down: true });
    const first = await startLink(dir, city.receiver);
    let feed: Awaited<ReturnType<typeof ledgered>>;
    try {
      await (await mealCounty(county, 4)).serve(20, 5);
      feed = await ledgered(county, 5);
      // Each entity's first event tried and refused while the platform is down.
      const entities = new Set(feed.map((e) => e.entity)).size;
      await until('delivery attempts', city.received, (r) => r.failed >= 2 * entities);
    } finally {
      await first.close(); // what Ctrl-C does
    }
    // Nothing delivered, nothing parked: refused (retrying) or waiting behind a refused one.
    expect((await city.received()).events).toEqual([]);
    expect(new Set(await ledgerStates(county, feed.map((e) => e.id)))).toEqual(new Set(['retrying', 'not_sent']));

    await city.mode({});
    const second = await startLink(dir, city.receiver);
    try {
      const got = await until(`all ${feed.length} events`, city.received, (r) => r.events.length >= feed.length);
      await new Promise((r) => setTimeout(r, 500)); // a duplicate would show now
      const after = await city.received();
      expect(after.duplicates).toBe(0);
      expect(after.events).toHaveLength(feed.length);
      expectExactlyOnceInOrder(got.events, feed);
      expect((await store.deadLetters(county, 100)).items).toEqual([]);
      expect(await ledgerStates(county, feed.map((e) => e.id))).toEqual(feed.map(() => 'delivered'));
      expect(second.queue.depth).toBe(0);
    } finally {
      await second.close();
    }
  }, 120_000);

  it('a slow receiver, the link stopped in the middle of delivering, started again: the rest arrive, none twice, in order', async () => {
    const county = uniqueCounty();
    const dir = mkdtempSync(join(tmpdir(), 'link-restart-'));
    dirs.push(dir);
    const city = await platform(county, { delayMs: 2000 });
    const first = await startLink(dir, city.receiver);
    try {
      const meals = await mealCounty(county, 10);
      await meals.serve(100, 10);
      await until('some deliveries', city.received, (r) => r.events.length >= 15);
    } finally {
      await first.close(); // deliveries in flight finish (and are deleted) before it stops
    }
    const before = (await city.received()).events.length;
    // What the ledger holds at the stop: delivered exactly what arrived, the rest never sent.
    const atStop = await store.feedAfter(county, 0, 1000);
    const states = await ledgerStates(county, atStop.map((e) => e.id));
    expect(states.filter((s) => s === 'delivered')).toHaveLength(before);
    expect(states.filter((s) => s === 'not_sent')).toHaveLength(atStop.length - before);

    await city.mode({});
    const second = await startLink(dir, city.receiver);
    try {
      const feed = await ledgered(county, 10);
      expect(before).toBeLessThan(feed.length); // stopped in the middle
      const got = await until(`the other ${feed.length - before} events`, city.received, (r) => r.events.length >= feed.length);
      await new Promise((r) => setTimeout(r, 500));
      const after = await city.received();
      expect(after.duplicates).toBe(0);
      expect(after.events).toHaveLength(feed.length);
      expectExactlyOnceInOrder(got.events, feed);
      expect(await ledgerStates(county, feed.map((e) => e.id))).toEqual(feed.map(() => 'delivered'));
    } finally {
      await second.close();
    }
  }, 120_000);
});
