import * as z from 'zod/mini';
import { defineRoutes, type RouteDocs } from '../http/route.js';
import { named } from '../schemas/common.js';

export const systemRoutes = defineRoutes({
  health: {
    method: 'GET',
    path: '/v1/health',
    fn: 'health',
    access: 'public',
    tag: 'System',
    responses: {
      200: named(z.object({ status: z.literal('ok'), version: z.string(), dependencies: z.object({ dynamodb: z.literal('ok') }) }), 'Health'),
      503: named(z.object({ status: z.literal('degraded'), version: z.string(), dependencies: z.object({ dynamodb: z.literal('unreachable') }) }), 'HealthDegraded'),
    },
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'system',
    access: 'public',
    tag: 'System',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const systemRouteDocs = {
  health: {
    summary: 'Health: 200 when DynamoDB answers, 503 when it does not.',
    description: 'DynamoDB is checked with DescribeTable on each table (no read units are spent), at most once a minute per running function instance; a probe in between gets the last result. 503 is what load balancers and uptime monitors take as down.',
  },
  openapi: {
    summary: 'This API\'s OpenAPI 3.1 document, generated from the route table.',
  },
} satisfies RouteDocs<typeof systemRoutes>;
