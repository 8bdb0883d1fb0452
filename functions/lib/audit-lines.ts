import type { Principal } from '#shared/auth/principal.js';

/**
 * What an audit line holds, and which elders a request touched: free of AWS, so the HTTP
 * wrapper of every function can import it (the writer, functions/lib/audit.ts, is passed in by
 * the groups with audited routes).
 */
export interface AuditLine {
  readonly elderId: string;
  /** ISO 8601 instant of the request. */
  readonly at: string;
  readonly sub: string;
  readonly role: Principal['role'];
  /** The route key, e.g. `GET /v1/elders/{elderId}`: never the path with its values. */
  readonly route: string;
  readonly action: 'read' | 'change';
  readonly sourceIp: string;
  readonly requestId: string;
}

/** Days an audit line is kept (the rule asks for at least 365). */
export const auditRetentionDays = 400;

/**
 * The elders a request touched, from its path (`elderId`) or its answer: an elder view (`id`),
 * a link (`elderId`) or a list of either (`items`). Empty when the answer names none (a search
 * that found nobody).
 */
export function auditedElderIds(params: unknown, body: unknown): string[] {
  const fromParams = (params as { elderId?: unknown } | undefined)?.elderId;
  if (typeof fromParams === 'string') return [fromParams];
  const one = (v: unknown): string | undefined => {
    const o = v as { id?: unknown; elderId?: unknown } | undefined;
    return typeof o?.elderId === 'string' ? o.elderId : typeof o?.id === 'string' ? o.id : undefined;
  };
  const items = (body as { items?: unknown } | undefined)?.items;
  if (Array.isArray(items)) return [...new Set(items.map(one).filter((x): x is string => !!x))];
  const id = one(body);
  return id ? [id] : [];
}

