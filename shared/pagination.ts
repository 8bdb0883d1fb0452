import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './http/errors.js';

/**
 * List pages, as the contract wants them: `limit` (default 50, max 500) and a `nextToken` when
 * there is more. Lists are paged in DynamoDB (Limit and ExclusiveStartKey), so a page costs
 * the same however long the list grows; the position where a page stopped is a table key.
 *
 * The token carries that position, signed: HMAC-SHA256 over the list (route name), the
 * caller's county and township, the list's filters (path and query parameters but `limit`)
 * and the position. A token made up, changed, or given out by another list, another area or
 * other filters is refused with 400 INVALID_PAGE_TOKEN, so it can never start a Query where
 * the caller's own list would not. Tokens do not expire: a position stays meaningful (items
 * added meanwhile simply appear on later pages).
 */

/** Where a page stopped: the key of its last item (strings and numbers only). */
export type PagePosition = Readonly<Record<string, string | number>>;

/** What a list reads: how many, and after which position (already verified). */
export interface PageRequest {
  readonly limit: number;
  readonly after?: PagePosition | undefined;
}

/** One page as a use case returns it: `next` is the position to continue from, when there is more. */
export interface Page<T> {
  readonly items: T[];
  readonly next?: PagePosition | undefined;
}

/** A list route's page request, bound to the route, the caller's area and the filters. */
export interface Pager extends PageRequest {
  /** The answer body: the page's items and, when there is more, its signed nextToken. */
  reply<T>(page: Page<T>): { items: T[]; nextToken?: string };
}

/** What a token is bound to. Filters are the route's path and query values other than paging. */
export interface PageScope {
  readonly list: string;
  readonly county: string;
  readonly township?: string | undefined;
  readonly filters: Readonly<Record<string, unknown>>;
}

const VERSION = 'p1';

/** The scope as one canonical string: filters sorted by name, absent ones left out. */
function canonical(scope: PageScope): string {
  const filters = Object.entries(scope.filters)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([VERSION, scope.list, scope.county, scope.township ?? null, filters]);
}

const mac = (key: Uint8Array, scope: PageScope, payload: string): Buffer => createHmac('sha256', key).update(`${canonical(scope)}\n${payload}`).digest();

/** A nextToken for `position` in this list: `<base64url JSON position>.<base64url HMAC>`. */
export function sealPageToken(key: Uint8Array, scope: PageScope, position: PagePosition): string {
  const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  return `${payload}.${mac(key, scope, payload).toString('base64url')}`;
}

export const invalidPageToken = (message = 'is not a token this list gave out with these filters; start again without it') =>
  new AppError('INVALID_PAGE_TOKEN', 'nextToken was not given out by this list with these filters.', [{ path: 'nextToken', in: 'query', message }]);

/** The position a token carries, if this list (scope) gave it out; 400 INVALID_PAGE_TOKEN otherwise. */
export function openPageToken(key: Uint8Array, scope: PageScope, token: string): PagePosition {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) throw invalidPageToken();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, scope, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidPageToken();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidPageToken();
  }
  // Signed by us, so well formed unless the signing code changed shape: checked all the same.
  if (!position || typeof position !== 'object' || Array.isArray(position)) throw invalidPageToken();
  if (!Object.values(position).every((v) => typeof v === 'string' || typeof v === 'number')) throw invalidPageToken();
  return position as PagePosition;
}

/** The pager of one request: verifies the incoming token now, signs the outgoing one later. */
export function pagerFor(key: Uint8Array, scope: PageScope, query: { limit: number; nextToken?: string | undefined }): Pager {
  const after = query.nextToken === undefined ? undefined : openPageToken(key, scope, query.nextToken);
  return {
    limit: query.limit,
    after,
    reply: (page) => ({ items: page.items, ...(page.next && { nextToken: sealPageToken(key, scope, page.next) }) }),
  };
}
