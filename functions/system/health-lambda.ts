import { systemRoutes } from '#shared/routes/system.js';
import { handle } from '../http/handle.js';
import { httpLambda } from '../http/lambda.js';
import { config } from '../lib/config.js';
import { dynamoStatus } from './health.js';

// Only the system routes' module: the whole route table would bundle every schema.
// 503 when DynamoDB does not answer: what load balancers and uptime monitors take as down.
const health = handle(systemRoutes.health, async () => {
  const version = config.version();
  return (await dynamoStatus()) === 'ok'
    ? { status: 200 as const, body: { status: 'ok' as const, version, dependencies: { dynamodb: 'ok' as const } } }
    : { status: 503 as const, body: { status: 'degraded' as const, version, dependencies: { dynamodb: 'unreachable' as const } } };
});

/** Entry point of the health function: `GET /v1/health`, DynamoDB described (see health.ts). */
export const handler = httpLambda('health', systemRoutes, { health });
