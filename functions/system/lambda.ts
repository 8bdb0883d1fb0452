import { buildOpenApi } from '#shared/http/openapi.js';
import { documentedRouteList } from '#shared/routes/docs.js';
import { routes } from '#shared/routes/index.js';
import { systemRoutes } from '#shared/routes/system.js';
import { handle } from '../http/handle.js';
import { httpLambda } from '../http/lambda.js';
import { config } from '../lib/config.js';

let document: Record<string, unknown> | undefined;

// Built on first request and kept: the route table can't change while the process lives.
const openapi = handle(routes.openapi, async () => ({ status: 200, body: (document ??= buildOpenApi(documentedRouteList, config.version())) }));

/**
 * Entry point of the system function: the OpenAPI document (no token needed), and the
 * `$default` route, which the wrapper answers 404 NOT_FOUND (no route matched). It touches no
 * AWS service, so it bundles no SDK client (health, which does, is a function of its own).
 */
export const handler = httpLambda('system', systemRoutes, { openapi });
