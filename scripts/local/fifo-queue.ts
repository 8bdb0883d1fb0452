import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { messageGroupOf, type DeliveryMessage, type DeliveryQueue, type OutgoingMessage } from '#functions/platform/queue.js';

/**
 * An in-process stand-in for the SQS FIFO delivery queue and its Lambda event source mapping,
 * with the behaviour delivery depends on:
 * - messages of one group are handed out in the order sent, and none of a group while one of
 *   its messages is in flight (received, neither deleted nor visible again);
 * - a deduplication id seen in the last 5 minutes is dropped;
 * - a received message stays hidden for the visibility timeout, or as long as the consumer
 *   asked (ChangeMessageVisibility), and counts its receipts (ApproximateReceiveCount);
 * - one received more than maxReceiveCount times moves to the dead-letter queue;
 * - the poller passes batches of up to 10 as an SQSEvent and deletes the messages the handler
 *   did not report in batchItemFailures;
 * - with a journal file, it survives a restart as an SQS queue survives its consumers: messages
 *   waiting, in flight (hidden until their visibility ends) or dead-lettered, in order, with
 *   their receive counts and the deduplication window. Without one it lives in memory (tests,
 *   `npm start -- --in-memory`, whose tables do not survive either).
 * There is no SQS to run locally (ElasticMQ's npm package predates FIFO queues).
 */
interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly group: string;
  readonly dedupId: string;
  readonly sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  visibleAt: number;
  receiptHandle?: string;
}

export interface LocalFifoQueueOptions {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /**
   * Keeps the queue across restarts: each change is appended to this file (one JSON line)
   * before the call returns, so a stop, Ctrl-C or a crash of the process loses nothing the queue
   * had accepted. Read back, and compacted, when the queue is made.
   */
  readonly journalFile?: string;
}

/** One line of the journal. */
type Entry =
  | { t: 'send'; id: string; body: string; group: string; dedup: string; at: number; n?: number; vis?: number; first?: number }
  | { t: 'recv'; id: string; n: number; vis: number; first: number }
  | { t: 'vis'; id: string; vis: number }
  | { t: 'del'; id: string }
  | { t: 'dlq'; id: string }
  | { t: 'dedup'; dedup: string; at: number };

const DEDUP_WINDOW_MS = 300_000;

export class LocalFifoQueue implements DeliveryQueue {
  private messages: Stored[] = [];
  private readonly dedup = new Map<string, number>();
  readonly deadLetters: Stored[] = [];
  private seq = 0;
  /** Journal lines written since the file was last compacted. */
  private written = 0;

