import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { backoffSeconds, countsByDay } from '../../functions/platform/domain/ledger.js';
import { messageGroupOf } from '../../functions/platform/queue.js';
import { eventOf } from '../../functions/platform/stream-events.js';
import { LocalFifoQueue } from '../../scripts/local/fifo-queue.js';

const policy = { maxAttempts: 10, baseSeconds: 30, capSeconds: 3600 };

describe('retry back-off', () => {
  it('stays within the exponential ceiling and the cap, never zero', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
      const s = backoffSeconds(attempt, policy, () => r);
      expect(s).toBeGreaterThanOrEqual(3);
      expect(s).toBeLessThanOrEqual(Math.min(3600, 30 * 2 ** (attempt - 1)));
    }));
  });

  it('spreads retries (jitter) and lets them grow with the attempt', () => {
    const samples = (attempt: number) => Array.from({ length: 200 }, () => backoffSeconds(attempt, policy));
    const first = samples(1);
    const fifth = samples(5);
    expect(new Set(first.map((s) => Math.round(s))).size).toBeGreaterThan(10);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(fifth)).toBeGreaterThan(mean(first) * 4);
  });
});

describe('events from stream records', () => {
  const image = (id?: string) => ({ pk: { S: 'ELDER#e1' }, sk: { S: 'PROFILE' }, ...(id && { evt: { M: { id: { S: id }, type: { S: 'elder.updated' }, occurredAt: { S: '2026-11-24T02:00:00.000Z' }, county: { S: '411327' }, entity: { S: 'elder:e1' }, data: { M: { elderId: { S: 'e1' }, changed: { L: [{ S: 'capabilityLevel' }] } } } } } }) });
  const record = (name: 'INSERT' | 'MODIFY' | 'REMOVE', next?: string | null, old?: string | null): DynamoDBRecord => ({
    eventName: name,
    dynamodb: { ...(next !== null && { NewImage: image(next ?? undefined) as never }), ...(old !== null && { OldImage: image(old ?? undefined) as never }), SequenceNumber: '1' },
  });

  it('takes an event when the change set a new one', () => {
    expect(eventOf(record('INSERT', 'a', null))).toMatchObject({ id: 'a', type: 'elder.updated', county: '411327', entity: 'elder:e1', data: { changed: ['capabilityLevel'] } });
    expect(eventOf(record('MODIFY', 'b', 'a'))?.id).toBe('b');
  });

  it('ignores a write that left the event as it was (a counter, a guard), an item without one, and a removal', () => {
    expect(eventOf(record('MODIFY', 'a', 'a'))).toBeUndefined();
    expect(eventOf(record('INSERT', undefined, null))).toBeUndefined();
    expect(eventOf(record('REMOVE', null, 'a'))).toBeUndefined();
  });

  it('counts per China Standard Time day: 17:00 UTC is the next day in the county', () => {
    const e = (type: 'serving.recorded' | 'booking.created', at: string) => ({ id: at, type, occurredAt: at, county: '411327', entity: 'x', data: {} });
    const counts = countsByDay([e('serving.recorded', '2026-11-24T15:59:00Z'), e('serving.recorded', '2026-11-24T16:00:00Z'), e('booking.created', '2026-11-24T17:00:00Z')]);
    expect(Object.fromEntries([...counts].map(([d, m]) => [d, Object.fromEntries(m)]))).toEqual({ '2026-11-24': { 'serving.recorded': 1 }, '2026-11-25': { 'serving.recorded': 1, 'booking.created': 1 } });
  });
});

describe('message groups', () => {
  it('keep short entities readable and hash long or unusual ones into 128 characters', () => {
    expect(messageGroupOf('411327', 'elder:eld_01abc')).toBe('411327:elder:eld_01abc');
    const long = messageGroupOf('411327', `bed:bed_${'x'.repeat(200)}`);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).toBe(messageGroupOf('411327', `bed:bed_${'x'.repeat(200)}`));
    expect(messageGroupOf('411327', 'bed:床位1')).not.toContain('床');
  });
});

