import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { principalFromClaims, type Claims, type Principal } from '#shared/auth/principal.js';
import { AppError, errors, type ErrorDetail } from '#shared/http/errors.js';
import { isListRoute, routeKey, type FunctionGroup, type RouteSpec } from '#shared/http/route.js';
import { pagerFor, type Pager } from '#shared/pagination.js';
import type { routes } from '#shared/routes/index.js';
import { auditedElderIds, type AuditLine } from '../lib/audit-lines.js';
import { logger, metrics } from '../lib/powertools.js';
import type { RouteHandler } from './handle.js';
import type { IdempotencyPort } from './idempotency.js';

type Routes = typeof routes;
type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type Result = APIGatewayProxyStructuredResultV2;

/** The handlers a function group must implement: exactly its routes, checked by the compiler. */
export type HandlersFor<G extends FunctionGroup> = {
  [K in keyof Routes as Routes[K]['fn'] extends G ? K : never]: RouteHandler<Routes[K]>;
};

interface Bound {
  readonly name: string;
  readonly spec: RouteSpec;
  readonly run: RouteHandler<RouteSpec>;
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): Result => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

const errorResult = (e: AppError, requestId: string): Result =>
  json(e.status, { error: { code: e.code, message: e.message, details: e.details } }, { 'x-request-id': requestId });

/** zod issues become `details` entries naming the field and the reason. */
const issueDetails = (issues: readonly z.core.$ZodIssue[]): ErrorDetail[] =>
  issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

function parseInto<S extends z.ZodMiniType | undefined>(schema: S, value: unknown, where: string, details: ErrorDetail[]): unknown {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const d of issueDetails(r.error.issues)) details.push(where === 'body' ? d : { ...d, in: where });
  return undefined;
}

function readBody(event: Event): unknown {
  if (event.body === undefined || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw errors.validation([{ path: '', message: 'body is not valid JSON' }]);
  }
}

/**
 * Bodies are JSON: `application/json` or a `+json` type, in UTF-8 (RFC 8259); a request without
 * a Content-Type is taken as JSON. Anything else (`image/png`, `multipart/form-data`,
 * `application/xml`, `text/plain`, another charset) is 415, here rather than in the local
 * server, so it holds in AWS too. (API Gateway base64-encodes a body it does not take for text;
 * readBody decodes it, so a JSON body under a missing or unusual type still reads.)
 */
function assertJsonMediaType(headers: Readonly<Record<string, string | undefined>>): void {
  const declared = headers['content-type']?.trim();
  if (!declared) return;
  const [type = '', ...parameters] = declared.toLowerCase().split(';').map((p) => p.trim());
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  const json = type === 'application/json' || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
  if (json && (charset === undefined || charset === 'utf-8' || charset === 'utf8')) return;
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `This route takes a JSON body (application/json, UTF-8), not ${type}${charset ? ` in ${charset}` : ''}.`, [
    { path: 'Content-Type', in: 'header', message: 'must be application/json (or a +json type), UTF-8' },
  ]);
}

function authorize(spec: RouteSpec, event: Event): Principal | undefined {
  if (spec.access === 'public' || spec.access === 'signed') return undefined;
  // Cognito's tokens are checked by the JWT authorizer (claims under `jwt`); other issuers' by
  // our Lambda authorizer (functions/authorizer), which hands the same claims under `lambda`.
  const authorizer = event.requestContext.authorizer as { jwt?: { claims?: Claims }; lambda?: Claims } | undefined;
  const claims = authorizer?.jwt?.claims ?? authorizer?.lambda;
  // API Gateway rejects a request without a valid token before it gets here; this guards a
  // misconfigured route rather than a caller.
  if (!claims) throw errors.unauthorized();
  const p = principalFromClaims(claims);
  if ('error' in p) throw errors.forbidden(`Token not usable: ${p.error}.`);
  if (!spec.access.includes(p.role)) throw errors.forbidden(`Role ${p.role} may not call ${routeKey(spec)}.`);
  return p;
}

/**
 * The pager of a list request. Its token is bound to the route, the caller's county and
 * township, and every path and query value but limit and nextToken: the filters that decide
 * which list the caller sees (a township staff member's list differs from the county's even
 * with the same query, hence the township).
 */
async function pagerOf(bound: Bound, key: PageTokenKey, principal: Principal | undefined, params: unknown, query: unknown): Promise<Pager> {
  const { limit, nextToken, ...filters } = query as { limit: number; nextToken?: string; [k: string]: unknown };
  const scope = { list: bound.name, county: principal?.county ?? '', township: principal?.township, filters: { ...(params as object | undefined), ...filters } };
  return pagerFor(await key(), scope, { limit, nextToken });
}

/** Loads the key that signs page tokens (functions/lib/page-token-key.ts), once per process. */
export type PageTokenKey = () => Promise<Uint8Array>;

type HandlerOutcome = { status: number; body: unknown; headers?: Record<string, string>; replayed?: boolean };

/** Writes audit lines (functions/lib/audit.ts), passed in by the groups with audited routes. */
export type AuditPort = (lines: readonly AuditLine[]) => Promise<void>;

