import { buildOpenApi } from '#shared/http/openapi.js';
import { routeList, routes } from '#shared/routes/index.js';
import { systemRoutes } from '#shared/routes/system.js';
import { handle } from '../http/handle.js';
import { httpLambda } from '../http/lambda.js';
import { config } from '../lib/config.js';

let document: Record<string, unknown> | undefined;

const health = handle(routes.health, async () => ({ status: 200, body: { status: 'ok' as const, version: config.version() } }));

// Built on first request and kept: the route table can't change while the process lives.
const openapi = handle(routes.openapi, async () => ({ status: 200, body: (document ??= buildOpenApi(routeList, config.version())) }));

/** Entry point of the system function: health and the OpenAPI document (no token needed). */
export const handler = httpLambda('system', systemRoutes, { health, openapi });
