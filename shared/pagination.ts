import { errors } from './http/errors.js';

/**
 * List pages, as the contract wants them: `limit` (default 50, max 500) and a `nextToken` when
 * there is more. The token is the last returned item's sort key, opaque to clients, so a page
 * stays correct when items are added in between.
 */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export function page<T>(items: readonly T[], sortKey: (item: T) => string, q: { limit: number; nextToken?: string | undefined }): Page<T> {
  let after: string | undefined;
  if (q.nextToken) {
    try {
      after = Buffer.from(q.nextToken, 'base64url').toString('utf8');
    } catch {
      after = undefined;
    }
    if (!after) throw errors.validation([{ path: 'nextToken', in: 'query', message: 'is not a token this list gave out' }]);
  }
  const sorted = [...items].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((i) => sortKey(i) > after!);
  const items_ = rest.slice(0, q.limit);
  const more = rest.length > q.limit;
  return { items: items_, ...(more && { nextToken: Buffer.from(sortKey(items_.at(-1)!), 'utf8').toString('base64url') }) };
}

/** A key that sorts newest first when pages go in ascending key order (dates, ISO instants). */
export const invert = (key: string): string => [...key].map((c) => String.fromCharCode(0xffff - c.charCodeAt(0))).join('');