async function dispatch(bound: Bound, event: Event, context: Context, idempotency: IdempotencyPort | undefined, pageTokenKey: PageTokenKey | undefined, audit: AuditPort | undefined): Promise<Result> {
  const { spec } = bound;
  const principal = authorize(spec, event);
  if (spec.body || spec.docBody) assertJsonMediaType(event.headers ?? {});
  const details: ErrorDetail[] = [];
  const params = parseInto(spec.params, event.pathParameters ?? {}, 'path', details);
  const query = parseInto(spec.query, event.queryStringParameters ?? {}, 'query', details);
  const body = spec.body ? parseInto(spec.body, readBody(event), 'body', details) : undefined;
  if (details.length) throw errors.validation(details);
  const page = isListRoute(spec) && pageTokenKey ? await pagerOf(bound, pageTokenKey, principal, params, query) : undefined;

  const headers = event.headers ?? {};
  const rawBody = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const ctx = { principal, requestId: context.awsRequestId, now: new Date(), headers, rawBody, page };
  const call = () => bound.run({ params, query, body } as never, ctx as never) as Promise<HandlerOutcome>;
  const key = headers['idempotency-key'];
  let out: HandlerOutcome;
  if (spec.idempotent && key && idempotency) {
    if (key.length > 255) throw errors.validation([{ path: 'Idempotency-Key', in: 'header', message: 'must be at most 255 characters' }]);
    out = (await idempotency.run(context, [routeKey(spec), principal?.county, principal?.sub, key].join('|'), body, call)) as HandlerOutcome;
  } else {
    out = await call();
  }
  if (spec.audit && audit && out.status < 300 && principal) {
    // Before the answer leaves: no answer with personal data goes out without its audit line.
    const at = ctx.now.toISOString();
    const sourceIp = event.requestContext?.http?.sourceIp ?? '';
    await audit(auditedElderIds(params, out.body).map((elderId) => ({ elderId, at, sub: principal.sub, role: principal.role, route: routeKey(spec), action: spec.audit!, sourceIp, requestId: context.awsRequestId })));
  }
  const extra: Record<string, string> = { 'x-request-id': context.awsRequestId, ...out.headers };
  if (out.replayed) extra['idempotent-replayed'] = 'true';
  if (typeof out.body === 'string') {
    return { statusCode: out.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...extra }, body: out.body };
  }
  return json(out.status, out.body, extra);
}

function toAppError(e: unknown, idempotency: IdempotencyPort | undefined): AppError | undefined {
  if (e instanceof AppError) return e;
  return idempotency?.toAppError(e);
}

/**
 * Builds the Lambda handler of one function group: routes by API Gateway's routeKey, checks
 * role, validates with the route's zod schemas, applies Idempotency-Key, and answers every
 * failure in the contract's error format. 5xx answers never carry internal messages.
 */
export function httpLambda<G extends FunctionGroup>(group: G, groupRoutes: Readonly<Record<string, RouteSpec>>, handlers: HandlersFor<G>, idempotency?: IdempotencyPort, pageTokenKey?: PageTokenKey, audit?: AuditPort) {
  const table = new Map<string, Bound>();
  // Passed in by the groups that have create routes, so the others don't bundle it.
  const needsIdempotency = Object.values(groupRoutes).some((r) => r.fn === group && r.idempotent);
  if (needsIdempotency && !idempotency) throw new Error(`The ${group} function has idempotent routes: pass the idempotency port`);
  // Likewise the page-token key (and the KMS client it needs in AWS): only groups with lists.
  const hasLists = Object.values(groupRoutes).some((r) => r.fn === group && isListRoute(r));
  if (hasLists && !pageTokenKey) throw new Error(`The ${group} function has list routes: pass the page-token key`);
  // And the audit trail's writer (it writes to the Registry table): only groups with audited routes.
  const audits = Object.values(groupRoutes).some((r) => r.fn === group && r.audit);
  if (audits && !audit) throw new Error(`The ${group} function has audited routes: pass the audit port`);
  // The group's own route module, not the whole table: a function bundles only its routes' schemas.
  for (const [name, spec] of Object.entries(groupRoutes)) {
    if (spec.fn !== group) continue;
    const run = (handlers as unknown as Record<string, RouteHandler<RouteSpec>>)[name];
    if (!run) throw new Error(`No handler for route ${name}`);
    table.set(routeKey(spec), { name, spec, run });
  }

  return middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const started = performance.now();
      const bound = table.get(event.routeKey);
      let result: Result;
      try {
        // `$default` (the stack's catch-all route, to the system function): no route matched.
        if (!bound) throw errors.notFound(event.routeKey === '$default' ? `Route ${event.requestContext?.http?.method ?? ''} ${event.rawPath}` : `Route ${event.routeKey}`);
        result = await dispatch(bound, event, context, idempotency, pageTokenKey, audit);
      } catch (e) {
        const known = toAppError(e, idempotency);
        if (!known) {
          // Name and message only: an SDK error message never carries request bodies.
          logger.error('unhandled error', { route: event.routeKey, error: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) });
        }
        result = errorResult(known ?? new AppError('INTERNAL', `Something went wrong. Quote request id ${context.awsRequestId} when reporting it.`), context.awsRequestId);
      }
      const status = result.statusCode ?? 200;
      logger.info('request', { route: event.routeKey, status, ms: Math.round(performance.now() - started) });
      if (status >= 500) metrics.addMetric('ServerErrors', 'Count', 1);
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      return result;
    });
}
