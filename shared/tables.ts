/**
 * The DynamoDB tables, declared once. The CDK stack and the local server both build their
 * tables from these definitions, so a key or index can't differ between the cloud and a laptop.
 * Each table's access patterns are listed in its data-access module (see `store.ts` files).
 */

export interface KeyDef {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexDef {
  readonly name: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  /** Non-key attributes the index carries; all of them when absent. */
  readonly include?: readonly string[];
}

export interface TableDef {
  /** Logical id in CDK and the table name locally. */
  readonly id: string;
  /** Environment variable that carries the physical table name into functions. */
  readonly envVar: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  readonly globalIndexes: readonly IndexDef[];
  /** Stream view type, when changes must be delivered onwards (the outbox). */
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** Attribute holding an epoch-seconds expiry, when items age out. */
  readonly ttlAttribute?: string;
}

const s = (name: string): KeyDef => ({ name, type: 'S' });

export const tables = {
  /**
   * Elders, townships, family links and the uniqueness guards for ID and card numbers. Changed
   * items carry their domain event (`evt`); the stream is the outbox.
   */
  registry: {
    id: 'Registry',
    envVar: 'REGISTRY_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    // gsi2 (sparse, elders only): a township's elders by name, for the staff search by name prefix.
    globalIndexes: [
      { name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
      { name: 'gsi2', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk') },
    ],
    stream: 'NEW_AND_OLD_IMAGES',
    // Audit lines (AUDIT#<elderId>) expire after 400 days; nothing else here carries it.
    ttlAttribute: 'expiresAt',
  },
  /**
   * Meal sites, menus, subsidy policies, bookings with their seat counters, servings with
   * their subsidy guards, welfare alerts, report jobs. See functions/meals/store/index.ts. Both
   * indexes are sparse: only items carrying the index's keys are written to it (gsi2: welfare
   * alerts by township and status).
   */
  meals: {
    id: 'Meals',
    envVar: 'MEALS_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    globalIndexes: [
      { name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') },
      { name: 'gsi2', partitionKey: s('gsi2pk'), sortKey: s('gsi2sk') },
    ],
    stream: 'NEW_AND_OLD_IMAGES',
    // Report jobs and their results age out (a week).
    ttlAttribute: 'expiresAt',
  },
  /**
   * Care institutions, beds, residences, home care beds, occupancy counters and daily history.
   * See functions/beds/store.ts.
   */
  beds: {
    id: 'Beds',
    envVar: 'BEDS_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    globalIndexes: [],
    stream: 'NEW_AND_OLD_IMAGES',
  },
  /**
   * The platform link: the event ledger (every outbound event with its delivery state and its
   * place in the county's feed), dead letters, reconciliation counts, and the webhook ids
   * already received. See functions/platform/store.ts.
   */
  platform: {
    id: 'Platform',
    envVar: 'PLATFORM_TABLE',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    // The feed: a county's events by sequence. The index leaves out the delivery state, so
    // recording a delivery costs no index write.
    globalIndexes: [{ name: 'feed', partitionKey: s('feedpk'), sortKey: { name: 'seq', type: 'N' }, include: ['id', 'type', 'occurredAt', 'county', 'entity', 'data'] }],
    ttlAttribute: 'expiresAt',
  },
  /** Powertools idempotency records for Idempotency-Key on create routes. */
  idempotency: {
    id: 'Idempotency',
    envVar: 'IDEMPOTENCY_TABLE',
    partitionKey: s('id'),
    globalIndexes: [],
    ttlAttribute: 'expiration',
  },
} as const satisfies Record<string, TableDef>;

export type TableName = keyof typeof tables;
