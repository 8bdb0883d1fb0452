import { describe, expect, it } from 'vitest';
import { estimate } from '../../web/src/counter/estimate.js';
import type { OutboxStore } from '../../web/src/counter/outbox.js';
import { MAX_BATCH, nextBatch, type OutboxEntry, type ServingRecordBody, type ServingResult, type Settlement, settle, todaysTotals } from '../../web/src/counter/outbox-logic.js';
import { inferSlot } from '../../web/src/counter/slot.js';
import { uploadWaiting } from '../../web/src/counter/uploader.js';

const SITE = 'site_1';
const id = (n: number) => `01JCOUNTER${String(n).padStart(16, '0')}`;
const entry = (n: number, over: Partial<OutboxEntry> = {}): OutboxEntry => ({
  clientRecordId: id(n),
  siteId: SITE,
  date: '2026-12-01',
  record: { clientRecordId: id(n), cardNo: `SQ${n}`, servedAt: '2026-12-01T03:30:00.000Z', slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' },
  state: 'waiting',
  label: `SQ${n}`,
  identity: `card:SQ${n}`,
  estimate: { priceFen: 1500, subsidyFen: 500, payFen: 1000, basis: 'age' },
  ...over,
});
const accepted = (n: number, subsidyFen = 500): ServingResult => ({ clientRecordId: id(n), status: 'accepted', servingId: `srv_${n}`, priceFen: 1500, subsidyFen, payFen: 1500 - subsidyFen });

/** The outbox in memory, applying answers as the IndexedDB one does. */
class MemoryOutbox implements OutboxStore {
  readonly map = new Map<string, OutboxEntry>();
  constructor(entries: OutboxEntry[]) {
    for (const e of entries) this.map.set(e.clientRecordId, e);
  }
  async entries(siteId: string) {
    return [...this.map.values()].filter((e) => e.siteId === siteId);
  }
  async apply(s: Settlement) {
    for (const d of s.done) this.map.delete(d.clientRecordId);
    for (const r of s.rejected) this.map.set(r.clientRecordId, { ...this.map.get(r.clientRecordId)!, state: 'rejected', error: r.error });
  }
}
const noLock = <T>(_name: string, task: () => Promise<T>) => task();

describe('the counter outbox: batches', () => {
  it('takes at most 200 waiting records of the site, oldest clientRecordId first', () => {
    const entries = [...Array.from({ length: 450 }, (_, i) => entry(450 - i)), entry(9999, { siteId: 'other' }), entry(0, { state: 'rejected' })];
    const b = nextBatch(entries, SITE);
    expect(b).toHaveLength(MAX_BATCH);
    expect(b[0]!.clientRecordId).toBe(id(1));
    expect(b.at(-1)!.clientRecordId).toBe(id(200));
    expect(b.every((e) => e.siteId === SITE && e.state === 'waiting')).toBe(true);
    // A smaller limit is honoured; a larger one is capped at the API's 200.
    expect(nextBatch(entries, SITE, 10)).toHaveLength(10);
    expect(nextBatch(entries, SITE, 1000)).toHaveLength(200);
  });
});

describe('the counter outbox: per-record results', () => {
  it('accepted and duplicate leave with the server\'s figures; rejected stay with the code; unanswered stay waiting', () => {
    const batch = [entry(1), entry(2), entry(3), entry(4), entry(5)];
    const s = settle(batch, [
      accepted(1, 0),
      { clientRecordId: id(2), status: 'duplicate', servingId: 'srv_2', priceFen: 1500, subsidyFen: 500, payFen: 1000 },
      { clientRecordId: id(3), status: 'rejected', error: { code: 'ELDER_NOT_FOUND', message: 'no elder' } },
      // accepted without a servingId is not proof of storage: sent again
      { clientRecordId: id(4), status: 'accepted' },
      { clientRecordId: 'not-sent', status: 'accepted', servingId: 'srv_x' },
    ]);
    expect(s.done).toEqual([
      { clientRecordId: id(1), servingId: 'srv_1', status: 'accepted', figures: { priceFen: 1500, subsidyFen: 0, payFen: 1500 } },
      { clientRecordId: id(2), servingId: 'srv_2', status: 'duplicate', figures: { priceFen: 1500, subsidyFen: 500, payFen: 1000 } },
    ]);
    expect(s.rejected).toEqual([{ clientRecordId: id(3), error: { code: 'ELDER_NOT_FOUND', message: 'no elder' } }]);
    expect(s.unanswered).toEqual([id(4), id(5)]);
  });

  it('uploads 450 waiting records in three requests of at most 200, and leaves only the rejected one', async () => {
    const store = new MemoryOutbox(Array.from({ length: 450 }, (_, i) => entry(i + 1)));
    const sizes: number[] = [];
    const out = await uploadWaiting({
      store, siteId: SITE, withLock: noLock,
      send: async (records: ServingRecordBody[]) => {
        sizes.push(records.length);
        return records.map((r) => (r.cardNo === 'SQ7' ? { clientRecordId: r.clientRecordId, status: 'rejected' as const, error: { code: 'ELDER_NOT_FOUND', message: 'x' } } : accepted(Number(r.cardNo!.slice(2)))));
      },
    });
    expect(sizes).toEqual([200, 200, 50]);
    expect(out).toEqual({ ran: true, requests: 3, done: 449, rejected: 1 });
    expect([...store.map.values()].map((e) => [e.clientRecordId, e.state])).toEqual([[id(7), 'rejected']]);
  });

  it('an upload cut off after the server stored the records sends the same clientRecordIds again; the duplicates then leave', async () => {
    const store = new MemoryOutbox([entry(1), entry(2)]);
    const server = new Map<string, string>();
    const seen: string[][] = [];
    const send = (cut: boolean) => async (records: ServingRecordBody[]) => {
      seen.push(records.map((r) => r.clientRecordId));
      const results = records.map((r): ServingResult => {
        const first = server.get(r.clientRecordId);
        if (first) return { clientRecordId: r.clientRecordId, status: 'duplicate', servingId: first, priceFen: 1500, subsidyFen: 500, payFen: 1000 };
        server.set(r.clientRecordId, `srv_${r.clientRecordId}`);
        return { clientRecordId: r.clientRecordId, status: 'accepted', servingId: `srv_${r.clientRecordId}`, priceFen: 1500, subsidyFen: 500, payFen: 1000 };
      });
      if (cut) throw new Error('connection reset');
      return results;
    };
    await expect(uploadWaiting({ store, siteId: SITE, withLock: noLock, send: send(true) })).rejects.toThrow();
    expect(store.map.size).toBe(2);
    const out = await uploadWaiting({ store, siteId: SITE, withLock: noLock, send: send(false) });
    expect(seen).toEqual([[id(1), id(2)], [id(1), id(2)]]);
    expect(out.done).toBe(2);
    expect(store.map.size).toBe(0);
    expect(server.size).toBe(2);
  });

  it('skips when another tab holds the lock, sending nothing', async () => {
    const store = new MemoryOutbox([entry(1)]);
    let sent = 0;
    const out = await uploadWaiting({ store, siteId: SITE, withLock: async () => undefined, send: async () => { sent++; return []; } });
    expect(out.ran).toBe(false);
    expect(sent).toBe(0);
    expect(store.map.size).toBe(1);
  });
});

describe('today\'s totals', () => {
  it('server servings (voided ones not counted) plus waiting records at their estimates, none twice', () => {
    const server = [
      { clientRecordId: id(1), status: 'recorded', subsidyFen: 500, payFen: 1000 },
      { clientRecordId: id(2), status: 'voided', subsidyFen: 500, payFen: 1000 },
    ];
    const waiting = [entry(1), entry(3), entry(4, { estimate: { priceFen: 1500, basis: 'unknown' } }), entry(5, { state: 'rejected' })];
    expect(todaysTotals(server, waiting)).toEqual({ meals: 3, subsidyFen: 1000, payFen: 3500, waiting: 2 });
  });
});

describe('slot from the clock (China Standard Time), as the server infers it', () => {
  const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00+08:00`);
  it('follows the server\'s boundaries: breakfast before 10:30, lunch before 15:30, then dinner', () => {
    const all = ['breakfast', 'lunch', 'dinner'] as const;
    expect(inferSlot(at('07:00'), all)).toBe('breakfast');
    expect(inferSlot(at('10:29'), all)).toBe('breakfast');
    expect(inferSlot(at('10:30'), all)).toBe('lunch');
    expect(inferSlot(at('15:29'), all)).toBe('lunch');
    expect(inferSlot(at('15:30'), all)).toBe('dinner');
    // Whatever the device's zone: the instant decides.
    expect(inferSlot(new Date('2026-12-01T03:30:00Z'), all)).toBe('lunch');
  });
  it('takes the nearest slot the site serves: the next one, else the last before', () => {
    expect(inferSlot(at('09:00'), ['lunch'])).toBe('lunch');
    expect(inferSlot(at('18:00'), ['breakfast', 'lunch'])).toBe('lunch');
    expect(inferSlot(at('12:00'), ['breakfast', 'dinner'])).toBe('dinner');
    expect(inferSlot(at('12:00'), [])).toBe('lunch');
  });
});

describe('the offline estimate (预计)', () => {
  const policy = { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 300 }, { match: { categories: ['dibao'] }, subsidyFen: 800 }] };
  it('a second meal in the slot is full price; a booking gives its own figures; age alone the age rules; nothing known: price only', () => {
    expect(estimate({ priceFen: 1500, mode: 'dine_in', policy, age: 70, repeat: true })).toEqual({ priceFen: 1500, subsidyFen: 0, payFen: 1500, basis: 'repeat' });
    expect(estimate({ priceFen: 1500, mode: 'dine_in', policy, booking: { slot: 'lunch', mode: 'dine_in', priceFen: 1400, subsidyFen: 800 }, repeat: false })).toEqual({ priceFen: 1400, subsidyFen: 800, payFen: 600, basis: 'booking' });
    expect(estimate({ priceFen: 1500, mode: 'dine_in', policy, age: 70, repeat: false })).toEqual({ priceFen: 1500, subsidyFen: 300, payFen: 1200, basis: 'age' });
    expect(estimate({ priceFen: 1500, mode: 'dine_in', policy, age: 50, repeat: false })).toEqual({ priceFen: 1500, subsidyFen: 0, payFen: 1500, basis: 'age' });
    expect(estimate({ priceFen: 1500, mode: 'dine_in', policy, repeat: false })).toEqual({ priceFen: 1500, basis: 'unknown' });
  });
});
