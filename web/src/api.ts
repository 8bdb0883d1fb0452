import type * as z from 'zod/mini';
import { errorCodes, type ErrorCode } from '#shared/http/error-codes.js';
import type { RouteSpec } from '#shared/http/route.js';
import routeTable from 'virtual:route-table';
import type { webRoutes } from '../route-table.js';
import type { ClientErrorCode } from './messages.js';

/**
 * The only module that talks to the API. Every call names a route of the route table
 * (shared/routes); its URL is built from the route's path template (virtual:route-table), and its parameter, query,
 * body and answer types are the route's own zod schemas (z.input of what is sent, z.output of
 * what comes back). A page never writes a URL or a response type.
 */
type Routes = typeof webRoutes;
export type RouteName = keyof Routes;
/** Method and path template of each route, from the route table (at build time). */
export const routes = routeTable as Record<RouteName, Pick<RouteSpec, 'method' | 'path'>>;

type Input<S> = S extends z.ZodMiniType ? z.input<S> : never;
type Has<S, K extends string> = [S] extends [z.ZodMiniType] ? Record<K, Input<S>> : { [P in K]?: never };

/** What a call takes: the route's params, query and body, each only when the route has one. */
type Part<R, K extends string> = R extends { [P in K]: infer S } ? S : undefined;
export type CallArgs<N extends RouteName> = Has<Part<Routes[N], 'params'>, 'params'> &
  Has<Part<Routes[N], 'query'>, 'query'> &
  Has<Part<Routes[N], 'body'>, 'body'> & {
    /** For create routes: the same key sent again returns the first answer (a double tap books once). */
    idempotencyKey?: string;
  };

type Responses<N extends RouteName> = Routes[N]['responses'];
/** What a call returns: the route's first success answer, as its schema outputs it. */
export type Answer<N extends RouteName> = Responses<N> extends { 200: infer S extends z.ZodMiniType }
  ? z.output<S>
  : Responses<N> extends { 201: infer S extends z.ZodMiniType }
    ? z.output<S>
    : undefined;
export type BodyOf<N extends RouteName> = Routes[N] extends { body: infer B extends z.ZodMiniType } ? z.input<B> : never;

/**
 * One detail of a refusal: the field (`path`) and the reason, plus what some codes add (e.g.
 * CAPACITY_BELOW_BOOKED's date, slot and booked).
 */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [more: string]: unknown;
}

/** A refusal from the API (code from the error catalogue) or a failure on the way. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    readonly status: number,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(code);
  }
}

const known = new Set<string>(errorCodes);

/** Fills a path template such as /v1/meal-sites/{siteId}/availability. */
export function pathOf(spec: Pick<RouteSpec, 'path'>, params: Record<string, string> = {}): string {
  return spec.path.replace(/\{([A-Za-z0-9_]+)\}/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(v);
  });
}

let tokenSource: () => string | undefined = () => undefined;
let onUnauthorized: () => void = () => {};
/** The sign-in module hands over the ID token and what to do when the API says 401. */
export function configureApi(opts: { token: () => string | undefined; unauthorized: () => void }): void {
  tokenSource = opts.token;
  onUnauthorized = opts.unauthorized;
}

export async function call<N extends RouteName>(name: N, args: CallArgs<N>): Promise<Answer<N>> {
  const spec = routes[name];
  const a = args as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; idempotencyKey?: string };
  let url = pathOf(spec, a.params);
  if (a.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(a.query)) if (v !== undefined) q.set(k, String(v));
    if (q.size) url += `?${q}`;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  if (a.body !== undefined) headers['content-type'] = 'application/json';
  if (a.idempotencyKey) headers['idempotency-key'] = a.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(url, { method: spec.method, headers, ...(a.body !== undefined && { body: JSON.stringify(a.body) }) });
  } catch {
    throw new ApiError('NETWORK', 0);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok) return json as Answer<N>;
  if (res.status === 401 || tokenRefused(res.status, json)) {
    onUnauthorized();
    throw new ApiError('UNAUTHORIZED', 401);
  }
  const err = (json as { error?: { code?: string; details?: ErrorDetail[] } } | undefined)?.error;
  const code = err?.code && known.has(err.code) ? (err.code as ErrorCode) : res.status >= 500 ? 'INTERNAL' : 'UNEXPECTED';
  throw new ApiError(code, res.status, err?.details ?? []);
}

/**
 * API Gateway's own 403 `{"message":"Forbidden"}` (no error envelope): its Lambda authorizer
 * refused the token (expired, or of the wrong realm). For the page that is a sign-in to redo,
 * like a 401; the API's own 403s carry an error code and stay what they are.
 */
function tokenRefused(status: number, body: unknown): boolean {
  return status === 403 && !!body && typeof body === 'object' && (body as { message?: unknown }).message === 'Forbidden' && !('error' in body);
}

/** A new key per booking attempt (kept while the form is on screen). */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/**
 * The same call asking for another representation the route offers (`alsoProduces`, e.g. the
 * settlement as `text/csv`): the answer's bytes as they came (a Blob: decoding to text would drop
 * the CSV's byte-order mark, which Excel needs to read UTF-8), or the same ApiError as `call`.
 */
export async function callFile<N extends RouteName>(name: N, args: CallArgs<N>, accept: string): Promise<Blob> {
  const spec = routes[name];
  const a = args as { params?: Record<string, string>; query?: Record<string, unknown> };
  let url = pathOf(spec, a.params);
  if (a.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(a.query)) if (v !== undefined) q.set(k, String(v));
    if (q.size) url += `?${q}`;
  }
  const headers: Record<string, string> = { accept };
  const token = tokenSource();
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(url, { method: spec.method, headers });
  } catch {
    throw new ApiError('NETWORK', 0);
  }
  if (res.ok) return res.blob();
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 401 || tokenRefused(res.status, body)) {
    onUnauthorized();
    throw new ApiError('UNAUTHORIZED', 401);
  }
  const err = (body as { error?: { code?: string } } | undefined)?.error;
  throw new ApiError(err?.code && known.has(err.code) ? (err.code as ErrorCode) : res.status >= 500 ? 'INTERNAL' : 'UNEXPECTED', res.status);
}
