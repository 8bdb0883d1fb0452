import { buildOpenApi } from '#shared/http/openapi.js';
import { routeList, routes } from '#shared/routes/index.js';
import { systemRoutes } from '#shared/routes/system.js';
import { handle } from '../http/handle.js';
import { httpLambda } from '../http/lambda.js';
import { config } from '../lib/config.js';
import { dynamoStatus } from './health.js';

let document: Record<string, unknown> | undefined;

// 503 when DynamoDB does not answer: what load balancers and uptime monitors take as down.
const health = handle(routes.health, async () => {
  const version = config.version();
  return (await dynamoStatus()) === 'ok'
    ? { status: 200 as const, body: { status: 'ok' as const, version, dependencies: { dynamodb: 'ok' as const } } }
    : { status: 503 as const, body: { status: 'degraded' as const, version, dependencies: { dynamodb: 'unreachable' as const } } };
});

// Built on first request and kept: the route table can't change while the process lives.
const openapi = handle(routes.openapi, async () => ({ status: 200, body: (document ??= buildOpenApi(routeList, config.version())) }));

/**
 * Entry point of the system function: health and the OpenAPI document (no token needed), and
 * the `$default` route, which the wrapper answers 404 NOT_FOUND (no route matched).
 */
export const handler = httpLambda('system', systemRoutes, { health, openapi });
