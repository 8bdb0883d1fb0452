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
    // One per inbound event type the union takes (enrolled, updated, assessed, deceased, a care-bed application filed).
    const inbound = r.body.components.schemas.PlatformWebhook.oneOf ?? r.body.components.schemas.PlatformWebhook.anyOf;
    expect(inbound).toHaveLength(5);
    expect(JSON.stringify(inbound)).toContain('bed_application.filed');
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

  it('answers an unknown route 404 NOT_FOUND in the error envelope, as the stack\'s $default route does, with or without a token', async () => {
    for (const [method, path] of [['GET', '/v1/nothing-here'], ['DELETE', '/v1/health'], ['POST', '/'], ['GET', '/v1/elders/x/y/z']] as const) {
      const r = await api(method, path);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'NOT_FOUND', message: `Route ${method} ${path} was not found.` });
    }
    expect((await api('GET', '/v1/nothing-here', { token: await token({ role: 'staff' }) })).body.error.code).toBe('NOT_FOUND');
  });

  it('answers a path parameter that is not percent-encoded UTF-8 with 400, never 500, even without a token', async () => {
    const staff = await token({ role: 'staff' });
    for (const bad of ['%E0%A4%A', '%', '%ZZ', '%C0%AF', 'a%FFb']) {
      for (const t of [undefined, staff]) {
        const r = await api('GET', `/v1/elders/${bad}`, t ? { token: t } : {});
        expect(r.status, bad).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'elderId', in: 'path', message: 'is not valid percent-encoded UTF-8' }] });
      }
    }
    // Well-formed encodings still decode (and then fail the id rule, or find nothing).
    expect((await api('GET', '/v1/elders/%E4%B8%AD', { token: staff })).status).toBe(400);
    expect((await api('GET', '/v1/elders/el_%41', { token: staff })).status).toBe(404);
  });

  it('answers 401 in the JWT authorizer\'s own shape, with its www-authenticate header', async () => {
    const none = await api('POST', '/v1/elders', { body: {} });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorized' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.headers.get('content-type')).toBe('application/json');
    expect(none.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers.get('access-control-allow-origin')).toBe('*');
    const expired = await api('GET', '/v1/elders/el_x', { token: await token({ role: 'staff', ttl: -60 }) });
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: 'Unauthorized' });
    expect(expired.headers.get('www-authenticate')).toBe('Bearer scope="" error="invalid_token" error_description="the token has expired"');
    const garbage = await api('GET', '/v1/elders/el_x', { token: 'not.a.token' });
    expect(garbage.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The OpenAPI document declares this shape for 401 on token routes.
    const doc = (await api('GET', '/v1/openapi.json')).body;
    expect(JSON.stringify(doc.paths['/v1/elders'].post.responses['401'])).toContain('GatewayMessage');
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

  it('refuses bodies above Lambda\'s 6 MB and API Gateway\'s 10 MB with 413 PAYLOAD_TOO_LARGE, read to the end so the client gets the answer', async () => {
    const staff = await token({ role: 'staff' });
    const post = async (bytes: number, chunked = false) => {
      const json = Buffer.from(`{"name":"${'x'.repeat(bytes - 11)}"}`);
      // A stream has no Content-Length: sent chunked, as a device that streams an upload would.
      const body = chunked ? new ReadableStream({ start(c) { for (let i = 0; i < json.length; i += 65_536) c.enqueue(json.subarray(i, i + 65_536)); c.close(); } }) : json;
      const res = await fetch(`${inject('apiUrl')}/v1/elders`, { method: 'POST', headers: { authorization: `Bearer ${staff}`, 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      return { status: res.status, body: await res.json() as { error?: { code: string } } };
    };
    for (const [bytes, chunked] of [[11 * 1024 * 1024, false], [11 * 1024 * 1024, true], [7 * 1024 * 1024, false], [6 * 1024 * 1024, false]] as const) {
      const r = await post(bytes, chunked);
      expect(r.status, `${bytes} bytes${chunked ? ', chunked' : ''}`).toBe(413);
      expect(r.body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    }
    // Under the limit, the function gets it (and validates it).
    const ok = await post(5 * 1024 * 1024);
    expect(ok.status).toBe(400);
    expect(ok.body.error?.code).toBe('VALIDATION_FAILED');
  });

  it('answers a body declared as another media type 415; JSON, +json and no Content-Type are read', async () => {
    const staff = await token({ role: 'staff' });
    const body = JSON.stringify({ name: '城关镇', elderlyPopulation: 100 });
    const put = (contentType?: string) => fetch(`${inject('apiUrl')}/v1/townships/411327998`, {
      // Bytes, not a string: fetch would label a string text/plain itself.
      method: 'PUT', headers: { authorization: `Bearer ${staff}`, ...(contentType !== undefined && { 'content-type': contentType }) }, body: Buffer.from(body),
    });
    for (const type of ['image/png', 'multipart/form-data; boundary=x', 'application/xml', 'text/plain', 'application/json; charset=gbk']) {
      const res = await put(type);
      expect(res.status, type).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    for (const type of ['application/json', 'application/json; charset=UTF-8', 'application/merge-patch+json', undefined]) {
      expect((await put(type)).status, String(type)).toBe(200);
    }
    // A route without a body does not care.
    expect((await fetch(`${inject('apiUrl')}/v1/health`, { headers: { 'content-type': 'image/png' } })).status).toBe(200);
  });

  it('reports DynamoDB in the health answer', async () => {
    const r = await api('GET', '/v1/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', dependencies: { dynamodb: 'ok' } });
    const doc = (await api('GET', '/v1/openapi.json')).body;
    expect(Object.keys(doc.paths['/v1/health'].get.responses)).toEqual(expect.arrayContaining(['200', '503']));
  });

  it('gives every response a request id', async () => {
    const r = await api('GET', '/v1/health');
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(inject('apiUrl')).toMatch(/^http:\/\/localhost:\d+$/);
  });
});
