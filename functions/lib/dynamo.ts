import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type BatchGetCommandInput, type BatchGetCommandOutput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

/**
 * One client per process, created on first use. The endpoint comes from the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB variable, which the local server sets to DynamoDB Local, so the
 * same code talks to either.
 */
let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;

export function dynamoClient(): DynamoDBClient {
  // Retries with the SDK's standard back-off also cover TransactionConflict in the service.
  return (raw ??= new DynamoDBClient({ maxAttempts: 4 }));
}

export function db(): DynamoDBDocumentClient {
  return (doc ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true },
  }));
}

/** Every page of a Query (for partitions known to stay small: a site-day, a county's sites). */
export async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** BatchGetItem in chunks of 100, retrying unprocessed keys; missing items are simply absent. */
export async function batchGetAll(tableName: string, keys: readonly Record<string, unknown>[], opts: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let request: BatchGetCommandInput['RequestItems'] | undefined = { [tableName]: { Keys: keys.slice(i, i + 100), ...(opts.consistent && { ConsistentRead: true }) } };
    while (request && Object.keys(request).length) {
      const res: BatchGetCommandOutput = await db().send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(res.Responses?.[tableName] ?? []));
      request = res.UnprocessedKeys;
    }
  }
  return items;
}
