import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException, UpdateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { tables, type TableDef } from '#shared/tables.js';

/** The CreateTable input for a table definition: the same definition CDK deploys. */
export function createTableInput(def: TableDef, name: string): CreateTableCommandInput {
  const keys = [def.partitionKey, def.sortKey, ...def.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter((k) => k !== undefined);
  const attrs = [...new Map(keys.map((k) => [k.name, k])).values()];
  const schema = (pk: TableDef['partitionKey'], sk?: TableDef['partitionKey']) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attrs.map((k) => ({ AttributeName: k.name, AttributeType: k.type })),
    KeySchema: schema(def.partitionKey, def.sortKey),
    ...(def.globalIndexes.length && {
      GlobalSecondaryIndexes: def.globalIndexes.map((i) => ({
        IndexName: i.name,
        KeySchema: schema(i.partitionKey, i.sortKey),
        Projection: i.include ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.include] } : { ProjectionType: 'ALL' },
      })),
    }),
    ...(def.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
  };
}

/** Local table names: the logical id, with an optional prefix so test runs can't collide. */
export const localTableNames = (prefix = ''): Record<keyof typeof tables, string> =>
  Object.fromEntries(Object.entries(tables).map(([k, d]) => [k, `${prefix}${d.id}`])) as Record<keyof typeof tables, string>;

/**
 * Creates every table that does not exist yet. Existing ones (kept data) are left alone, except
 * that an index added to a definition since is added to the table, as a deploy would.
 */
export async function createTables(client: DynamoDBClient, prefix = ''): Promise<void> {
  const names = localTableNames(prefix);
  for (const [key, def] of Object.entries(tables) as [keyof typeof tables, TableDef][]) {
    const input = createTableInput(def, names[key]);
    try {
      await client.send(new CreateTableCommand(input));
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[key] }));
      const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
      for (const index of input.GlobalSecondaryIndexes ?? []) {
        if (have.has(index.IndexName)) continue;
        await client.send(new UpdateTableCommand({ TableName: names[key], AttributeDefinitions: input.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] }));
      }
    }
  }
}
