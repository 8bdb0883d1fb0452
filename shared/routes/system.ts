import * as z from 'zod/mini';
import { defineRoutes } from '../http/route.js';

export const systemRoutes = defineRoutes({
  health: {
    method: 'GET',
    path: '/v1/health',
    fn: 'system',
    access: 'public',
    tag: 'System',
    summary: 'Liveness: answers without touching the database.',
    responses: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
  },
  openapi: {
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'system',
    access: 'public',
    tag: 'System',
    summary: 'This API\'s OpenAPI 3.1 document, generated from the route table.',
    responses: { 200: z.record(z.string(), z.unknown()) },
  },
});
