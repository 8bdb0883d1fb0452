import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';
import type { JWTPayload } from 'jose';
import { functionEntries, routeKey, type FunctionGroup, type RouteSpec } from '#shared/http/route.js';
import type { ErrorDetail, HttpErrorCode } from '#shared/http/errors.js';
import { routeList } from '#shared/routes/index.js';

/**
 * The local stand-in for API Gateway's HTTP API and Lambda: matches the request against the
 * route table, checks the bearer token as the JWT authorizer would, and invokes the function
 * group's real Lambda handler with the payload-2.0 event AWS would send, claims included. It
 * refuses what AWS refuses, before any function runs: a body over API Gateway's 10 MB and an
 * event over Lambda's 6 MB (413), a bad token (401 in the authorizer's own shape), a path
 * parameter that is not percent-encoded UTF-8 (400). A request no route matches goes, as the
 * stack's `$default` route sends it, to the system function (404 NOT_FOUND).
 */
type LambdaHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiServerOptions {
  readonly port: number;
  readonly host?: string;
  /** The JWT authorizer's check: the claims, or why the token is refused (AWS's wording). */
  readonly verify: (token: string) => Promise<{ claims: JWTPayload } | { refused: string }>;
  readonly jwks: () => unknown;
  /**
   * Everything outside /v1 that is not the JWKS: the local OIDC provider and the web pages
   * (scripts/local/web.ts). Returns false to fall through to API Gateway's 404.
   */
  readonly other?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** Called per request with handler time, for the benchmarks' overhead figure. */
  readonly onTiming?: (t: { route: string; handlerMs: number; totalMs: number }) => void;
}

interface CompiledRoute {
  readonly spec: RouteSpec & { name: string };
  readonly regex: RegExp;
  readonly names: string[];
  readonly literalLength: number;
}

/** API Gateway picks the most specific route: literal paths before ones with parameters. */
function compile(routes: readonly (RouteSpec & { name: string })[]): CompiledRoute[] {
  return routes
    .map((spec) => {
      const names: string[] = [];
      const pattern = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([A-Za-z0-9_]+)(\\\+)?\}/g, (_m, name: string, greedy?: string) => {
        names.push(name);
        return greedy ? '(.+)' : '([^/]+)';
      });
      return { spec, regex: new RegExp(`^${pattern}$`), names, literalLength: spec.path.replace(/\{[^}]+\}/g, '').length };
    })
    .sort((a, b) => a.names.length - b.names.length || b.literalLength - a.literalLength);
}

/** HTTP API hands claims to the function as strings; arrays become "[a b]". Do the same. */
function claimsAsApiGateway(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)]),
  );
}

const TEXT = /^(application\/(json|x-www-form-urlencoded|xml|.*\+json)|text\/)/;

/** API Gateway HTTP API's payload limit: a larger request is refused before any function runs. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/**
 * Lambda's limit on a synchronous invocation's payload: the event as JSON (body, headers and
 * the rest; a binary body grows by a third in base64). API Gateway answers 413 when Lambda
 * refuses one, so a body of 6 MB or a little less is refused too.
 */
export const LAMBDA_MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Reads the whole body, keeping at most `keep` bytes; the rest is read and dropped. Breaking
 * off mid-upload (or answering before the upload ends) destroys the socket, and the client sees
 * a connection reset instead of the 413: reading to the end is what lets it read the answer.
 */
async function readBody(req: IncomingMessage, keep: number): Promise<{ body: Buffer; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= keep) chunks.push(chunk as Buffer);
  }
  return { body: size <= keep ? Buffer.concat(chunks) : Buffer.alloc(0), size };
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

/** The contract's error envelope, for what the stand-in refuses before a function runs. */
const envelope = (code: HttpErrorCode, message: string, details: ErrorDetail[] = []) => JSON.stringify({ error: { code, message, details } });

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
};

