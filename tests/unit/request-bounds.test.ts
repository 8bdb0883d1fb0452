import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { routeList } from '../../shared/routes/index.js';
import { platformWebhook } from '../../shared/schemas/platform.js';

/**
 * The schema and the storage must agree: whatever a request schema accepts, DynamoDB must be
 * able to store (an item is at most 400 KB, an expression 4 KB of names and values) and Lambda
 * to take (6 MB). So every string a client sends has a maximum length (or a pattern, an enum or
 * a format that bounds it) and every array a maximum count; and the largest body a schema allows
 * stays under a size the route's storage can hold. A new unbounded field fails here, not as a
 * 500 in production.
 */
type Js = Record<string, any>;

/** The largest UTF-8 size a value of this schema can have, or Infinity when unbounded. */
function maxBytes(s: Js, defs: Record<string, Js>, path: string, unbounded: string[]): number {
  if (s.$ref) return maxBytes(defs[String(s.$ref).split('/').pop()!]!, defs, path, unbounded);
  if (s.anyOf || s.oneOf) return Math.max(...(s.anyOf ?? s.oneOf).map((x: Js) => maxBytes(x, defs, path, unbounded)));
  if (s.allOf) return Math.max(...s.allOf.map((x: Js) => maxBytes(x, defs, path, unbounded)));
  if (s.enum) return Math.max(...s.enum.map((v: unknown) => JSON.stringify(v).length));
  if (s.const !== undefined) return JSON.stringify(s.const).length;
  switch (s.type) {
    case 'string': {
      if (s.format === 'date' || s.format === 'date-time') return 40;
      if (s.maxLength !== undefined) return s.maxLength * 4 + 2; // 4 bytes per character at most in UTF-8
      // A pattern anchored at both ends with only bounded quantifiers bounds the length.
      if (s.pattern && /^\^.*\$$/.test(s.pattern) && !/[*+]|\{\d+,\}/.test(s.pattern.replace(/\\./g, ''))) return s.pattern.length * 4;
      unbounded.push(`${path} (string without maxLength)`);
      return Number.POSITIVE_INFINITY;
    }
    case 'integer':
    case 'number':
      return 24;
    case 'boolean':
      return 5;
    case 'null':
      return 4;
    case 'array': {
      if (s.maxItems === undefined) {
        unbounded.push(`${path} (array without maxItems)`);
        return Number.POSITIVE_INFINITY;
      }
      const items = s.prefixItems ? Math.max(...s.prefixItems.map((x: Js) => maxBytes(x, defs, `${path}[]`, unbounded))) : maxBytes(s.items ?? {}, defs, `${path}[]`, unbounded);
      return s.maxItems * (items + 1) + 2;
    }
    case 'object': {
      let total = 2;
      for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Js>)) total += k.length + 3 + maxBytes(v, defs, `${path}.${k}`, unbounded);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        const keys = s.propertyNames?.enum?.length;
        if (keys === undefined) {
          unbounded.push(`${path} (open-ended record)`);
          return Number.POSITIVE_INFINITY;
        }
        total += keys * (20 + maxBytes(s.additionalProperties, defs, `${path}.*`, unbounded));
      }
      return total;
    }
    default:
      // Loose records (looseObject) and `any` are bounded only by the body limit.
      unbounded.push(`${path} (any)`);
      return Number.POSITIVE_INFINITY;
  }
}

const jsonSchema = (schema: z.ZodMiniType): Js => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Js;

// The only request bodies allowed to be open-ended: checked record by record on their own
// (a servings batch is documented by servingsBodyDoc, which this test checks instead).
const perRecord = new Set(['recordServings']);

describe('every request field is bounded, so what the schema accepts the storage can hold', () => {
  for (const r of routeList) {
    const parts = { params: r.params, query: r.query, body: perRecord.has(r.name) ? r.docBody : r.body };
    if (!parts.params && !parts.query && !parts.body) continue;
    it(`${r.method} ${r.path}`, () => {
      const unbounded: string[] = [];
      let body = 0;
      for (const [where, schema] of Object.entries(parts)) {
        if (!schema) continue;
        const js = jsonSchema(schema);
        const defs = (js.$defs ?? {}) as Record<string, Js>;
        const size = maxBytes(js, defs, where, unbounded);
        // A batch is stored record by record: what must fit in an item is one record.
        if (where === 'body') body = perRecord.has(r.name) ? maxBytes(js.properties.records.items, defs, 'body.records[]', []) : size;
      }
      expect(unbounded.join('; '), 'unbounded fields').toBe('');
      // A record, stored with its keys, index keys and event, must fit in one 400 KB item.
      expect(body, 'largest body in bytes').toBeLessThan(300_000);
    });
  }

  it('POST /v1/platform/webhooks (verified in its handler, not by the route)', () => {
    const unbounded: string[] = [];
    const js = jsonSchema(platformWebhook);
    const size = maxBytes(js, (js.$defs ?? {}) as Record<string, Js>, 'body', unbounded);
    expect(unbounded.join('; '), 'unbounded fields').toBe('');
    expect(size).toBeLessThan(300_000);
  });
});
