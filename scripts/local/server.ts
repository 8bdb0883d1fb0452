import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context.js';
import type { JWTPayload } from 'jose';
import { functionEntries, routeKey, type FunctionGroup, type RouteSpec } from '#shared/http/route.js';
import { routeList } from '#shared/routes/index.js';

/**
 * The local stand-in for API Gateway's HTTP API: matches the request against the route table,
 * checks the bearer token as the JWT authorizer would, and invokes the function group's real
 * Lambda handler with the payload-2.0 event AWS would send, claims included.
 */
type LambdaHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly verify: (token: string) => Promise<JWTPayload | undefined>;
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    // API Gateway's payload limit.
    if (size > 10 * 1024 * 1024) throw Object.assign(new Error('payload too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

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
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'OPTIONS') return send(res, 204, '', CORS);
      if (method === 'GET' && url.pathname === '/.well-known/jwks.json') return send(res, 200, JSON.stringify(opts.jwks()));
      if (opts.other && !url.pathname.startsWith('/v1/') && (await opts.other(req, res, url))) return;

      let match: { route: CompiledRoute; params: Record<string, string> } | undefined;
      for (const route of compiled) {
        if (route.spec.method !== method) continue;
        const m = route.regex.exec(url.pathname);
        if (m) {
          match = { route, params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
          break;
        }
      }
      if (!match) return send(res, 404, JSON.stringify({ message: 'Not Found' }));
      const { spec } = match.route;

      let claims: Record<string, string> | undefined;
      if (spec.access !== 'public' && spec.access !== 'signed') {
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
        const payload = token ? await opts.verify(token) : undefined;
        if (!payload) return send(res, 401, JSON.stringify({ message: 'Unauthorized' }), { 'www-authenticate': 'Bearer' });
        claims = claimsAsApiGateway(payload);
      }

      const raw = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      const isText = raw.length === 0 || TEXT.test(contentType);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
      const now = new Date();
      const requestId = randomUUID();
      const key = routeKey(spec);
      const event = {
        version: '2.0',
        routeKey: key,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        ...(url.searchParams.size && { queryStringParameters: query }),
        ...(match.route.names.length && { pathParameters: match.params }),
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

      const context = lambdaContext(spec.fn, 29_000, requestId);

      const handler = await loadHandler(spec.fn);
      const handlerStarted = performance.now();
      const result = await handler(event, context);
      const handlerMs = performance.now() - handlerStarted;
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      res.writeHead(result.statusCode ?? 200, { ...CORS, 'x-amzn-requestid': requestId, ...(result.headers as Record<string, string>) });
      res.end(body);
      opts.onTiming?.({ route: key, handlerMs, totalMs: performance.now() - started });
    } catch (e) {
      const status = (e as { status?: number }).status ?? 500;
      // API Gateway answers a crashed integration with this body; so does the local one.
      if (!res.headersSent) send(res, status, JSON.stringify({ message: status === 413 ? 'Request Entity Too Large' : 'Internal Server Error' }));
      if (status >= 500) console.error('local server: integration failed:', e instanceof Error ? e.message : e);
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