describe('the local FIFO queue behaves as SQS FIFO does for delivery', () => {
  const msg = (entity: string, id: string) => ({ message: { eventId: id, county: '411327', entity }, dedupId: id });
  const ids = (records: { body: string }[]) => records.map((r) => (JSON.parse(r.body) as { eventId: string }).eventId);

  it('hands out a group in order, holds it while one of its messages is in flight, and drops a repeated deduplication id', async () => {
    const q = new LocalFifoQueue({ visibilityTimeoutSeconds: 30, maxReceiveCount: 5 });
    await q.send([msg('a', 'a1'), msg('b', 'b1'), msg('a', 'a2'), msg('a', 'a1')]);
    expect(q.depth).toBe(3);
    const first = q.receive(10);
    expect(ids(first)).toEqual(['a1', 'b1', 'a2']);
    expect(q.receive(10)).toEqual([]);
    // a1 fails and is hidden for a moment; a2 (received with it) must not overtake it.
    q.delete(first[1]!.receiptHandle);
    await q.retryLater([{ receiptHandle: first[0]!.receiptHandle, seconds: 0 }]);
    expect(q.receive(10)).toEqual([]); // a2 is still in flight
    await q.retryLater([{ receiptHandle: first[2]!.receiptHandle, seconds: 0 }]);
    const again = q.receive(10);
    expect(ids(again)).toEqual(['a1', 'a2']);
    expect(again[0]!.attributes.ApproximateReceiveCount).toBe('2');
  });

  it('moves a message received more than maxReceiveCount times to its dead-letter queue', async () => {
    const q = new LocalFifoQueue({ visibilityTimeoutSeconds: 0, maxReceiveCount: 2 });
    await q.send([msg('a', 'a1'), msg('a', 'a2')]);
    for (let i = 0; i < 2; i++) expect(ids(q.receive(1, Date.now() + i * 10))).toEqual(['a1']);
    expect(ids(q.receive(1, Date.now() + 100))).toEqual(['a2']);
    expect(q.deadLetters.map((m) => JSON.parse(m.body).eventId)).toEqual(['a1']);
  });

  it('with a journal file, keeps across a restart what SQS keeps: order, what is in flight, receive counts, deduplication, dead letters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fifo-'));
    const journalFile = join(dir, 'queue.jsonl');
    try {
      const opts = { visibilityTimeoutSeconds: 30, maxReceiveCount: 1, journalFile };
      const q = new LocalFifoQueue(opts);
      await q.send([msg('d', 'd1')]);
      const d = q.receive(1);
      await q.retryLater([{ receiptHandle: d[0]!.receiptHandle, seconds: 0 }]);
      expect(q.receive(1, Date.now() + 1)).toEqual([]); // received once already: to the dead-letter queue
      expect(q.deadLetters.map((m) => JSON.parse(m.body).eventId)).toEqual(['d1']);
      await q.send([msg('a', 'a1'), msg('b', 'b1'), msg('a', 'a2'), msg('c', 'c1')]);
      const got = q.receive(2); // a1 and b1 in flight
      q.delete(got[1]!.receiptHandle); // b1 done
      await q.retryLater([{ receiptHandle: got[0]!.receiptHandle, seconds: 60 }]); // a1 refused, back in a minute
      // The process stops here (nothing is closed or flushed); a new one reads the file.
      writeFileSync(journalFile, '{"t":"del","id":"cut sh', { flag: 'a' }); // a crash in mid-line
      const after = new LocalFifoQueue(opts);
      expect(after.pendingEventIds()).toEqual(['a1', 'a2', 'c1']);
      expect(after.deadLetters.map((m) => JSON.parse(m.body).eventId)).toEqual(['d1']);
      expect(ids(after.receive(10))).toEqual(['c1']); // a1 is hidden for its back-off, a2 waits behind it
      // Restarted again a minute later: a1's back-off is over, and c1, received but never deleted
      // (its consumer died), is visible again after its visibility timeout.
      const later = new LocalFifoQueue({ ...opts, maxReceiveCount: 5 }).receive(10, Date.now() + 61_000);
      expect(ids(later)).toEqual(['a1', 'a2', 'c1']);
      expect(later[0]!.attributes.ApproximateReceiveCount).toBe('2');
      // Deduplication ids are remembered for their 5 minutes, even of deleted messages.
      await after.send([msg('b', 'b1'), msg('e', 'e1')]);
      expect(after.pendingEventIds()).toEqual(['a1', 'a2', 'c1', 'e1']);
      // The file is compacted on load: one line per message held, dead letter and recent id.
      expect(readFileSync(journalFile, 'utf8').split('\n').filter(Boolean).length).toBeLessThan(15);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
