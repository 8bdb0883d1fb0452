import * as z from 'zod/mini';
import type { RouteSpec } from './route.js';
import { errorBody } from '../schemas/common.js';
import { eventSummaries, eventTypes, typedEvent } from '../schemas/events.js';
import { errorCatalogue, errorCodes, type ErrorCode, type HttpErrorCode } from './error-codes.js';

type JsonSchema = Record<string, unknown>;

/**
 * Builds the OpenAPI 3.1 document from the route table: the same zod schemas that validate
 * requests describe them here, so the document can't drift from the code.
 */
export function buildOpenApi(routes: readonly (RouteSpec & { name: string })[], version: string): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  // Zod emits named schemas (those with .meta({id})) under $defs; lift them into components
  // so each named schema appears once and routes refer to it.
  const toSchema = (schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema => {
    const raw = JSON.stringify(z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }));
    const js = JSON.parse(raw.replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [name, def] of Object.entries(js.$defs ?? {})) components[name] ??= stripMeta(def);
    delete js.$defs;
    stripMeta(js);
    const rootId = z.globalRegistry.get(schema)?.id;
    if (!rootId) return js;
    components[rootId] ??= js;
    return { $ref: `#/components/schemas/${rootId}` };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
      if (!schema) continue;
      const js = toSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
      }
    }
    if (r.idempotent) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'The same key and body returns the first response again; the same key with another body is 409 IDEMPOTENCY_KEY_REUSED.',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      const content: Record<string, unknown> = { 'application/json': { schema: toSchema(schema as z.ZodMiniType, 'output') } };
      if (r.alsoProduces) content[r.alsoProduces] = { schema: { type: 'string' } };
      responses[status] = { description: status === '503' ? 'Service unavailable: the service answers, a dependency does not' : 'Success', content };
    }
    for (const [status, response] of Object.entries(errorResponses(r))) responses[status] = response;
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.name,
      summary: r.summary,
      ...(r.description && { description: r.description }),
      tags: [r.tag],
      ...(r.access === 'public' || r.access === 'signed' ? { security: [] } : { 'x-roles': r.access }),
      ...(parameters.length && { parameters }),
      ...((r.body ?? r.docBody) && { requestBody: { required: true, content: { 'application/json': { schema: toSchema((r.docBody ?? r.body)!, 'input') } } } }),
      responses,
    };
  }
  toSchema(errorBody, 'output');

  // What the county POSTs to the platform: one webhook per event type, as OpenAPI 3.1 allows.
  const signatureHeaders = [
    { name: 'webhook-id', in: 'header', required: true, description: 'The event id: the same on every retry and replay. Deduplicate on it.', schema: { type: 'string' } },
    { name: 'webhook-timestamp', in: 'header', required: true, description: 'Unix seconds when this attempt was signed. Refuse it when more than 5 minutes off.', schema: { type: 'string' } },
    { name: 'webhook-signature', in: 'header', required: true, description: '`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` with the shared secret (Standard Webhooks).', schema: { type: 'string' } },
  ];
  const webhooks = Object.fromEntries(eventTypes.map((type) => [type, {
    post: {
      operationId: `event_${type.replace('.', '_')}`,
      summary: eventSummaries[type],
      tags: ['Events delivered to the platform'],
      security: [],
      parameters: signatureHeaders,
      requestBody: { required: true, content: { 'application/json': { schema: toSchema(typedEvent(type), 'output') } } },
      responses: { '200': { description: 'Any 2xx is success. Anything else, or no answer within 10 s, is retried with exponential back-off and jitter; after the last attempt the event is parked for staff to replay. One entity\'s later events wait behind it.' } },
    },
  }]));
  components.Error = { ...stripMeta(components.Error ?? {}), description: `Error codes, each with its status:\n${errorCodes.map((c) => `- ${c} (${errorCatalogue[c].status === 'record' ? 'per record, in a 200 batch answer' : errorCatalogue[c].status}): ${errorCatalogue[c].meaning}`).join('\n')}` };
  components.GatewayMessage = { type: 'object', required: ['message'], properties: { message: { type: 'string' } }, description: 'API Gateway\'s own answer, which HTTP APIs cannot reshape: `{"message":"Unauthorized"}` (401) when a request has no token, `{"message":"Forbidden"}` (403) when its authorizer refuses the token (expired, badly signed, or claiming a role its issuer may not grant; the local server answers these 401 with the reason in `www-authenticate`); `{"message":"Request Entity Too Large"}` (413) for a body over 10 MB or a request over Lambda\'s 6 MB.' };

  return {
    openapi: '3.1.0',
    info: {
      title: 'County elderly-care services API',
      version,
      description:
        'Meal assistance, care beds and the smart elderly-care platform link for a county civil-affairs bureau. Money is integer fen; dates are China Standard Time. '
        + 'Every string in a request is trimmed and must be well-formed Unicode (no unpaired surrogates), free of control characters (notes and reasons may hold tab and line feed) and, when not empty, hold at least one visible character; text is stored in NFC. '
        + 'Ids a client chooses (clientRecordId) hold no white space or invisible character. Otherwise 400 VALIDATION_FAILED naming the field. '
        + 'A method and path no operation here has is answered 404 NOT_FOUND in the error envelope.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...[...new Set(routes.map((r) => r.tag))].map((name) => ({ name })), { name: 'Events delivered to the platform', description: 'Every change becomes one event `{id, type, occurredAt, county, entity, sequence, data}`, POSTed to the platform\'s URL with Standard Webhooks signatures, and listed in order by GET /v1/platform/events.' }],
    paths,
    webhooks,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (locally: `npm run -s token -- --role ROLE`). Roles come from cognito:groups, area from custom:county/township/site/institution.' },
      },
    },
  };
}

