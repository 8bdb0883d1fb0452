import type * as z from 'zod/mini';
import type { Role } from '../auth/roles.js';
import type { HttpErrorCode } from './error-codes.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The HTTP functions, and where each one's handler lives. Mostly one per bounded context; health
 * runs apart from the system function so that only it bundles the DynamoDB client it describes
 * tables with (the system function, OpenAPI and unknown routes, touches no AWS service); meal
 * reports and the platform's outbound feed run apart from their context's request path: they
 * need other permissions (read-only tables; the delivery queue) and other code, and keeping
 * them out keeps the request-path bundles small. The CDK stack and the local server both take
 * the entry from here.
 */
export const functionEntries = {
  system: 'system/lambda.ts',
  health: 'system/health-lambda.ts',
  registry: 'registry/lambda.ts',
  meals: 'meals/lambda.ts',
  mealReports: 'meals/reports-lambda.ts',
  beds: 'beds/lambda.ts',
  platform: 'platform/lambda.ts',
  platformFeed: 'platform/feed-lambda.ts',
} as const;
export type FunctionGroup = keyof typeof functionEntries;
export const functionGroups = Object.keys(functionEntries) as FunctionGroup[];

/**
 * A route as data: what the CDK HttpApi, the local server, the OpenAPI document and the
 * handler wrapper all read. `access` is who may call it ('public' needs no token); the handler
 * still checks the caller's area against the record it touches. Its prose is not here but in a
 * `RouteDoc` (see there).
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: FunctionGroup;
  /** 'signed': no token; the handler verifies a Standard Webhooks signature over the raw body. */
  readonly access: readonly Role[] | 'public' | 'signed';
  readonly tag: string;
  readonly params?: z.ZodMiniObject;
  readonly query?: z.ZodMiniObject;
  readonly body?: z.ZodMiniType;
  /** The body as documented, when validation is deliberately looser (per-record batches). */
  readonly docBody?: z.ZodMiniType;
  /**
   * Status and body schema of each answer the handler gives itself; the first entry is the
   * usual one. 503 is for health: the service answers, a dependency does not.
   */
  readonly responses: Readonly<Partial<Record<200 | 201 | 202 | 204 | 503, z.ZodMiniType>>>;
  /** Error codes this route can answer with, beyond 400/401/403. */
  readonly errors?: readonly HttpErrorCode[];
  /** Honours the Idempotency-Key header (create routes). */
  readonly idempotent?: boolean;
  /**
   * The route reads or changes elders' personal data: each elder a successful request touched
   * (its `elderId` path value, or the elders its answer names) gets an audit line
   * (functions/lib/audit.ts). tests/unit/audit-routes.test.ts finds the routes that must say so.
   */
  readonly audit?: 'read' | 'change';
  /** Another media type the route can answer with (for example text/csv), for the document. */
  readonly alsoProduces?: string;
}

/**
 * A route's prose, for the OpenAPI document only: `summary` one line, `description` the rules a
 * client must know. Kept apart from the spec because every function bundles its routes' specs
 * (the prose is about 18 KB across the table, 7.8 KB of the beds bundle) and only the system
 * function's OpenAPI builder reads it: each route file exports its specs and, beside them, a
 * `RouteDocs` object that esbuild leaves out of the bundles; shared/routes/docs.ts gathers them
 * for the builder.
 */
export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
}

/** Exactly one doc per route of `T`: a route without one, or a doc without a route, does not compile. */
export type RouteDocs<T extends Record<string, RouteSpec>> = { readonly [K in keyof T]: RouteDoc };

/**
 * Keeps each spec's literal types (fn, schemas) so handler inputs are inferred from them. A spec
 * with `summary` or `description` does not compile: the prose goes in the file's `RouteDocs`, or
 * it would ride in the bundles again (an inferred `T` is not checked for excess properties).
 */
export const defineRoutes = <const T extends Record<string, RouteSpec & { readonly summary?: never; readonly description?: never }>>(routes: T): T => routes;

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** A list route: its query takes a nextToken (signed and checked in the HTTP layer). */
export const isListRoute = (r: Pick<RouteSpec, 'query'>): boolean => r.query !== undefined && 'nextToken' in r.query.shape;

type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

/** What a handler receives: validated params, query and body, typed from the spec. */
export interface RouteInput<R extends RouteSpec> {
  readonly params: Out<R['params']>;
  readonly query: Out<R['query']>;
  readonly body: Out<R['body']>;
}

type SuccessStatus<R extends RouteSpec> = Extract<keyof R['responses'], number>;

/** What a handler returns: one of the spec's success statuses with its body type. */
export type RouteResult<R extends RouteSpec> = {
  [S in SuccessStatus<R>]: { status: S; body: R['responses'][S] extends z.ZodMiniType ? z.input<R['responses'][S]> : never; headers?: Record<string, string> };
}[SuccessStatus<R>];
