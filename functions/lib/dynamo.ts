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

/**
 * An item without its storage attributes: the table and index keys (pk, sk, gsi1pk/sk,
 * gsi2pk/sk) and the outbox event (evt), leaving the record the stores hand to the domain.
 */
export const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, evt: _evt, ...rest } = item;
  return rest as T;
};

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

/** A page position: the table (and index) key attributes of the page's last item. */
export type KeyPosition = Readonly<Record<string, string | number>>;

/**
 * One page of a Query, paged in DynamoDB: `Limit` and `ExclusiveStartKey`, so a page costs the
 * same however many items the partition holds. It reads `limit + 1` items, so `next` (the key
 * of the page's last item, from `keyAttributes`: the table's and, on an index, the index's)
 * is given only when another item follows, and a walk never ends on an empty page. With a
 * FilterExpression it reads on (at least 100 items a call) until the page is full or the
 * partition ends: items the filter drops are read and paid for.
 */
export async function queryPage(
  input: QueryCommandInput,
  page: { limit: number; after?: KeyPosition | undefined },
  keyAttributes: readonly string[],
): Promise<{ items: Record<string, unknown>[]; next?: KeyPosition }> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined = page.after;
  do {
    const wanted = page.limit + 1 - items.length;
    const out = await db().send(new QueryCommand({ ...input, Limit: input.FilterExpression ? Math.max(wanted, 100) : wanted, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start && items.length <= page.limit);
  if (items.length <= page.limit) return { items };
  const last = items[page.limit - 1]!;
  return { items: items.slice(0, page.limit), next: Object.fromEntries(keyAttributes.map((k) => [k, last[k] as string | number])) };
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