/**
 * The error answers a route can give, each status listing exactly its codes (as an enum on
 * `error.code`) with their meanings, from the catalogue. Beyond the route's own `errors`:
 * 400 VALIDATION_FAILED always; 401 and 403 by its access; 413 and 415 when it takes a body
 * (refused before the handler runs); the Idempotency-Key conflicts on idempotent routes; 500.
 */
function errorResponses(r: RouteSpec): Record<string, JsonSchema> {
  const codes = new Set<HttpErrorCode>(['VALIDATION_FAILED', 'INTERNAL', ...(r.errors ?? [])]);
  if (r.access === 'signed') codes.add('UNAUTHORIZED');
  else if (r.access !== 'public') { codes.add('UNAUTHORIZED'); codes.add('FORBIDDEN'); }
  if (r.body ?? r.docBody) { codes.add('PAYLOAD_TOO_LARGE'); codes.add('UNSUPPORTED_MEDIA_TYPE'); }
  if (r.idempotent) { codes.add('IDEMPOTENCY_KEY_REUSED'); codes.add('IDEMPOTENCY_IN_PROGRESS'); }
  const byStatus = new Map<number, HttpErrorCode[]>();
  for (const c of codes) {
    const status = errorCatalogue[c].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), c]);
  }
  const out: Record<string, JsonSchema> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const envelope = { allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: list } } } } }] };
    // API Gateway answers these itself, in its own shape, before any function runs: 401 when the
    // token is missing and 403 when our Lambda authorizer refuses it (a bad, expired or other
    // realm's token; the local stand-in answers 401 with the reason); 413 for a body over its
    // 10 MB or an invocation over Lambda's 6 MB. (The local stand-in answers 413 in the envelope.)
    const gatewayToo = ((status === 401 || status === 403) && r.access !== 'signed' && r.access !== 'public') || status === 413;
    const schema = gatewayToo ? { oneOf: [envelope, { $ref: '#/components/schemas/GatewayMessage' }] } : envelope;
    out[String(status)] = { description: list.map((c: ErrorCode) => `${c}: ${errorCatalogue[c].meaning}`).join(' '), content: { 'application/json': { schema } } };
  }
  return out;
}

function stripMeta(s: JsonSchema): JsonSchema {
  delete s.$schema;
  delete s.id;
  return s;
}
