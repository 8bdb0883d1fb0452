import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, inject, it } from 'vitest';
import { routeList } from '../../shared/routes/index.js';
import { routeKey } from '../../shared/http/route.js';
import { eventTypes } from '../../shared/schemas/events.js';
import { api, token } from '../support/api.js';

describe('the local API server', () => {
  it('serves a valid OpenAPI 3.1 document listing every route with its roles', async () => {
    const r = await api('GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const result = await new Validator().validate(r.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const route of routeList) {
      const op = r.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, routeKey(route)).toBeDefined();
      if (route.access === 'public' || route.access === 'signed') expect(op.security).toEqual([]);
      else expect(op['x-roles']).toEqual(route.access);
    }
    // Request schemas come from the zod schemas: the elder body lists its categories.
    const body = r.body.paths['/v1/elders'].post.requestBody.content['application/json'].schema;
    expect(body.properties.categories.items.enum).toContain('living_alone');
    expect(body.required).toEqual(expect.arrayContaining(['idNumber', 'name', 'township']));
    // The platform's signed webhook documents the body it takes (a union by type).
    expect(r.body.paths['/v1/platform/webhooks'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PlatformWebhook' });
    expect(r.body.components.schemas.PlatformWebhook.oneOf ?? r.body.components.schemas.PlatformWebhook.anyOf).toHaveLength(4);
    // The webhooks section: one entry per event type, with its signed headers and its data.
    expect(Object.keys(r.body.webhooks).sort()).toEqual([...eventTypes].sort());
    const serving = r.body.webhooks['serving.recorded'].post;
    expect(serving.parameters.map((p: { name: string }) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    const schema = serving.requestBody.content['application/json'].schema;
    expect(schema.properties.type.const).toBe('serving.recorded');
    expect(schema.properties.data.properties.subsidyFen).toMatchObject({ type: 'integer' });
  });

  it('publishes the JWKS it verifies tokens with', async () => {
    const r = await api('GET', '/.well-known/jwks.json');
    expect(r.status).toBe(200);
    expect(r.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(r.body.keys[0].d).toBeUndefined(); // never the private part
  });

  it('answers an unknown route as API Gateway does', async () => {
    const r = await api('GET', '/v1/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ message: 'Not Found' });
  });

  it('answers a missing token with 401', async () => {
    const r = await api('POST', '/v1/elders', { body: {} });
    expect(r.status).toBe(401);
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const staff = await token({ role: 'staff' });
    const r = await api('POST', '/v1/elders', { token: staff, raw: '{"idNumber": ' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '', message: 'body is not valid JSON' }] });
  });

  it('answers a bad path parameter with 400 naming it', async () => {
    const staff = await token({ role: 'staff' });
    const r = await api('PUT', '/v1/townships/12345', { token: staff, body: { name: 'x', elderlyPopulation: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'township', in: 'path' })]);
  });

  it('gives every response a request id', async () => {
    const r = await api('GET', '/v1/health');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(inject('apiUrl')).toMatch(/^http:\/\/localhost:\d+$/);
  });
});
