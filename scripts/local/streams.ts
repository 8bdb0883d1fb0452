import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, TrimmedDataAccessException, type GetRecordsCommandOutput, type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/**
 * What Lambda's DynamoDB event source mapping does, for DynamoDB Local: reads each table's
 * stream shard by shard, hands batches of records, in the event shape Lambda gives, to the
 * handler, and honours ReportBatchItemFailures (a reported record and everything after it is
 * read again after a pause; a thrown error retries the whole batch). Positions are kept in a
 * file, as the mapping keeps them, so a restart does not replay the stream.
 */
export interface StreamReaderOptions {
  readonly endpoint: string;
  readonly tableNames: readonly string[];
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  /** Like an event filter on the mapping: records it rejects never reach the handler. */
  readonly filter?: (record: DynamoDBRecord) => boolean;
  readonly batchSize?: number;
  readonly pollMs?: number;
  readonly retryMs?: number;
  readonly checkpointFile?: string;
  readonly onError?: (e: Error) => void;
}

export interface StreamReaders {
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startStreamReaders(opts: StreamReaderOptions): StreamReaders {
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const region = process.env.AWS_REGION ?? 'cn-north-1';
  const tables = new DynamoDBClient({ endpoint: opts.endpoint, region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: opts.endpoint, region, credentials });
  const checkpoints: Record<string, string> = opts.checkpointFile && existsSync(opts.checkpointFile) ? JSON.parse(readFileSync(opts.checkpointFile, 'utf8')) : {};
  const save = () => opts.checkpointFile && writeFileSync(opts.checkpointFile, JSON.stringify(checkpoints));
  let stopped = false;
  const pollMs = opts.pollMs ?? 200;
  const retryMs = opts.retryMs ?? 1000;

  async function readShard(streamArn: string, shardId: string): Promise<void> {
    const key = `${streamArn}|${shardId}`;
    let iterator: string | undefined;
    const position = async (at?: string) => {
      for (;;) {
        try {
          const out = await streams.send(new GetShardIteratorCommand({
            StreamArn: streamArn, ShardId: shardId,
            ...(at ? { ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: at } : checkpoints[key] ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoints[key] } : { ShardIteratorType: 'TRIM_HORIZON' }),
          }));
          return out.ShardIterator;
        } catch (e) {
          // DynamoDB Local refuses an iterator on a shard that has no records yet.
          if (!(e instanceof TrimmedDataAccessException) || stopped) throw e;
          await sleep(pollMs);
        }
      }
    };
    iterator = await position();
    while (!stopped && iterator) {
      let out: GetRecordsCommandOutput;
      try {
        out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: opts.batchSize ?? 100 }));
      } catch (e) {
        // DynamoDB Local also answers so for an iterator taken while the shard was empty.
        if (!(e instanceof TrimmedDataAccessException)) throw e;
        await sleep(pollMs);
        iterator = await position();
        continue;
      }
      const records = (out.Records ?? []).map((r) => asLambdaRecord(r, streamArn));
      if (!records.length) {
        iterator = out.NextShardIterator;
        await sleep(pollMs);
        continue;
      }
      const passed = opts.filter ? records.filter(opts.filter) : records;
      let failedAt: string | undefined;
      if (passed.length) {
        try {
          const res = await opts.handler({ Records: passed });
          failedAt = res?.batchItemFailures?.[0]?.itemIdentifier;
        } catch (e) {
          opts.onError?.(e as Error);
          failedAt = passed[0]!.dynamodb!.SequenceNumber;
        }
      }
      if (failedAt) {
        await sleep(retryMs);
        iterator = await position(failedAt);
        continue;
      }
      checkpoints[key] = records.at(-1)!.dynamodb!.SequenceNumber!;
      save();
      iterator = out.NextShardIterator;
    }
  }

  async function readTable(tableName: string): Promise<void> {
    const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream`);
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    // DynamoDB Local keeps one open shard per stream; should it ever hold more, each is read on
    // its own (a closed shard ends at once, from its kept position).
    await Promise.all((StreamDescription?.Shards ?? []).map((s) => readShard(streamArn, s.ShardId!)));
  }

  const running = opts.tableNames.map(async (t) => {
    while (!stopped) {
      try {
        await readTable(t);
      } catch (e) {
        if (stopped) return;
        opts.onError?.(e as Error);
        await sleep(retryMs);
      }
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.allSettled(running);
      tables.destroy();
      streams.destroy();
    },
  };
}

/** A GetRecords record as Lambda delivers it: with the stream's ARN and epoch-second times. */
function asLambdaRecord(r: _Record, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID!,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: process.env.AWS_REGION ?? 'cn-north-1',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(d as unknown as NonNullable<DynamoDBRecord['dynamodb']>),
      ApproximateCreationDateTime: Math.floor((d.ApproximateCreationDateTime ?? new Date()).getTime() / 1000),
    },
  };
}