  constructor(private readonly opts: LocalFifoQueueOptions) {
    if (opts.journalFile) this.load(opts.journalFile);
  }

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.dedup) if (now - at > DEDUP_WINDOW_MS) this.dedup.delete(id);
    const added: Stored[] = [];
    for (const m of messages) {
      if (this.dedup.has(m.dedupId)) continue;
      this.dedup.set(m.dedupId, now);
      const body = JSON.stringify(m.message);
      added.push({ messageId: randomUUID(), body, group: messageGroupOf(m.message.county, m.message.entity), dedupId: m.dedupId, sentAt: now, receiveCount: 0, visibleAt: 0 });
    }
    // Written before they are taken: what send() accepted is on disk when it returns.
    this.journal(added.map((m) => ({ t: 'send', id: m.messageId, body: m.body, group: m.group, dedup: m.dedupId, at: m.sentAt })));
    this.messages.push(...added);
  }

  async retryLater(receipts: readonly { receiptHandle: string; seconds: number }[]): Promise<void> {
    const changed: Entry[] = [];
    for (const r of receipts) {
      const m = this.messages.find((x) => x.receiptHandle === r.receiptHandle);
      if (!m) continue;
      m.visibleAt = Date.now() + r.seconds * 1000;
      changed.push({ t: 'vis', id: m.messageId, vis: m.visibleAt });
    }
    this.journal(changed);
  }

  get depth(): number {
    return this.messages.length;
  }

  /** The event ids waiting or in flight, in the order they are held (tests, diagnostics). */
  pendingEventIds(): string[] {
    return this.messages.map((m) => (JSON.parse(m.body) as DeliveryMessage).eventId);
  }

  /** Up to `max` messages, heads of groups first-come first-served, as SQS FIFO hands them out. */
  receive(max = 10, now = Date.now()): SQSRecord[] {
    const busy = new Set(this.messages.filter((m) => m.receiveCount > 0 && m.visibleAt > now).map((m) => m.group));
    const out: SQSRecord[] = [];
    const seen = new Set<string>();
    const changed: Entry[] = [];
    for (const m of [...this.messages]) {
      if (out.length >= max) break;
      if (busy.has(m.group)) continue;
      // A group's later message only follows its head in the same batch, never alone.
      if (seen.has(m.group) && !out.some((r) => r.attributes.MessageGroupId === m.group)) continue;
      seen.add(m.group);
      if (m.visibleAt > now) {
        busy.add(m.group);
        continue;
      }
      if (m.receiveCount >= this.opts.maxReceiveCount) {
        this.messages = this.messages.filter((x) => x !== m);
        this.deadLetters.push(m);
        changed.push({ t: 'dlq', id: m.messageId });
        seen.delete(m.group); // the group's next message is its head now
        continue;
      }
      m.receiveCount++;
      m.firstReceivedAt ??= now;
      m.visibleAt = now + this.opts.visibilityTimeoutSeconds * 1000;
      m.receiptHandle = randomUUID();
      changed.push({ t: 'recv', id: m.messageId, n: m.receiveCount, vis: m.visibleAt, first: m.firstReceivedAt });
      out.push(this.record(m));
    }
    this.journal(changed);
    return out;
  }

  delete(receiptHandle: string): void {
    const m = this.messages.find((x) => x.receiptHandle === receiptHandle);
    if (!m) return;
    this.messages = this.messages.filter((x) => x !== m);
    this.journal([{ t: 'del', id: m.messageId }]);
  }

  private journal(entries: readonly Entry[]): void {
    const file = this.opts.journalFile;
    if (!file || !entries.length) return;
    appendFileSync(file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    this.written += entries.length;
    // Deleted messages leave lines behind: rewrite the file when they far outnumber what it holds.
    if (this.written > 10_000 && this.written > 4 * (this.messages.length + this.deadLetters.length)) this.compact(file);
  }

  /** Replays the journal (a line cut short by a crash is the last and is skipped), then compacts it. */
  private load(file: string): void {
    if (!existsSync(file)) return;
    const byId = new Map<string, Stored>();
    const dead = new Set<string>();
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let e: Entry;
      try {
        e = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      if (e.t === 'send') {
        byId.set(e.id, { messageId: e.id, body: e.body, group: e.group, dedupId: e.dedup, sentAt: e.at, receiveCount: e.n ?? 0, visibleAt: e.vis ?? 0, ...(e.first !== undefined && { firstReceivedAt: e.first }) });
        this.dedup.set(e.dedup, e.at);
      } else if (e.t === 'dedup') {
        this.dedup.set(e.dedup, e.at);
      } else {
        const m = byId.get(e.id);
        if (!m) continue;
        if (e.t === 'recv') Object.assign(m, { receiveCount: e.n, visibleAt: e.vis, firstReceivedAt: e.first });
        else if (e.t === 'vis') m.visibleAt = e.vis;
        else if (e.t === 'del') byId.delete(e.id);
        else if (e.t === 'dlq') dead.add(e.id);
      }
    }
    // Map order is send order: the FIFO order of every group.
    for (const m of byId.values()) (dead.has(m.messageId) ? this.deadLetters : this.messages).push(m);
    const now = Date.now();
    for (const [id, at] of this.dedup) if (now - at > DEDUP_WINDOW_MS) this.dedup.delete(id);
    this.compact(file);
  }

  /** Rewrites the journal as what the queue holds now: its messages, dead letters and recent deduplication ids. */
  private compact(file: string): void {
    const sendOf = (m: Stored): Entry => ({ t: 'send', id: m.messageId, body: m.body, group: m.group, dedup: m.dedupId, at: m.sentAt, n: m.receiveCount, vis: m.visibleAt, ...(m.firstReceivedAt !== undefined && { first: m.firstReceivedAt }) });
    const held = new Set([...this.messages, ...this.deadLetters].map((m) => m.dedupId));
    const lines: Entry[] = [
      ...[...this.dedup].filter(([id]) => !held.has(id)).map(([dedup, at]): Entry => ({ t: 'dedup', dedup, at })),
      ...this.messages.map(sendOf),
      ...this.deadLetters.flatMap((m) => [sendOf(m), { t: 'dlq', id: m.messageId } as Entry]),
    ];
    // A new file renamed over the old one: a crash leaves one or the other, never half of each.
    writeFileSync(`${file}.tmp`, lines.map((e) => `${JSON.stringify(e)}\n`).join(''));
    renameSync(`${file}.tmp`, file);
    this.written = 0;
  }

  private record(m: Stored): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle!,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
        MessageGroupId: m.group,
        MessageDeduplicationId: m.dedupId,
        SequenceNumber: String(++this.seq).padStart(20, '0'),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:platform-delivery.fifo',
      awsRegion: process.env.AWS_REGION ?? 'cn-north-1',
    };
  }
}

/** The event source mapping: polls, invokes the handler, deletes what succeeded. */
export function startQueuePoller(queue: LocalFifoQueue, handler: (event: SQSEvent) => Promise<SQSBatchResponse>, opts: { pollMs?: number; concurrency?: number; onError?: (e: Error) => void } = {}): { stop(): Promise<void> } {
  let stopped = false;
  const workers = Array.from({ length: opts.concurrency ?? 4 }, async () => {
    while (!stopped) {
      const records = queue.receive(10);
      if (!records.length) {
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 50));
        continue;
      }
      try {
        const res = await handler({ Records: records });
        const failed = new Set(res.batchItemFailures.map((f) => f.itemIdentifier));
        for (const r of records) if (!failed.has(r.messageId)) queue.delete(r.receiptHandle);
      } catch (e) {
        // A failed invocation leaves every message to come back after its visibility timeout.
        opts.onError?.(e as Error);
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.allSettled(workers);
    },
  };
}
