import { CreateTableCommand, DynamoDBClient, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
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
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
    ...(def.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: def.stream } }),
  };
}

/** Local table names: the logical id, with an optional prefix so test runs can't collide. */
export const localTableNames = (prefix = ''): Record<keyof typeof tables, string> =>
  Object.fromEntries(Object.entries(tables).map(([k, d]) => [k, `${prefix}${d.id}`])) as Record<keyof typeof tables, string>;

/** Creates every table that does not exist yet; existing ones (kept data) are left alone. */
export async function createTables(client: DynamoDBClient, prefix = ''): Promise<void> {
  const names = localTableNames(prefix);
  for (const [key, def] of Object.entries(tables) as [keyof typeof tables, TableDef][]) {
    try {
      await client.send(new CreateTableCommand(createTableInput(def, names[key])));
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }
}