export async function startApiServer(opts: ApiServerOptions): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const compiled = compile(routeList);
  const handlers = new Map<FunctionGroup, LambdaHandler>();
  const loadHandler = async (group: FunctionGroup): Promise<LambdaHandler> => {
    let h = handlers.get(group);
    if (!h) {
      const mod = (await import(`../../functions/${functionEntries[group]}`)) as { handler: LambdaHandler };
      handlers.set(group, (h = mod.handler));
    }
    return h;
  };
  // Load every function up front so the first request is not slowed by module loading.
  for (const group of new Set(routeList.map((r) => r.fn))) await loadHandler(group);

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    // What API Gateway answers itself, before (or instead of) a function: with its request id
    // header, and CORS headers, so a browser front end can read a 401 and send the user to sign in.
    const gateway = (status: number, body: string, headers: Record<string, string> = {}) => send(res, status, body, { ...CORS, 'apigw-requestid': requestId, ...headers });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') return send(res, 200, JSON.stringify(opts.jwks()));
      // The identity provider and the pages (not API Gateway) read their own bodies (sign-in forms).
      if (opts.other && !url.pathname.startsWith('/v1/') && (await opts.other(req, res, url))) return;
      // The body is read to its end first, whatever the answer will be (see readBody).
      const { body: raw, size } = await readBody(req, GATEWAY_MAX_BODY_BYTES);
      if (method === 'OPTIONS') return send(res, 204, '', CORS);
      if (size > GATEWAY_MAX_BODY_BYTES) return gateway(413, envelope('PAYLOAD_TOO_LARGE', 'The body is larger than API Gateway\'s 10 MB limit.'));

      let match: { route: CompiledRoute; m: RegExpExecArray } | undefined;
      for (const route of compiled) {
        if (route.spec.method !== method) continue;
        const m = route.regex.exec(url.pathname);
        if (m) {
          match = { route, m };
          break;
        }
      }
      // No route: the stack's `$default` route takes it, without authorizer, to the system
      // function, which answers 404 NOT_FOUND in the error envelope.
      const fn: FunctionGroup = match?.route.spec.fn ?? 'system';
      const key = match ? routeKey(match.route.spec) : '$default';
      let params: Record<string, string> | undefined;
      if (match) {
        params = {};
        const bad: ErrorDetail[] = [];
        for (const [i, name] of match.route.names.entries()) {
          try {
            params[name] = decodeURIComponent(match.m[i + 1]!);
          } catch {
            // `%`, `%ZZ`, `%E0%A4%A`, overlong `%C0%AF`: not percent-encoded UTF-8. A 400, never a 500.
            bad.push({ path: name, in: 'path', message: 'is not valid percent-encoded UTF-8' });
          }
        }
        if (bad.length) return gateway(400, envelope('VALIDATION_FAILED', 'The request is not valid.', bad));
      }

      let claims: Record<string, string> | undefined;
      const spec = match?.route.spec;
      if (spec && spec.access !== 'public' && spec.access !== 'signed') {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
        const verdict = token ? await opts.verify(token) : undefined;
        if (!verdict || 'refused' in verdict) {
          // Exactly what the JWT authorizer sends (HTTP APIs can't reshape it; the OpenAPI
          // document declares it as GatewayMessage): {"message":"Unauthorized"}, and for a token
          // that was presented, why, in www-authenticate.
          const challenge = verdict ? `Bearer scope="" error="invalid_token" error_description="${verdict.refused}"` : 'Bearer';
          return gateway(401, JSON.stringify({ message: 'Unauthorized' }), { 'www-authenticate': challenge });
        }
        claims = claimsAsApiGateway(verdict.claims);
      }

      const contentType = String(req.headers['content-type'] ?? '');
      const isText = raw.length === 0 || TEXT.test(contentType);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: key,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(url.searchParams.size && { queryStringParameters: query }),
        ...(params && Object.keys(params).length && { pathParameters: params }),
        requestContext: {
          accountId: 'local',
          apiId: 'local',
          ...(claims && { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }),
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId,
          routeKey: key,
          stage: '$default',
          time: now.toISOString(),
          timeEpoch: now.getTime(),
        },
        ...(raw.length && { body: isText ? raw.toString('utf8') : raw.toString('base64') }),
        isBase64Encoded: !isText,
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      // Lambda refuses the invocation, and API Gateway answers 413, before the function runs.
      if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_MAX_PAYLOAD_BYTES) {
        return gateway(413, envelope('PAYLOAD_TOO_LARGE', 'The request is larger than Lambda\'s 6 MB invocation limit.'));
      }

      const context = lambdaContext(fn, 29_000, requestId);
      const handler = await loadHandler(fn);
      const handlerStarted = performance.now();
      const result = await handler(event, context);
      const handlerMs = performance.now() - handlerStarted;
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      res.writeHead(result.statusCode ?? 200, { ...CORS, 'apigw-requestid': requestId, ...(result.headers as Record<string, string>) });
      res.end(body);
      opts.onTiming?.({ route: key, handlerMs, totalMs: performance.now() - started });
    } catch (e) {
      // API Gateway answers a crashed integration with this body; so does the local one.
      if (!res.headersSent) gateway(500, JSON.stringify({ message: 'Internal Server Error' }));
      console.error('local server: integration failed:', e instanceof Error ? e.message : e);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://localhost:${port}`,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
