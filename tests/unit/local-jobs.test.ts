import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DynamoDBRecord } from 'aws-lambda';
import { jobNames, jobs, matchesRecordFilter, type JobName } from '#shared/jobs.js';
import { localTableNames } from '../../scripts/local/tables.js';

// The local event sources are replaced by recorders: this walks the job list and checks that
// each job gets its stand-in, with its own tables, filter and batch size, and nothing else.
const streamReaders = vi.fn((_opts: unknown) => ({ stop: async () => undefined }));
const queuePollers = vi.fn((_queue: unknown, _handler: unknown, _opts: unknown) => ({ stop: async () => undefined }));
vi.mock('../../scripts/local/streams.js', () => ({ startStreamReaders: (opts: unknown) => streamReaders(opts) }));
vi.mock('../../scripts/local/fifo-queue.js', () => ({ startQueuePoller: (q: unknown, h: unknown, o: unknown) => queuePollers(q, h, o) }));
const { localWiring, startEventJobs, jobHandler } = await import('../../scripts/local/jobs.js');

/** A stream record as Lambda gives it (and the local readers make it). */
const record = (eventName: string, keys: Record<string, string>, image?: Record<string, unknown>): DynamoDBRecord => ({
  eventName: eventName as DynamoDBRecord['eventName'],
  dynamodb: { Keys: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, { S: v }])), ...(image && { NewImage: image as never }) },
});
const withEvent = record('MODIFY', { pk: 'ELDER#e1', sk: 'PROFILE' }, { pk: { S: 'ELDER#e1' }, evt: { M: { id: { S: 'evt_1' }, county: { S: '411327' } } } });
const counter = record('MODIFY', { pk: 'COUNTERS#411327', sk: 'inst_1' }, { pk: { S: 'COUNTERS#411327' }, booked: { N: '3' } });
const jobInsert = record('INSERT', { pk: 'REPORT#rpt_1', sk: 'REPORTJOB' }, { pk: { S: 'REPORT#rpt_1' }, sk: { S: 'REPORTJOB' }, status: { S: 'running' } });
const jobDone = record('MODIFY', { pk: 'REPORT#rpt_1', sk: 'REPORTJOB' }, { pk: { S: 'REPORT#rpt_1' }, sk: { S: 'REPORTJOB' }, status: { S: 'done' } });
const resultPart = record('INSERT', { pk: 'REPORT#rpt_1', sk: 'PART#run#000' });

afterEach(() => {
  streamReaders.mockClear();
  queuePollers.mockClear();
});

describe('the local wiring of shared/jobs.ts', () => {
  it('has one stand-in per job of the list, of the kind its trigger says', () => {
    const wiring = localWiring();
    expect(wiring.map((w) => w.job)).toEqual(jobNames);
    const kindOf = { schedule: 'timer', stream: 'stream', queue: 'queue' } as const;
    for (const w of wiring) expect(w.kind, w.job).toBe(kindOf[jobs[w.job].trigger.kind]);
  });

  it('gives each job a handler to call: its entry under functions/ exports one', async () => {
    for (const name of jobNames) expect(await jobHandler(name), name).toBeTypeOf('function');
  });

  it('starts stream readers on each stream job\'s own tables with its batch size, and a poller per queue job', async () => {
    const names = localTableNames('t-');
    const queue = {} as never;
    const started = await startEventJobs({ dynamoEndpoint: 'http://local', tableNames: names, queue, onError: () => undefined });
    const streamJobs = jobNames.filter((n) => jobs[n].trigger.kind === 'stream');
    const queueJobs = jobNames.filter((n) => jobs[n].trigger.kind === 'queue');
    expect(streamJobs.length).toBeGreaterThan(0);
    expect(queueJobs.length).toBeGreaterThan(0);
    expect(streamReaders).toHaveBeenCalledTimes(streamJobs.length);
    expect(queuePollers).toHaveBeenCalledTimes(queueJobs.length);
    streamJobs.forEach((name, i) => {
      const t = jobs[name].trigger as { tables: readonly (keyof typeof names)[]; batchSize: number };
      expect(streamReaders.mock.calls[i]![0], name).toMatchObject({ tableNames: t.tables.map((x) => names[x]), batchSize: t.batchSize });
    });
    for (const call of queuePollers.mock.calls) expect(call[0]).toBe(queue);
    await started.stop();
  });

  it('hands each stream job only the records its filter (the one the stack deploys) passes', async () => {
    await startEventJobs({ dynamoEndpoint: 'http://local', tableNames: localTableNames(), queue: {} as never, onError: () => undefined });
    const streamJobs = jobNames.filter((n) => jobs[n].trigger.kind === 'stream');
    const filters = new Map<JobName, (r: DynamoDBRecord) => boolean>(streamJobs.map((name, i) => [name, (streamReaders.mock.calls[i]![0] as { filter: (r: DynamoDBRecord) => boolean }).filter]));
    const relay = filters.get('platformRelay')!;
    expect([withEvent, counter, jobInsert].map(relay)).toEqual([true, false, false]);
    const worker = filters.get('reportWorker')!;
    expect([jobInsert, jobDone, resultPart, withEvent].map(worker)).toEqual([true, false, false, false]);
  });

  it('narrows a job further with alsoFilter, never widening its own filter', async () => {
    await startEventJobs({ dynamoEndpoint: 'http://local', tableNames: localTableNames(), queue: {} as never, alsoFilter: (job) => job !== 'platformRelay', onError: () => undefined });
    const calls = streamReaders.mock.calls.map((c) => c[0] as { filter: (r: DynamoDBRecord) => boolean });
    const streamJobs = jobNames.filter((n) => jobs[n].trigger.kind === 'stream');
    expect(calls[streamJobs.indexOf('platformRelay')]!.filter(withEvent)).toBe(false);
    expect(calls[streamJobs.indexOf('reportWorker')]!.filter(jobInsert)).toBe(true);
    expect(calls[streamJobs.indexOf('reportWorker')]!.filter(counter)).toBe(false);
  });
});

describe('matchesRecordFilter (the subset of Lambda event filter patterns the job list uses)', () => {
  it('matches listed strings, presence and absence, at any depth, and fails on a missing branch', () => {
    expect(matchesRecordFilter({ eventName: ['INSERT', 'MODIFY'] }, { eventName: 'MODIFY' })).toBe(true);
    expect(matchesRecordFilter({ eventName: ['INSERT'] }, { eventName: 'REMOVE' })).toBe(false);
    expect(matchesRecordFilter({ a: { b: [{ exists: true }] } }, { a: { b: 0 } })).toBe(true);
    expect(matchesRecordFilter({ a: { b: [{ exists: true }] } }, { a: {} })).toBe(false);
    expect(matchesRecordFilter({ a: { b: [{ exists: false }] } }, { a: {} })).toBe(true);
    expect(matchesRecordFilter({ a: { b: [{ exists: false }] } }, {})).toBe(true);
    expect(matchesRecordFilter({ a: { b: ['x'] } }, { a: 'x' })).toBe(false);
    expect(matchesRecordFilter({ a: ['x'], c: ['y'] }, { a: 'x', c: 'z' })).toBe(false);
  });
});
