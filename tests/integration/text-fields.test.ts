import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type * as z from 'zod/mini';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import type { RouteSpec } from '../../shared/http/route.js';
import { routeList } from '../../shared/routes/index.js';
import { api, token } from '../support/api.js';
import { mealsFixture, today } from '../support/meals.js';

/**
 * Names and free text must be visible text (issue 10, fault 5), in every field of every route:
 * this walks the route table, finds every string in every request body (or documented body)
 * and query schema, and sends a NUL, a zero-width-only value and a lone surrogate in each. Each
 * must be refused with 400 VALIDATION_FAILED naming the field (or, inside a servings batch, the
 * record rejected VALIDATION_FAILED naming it). A field added later with a bare z.string() fails
 * here without anyone having to remember it.
 */

type Path = (string | number)[];
interface Leaf { path: Path; literals: { path: Path; value: unknown }[] }

/** Every string in a zod (mini) schema, with the literal discriminators needed to reach it. */
function stringLeaves(schema: z.ZodMiniType, path: Path = [], literals: Leaf['literals'] = []): Leaf[] {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def.type) {
    case 'string':
      return [{ path, literals }];
    case 'object': {
      const shape = def.shape as Record<string, z.ZodMiniType>;
      const here = Object.entries(shape).flatMap(([k, s]) => {
        const d = (s as unknown as { _zod: { def: Record<string, any> } })._zod.def;
        return d.type === 'literal' ? [{ path: [...path, k], value: d.values[0] }] : [];
      });
      return Object.entries(shape).flatMap(([k, s]) => stringLeaves(s, [...path, k], [...literals, ...here]));
    }
    case 'array':
      return stringLeaves(def.element, [...path, 0], literals);
    case 'optional': case 'default': case 'prefault': case 'nullable': case 'nonoptional': case 'readonly': case 'catch':
      return stringLeaves(def.innerType, path, literals);
    case 'union':
      return (def.options as z.ZodMiniType[]).flatMap((o) => stringLeaves(o, path, literals));
    case 'pipe':
      return stringLeaves(def.in, path, literals);
    default:
      return []; // numbers, booleans, enums and literals can't carry text
  }
}

function setAt(target: Record<string, any>, path: Path, value: unknown) {
  let o: any = target;
  path.forEach((k, i) => {
    if (i === path.length - 1) o[k] = value;
    else o = o[k] ??= typeof path[i + 1] === 'number' ? [] : {};
  });
}

const bad = [['NUL', 'a\u0000b'], ['zero-width only', '\u200b\u200d'], ['a lone surrogate', 'a\ud800']] as const;

let fx: Awaited<ReturnType<typeof mealsFixture>>;
let tokens: Record<string, string>;
let secret: string;
beforeAll(async () => {
  fx = await mealsFixture();
  secret = localPlatformSecret(inject('localDir'));
  tokens = {
    staff: fx.staff,
    site: await fx.siteToken(),
    institution: await token({ role: 'institution', sub: 'walk-inst', county: fx.county, institution: 'inst_walk' }),
    family: await token({ role: 'family', sub: 'walk-fam', county: fx.county }),
    platform: await token({ role: 'platform', sub: 'platform', county: fx.county }),
  };
});

const pathOf = (r: RouteSpec) => r.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
  name === 'siteId' ? fx.site.id : name === 'township' ? fx.township : name === 'date' ? today() : 'x1');
const tokenFor = (r: RouteSpec) => (Array.isArray(r.access) ? tokens[['staff', 'site', 'institution', 'family', 'platform'].find((role) => (r.access as string[]).includes(role))!] : undefined);

function send(r: RouteSpec, body: unknown) {
  if (r.access === 'signed') {
    const raw = JSON.stringify(body);
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    return api(r.method, pathOf(r), { raw, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(id, at, raw) } });
  }
  return api(r.method, pathOf(r), { token: tokenFor(r)!, body });
}

const bodyCases = routeList.flatMap((r) => {
  const schema = r.docBody ?? r.body;
  return schema ? stringLeaves(schema).flatMap((leaf) => bad.map(([what, value]) => ({ route: r, leaf, what, value }))) : [];
});
const queryCases = routeList.flatMap((r) =>
  r.query ? stringLeaves(r.query).flatMap((leaf) => bad.slice(0, 2).map(([what, value]) => ({ route: r, leaf, what, value }))) : []);

describe('every string field of every request refuses invisible and malformed text', () => {
  it('finds the fields (the walk itself works)', () => {
    const fields = new Set(bodyCases.map((c) => `${c.route.name}:${c.leaf.path.join('.')}`));
    for (const f of ['registerElder:name', 'createSite:address', 'createBooking:deliveryAddress', 'recordServings:records.0.clientRecordId', 'putMenu:notes',
      'putMenu:slots.lunch.0.name', 'voidServing:reason', 'closeAlert:note', 'discharge:reason', 'setBedStatus:reason', 'platformWebhook:data.name', 'platformWebhook:data.tags.0', 'linkFamily:familySub']) {
      expect(fields, f).toContain(f);
    }
    expect(bodyCases.length).toBeGreaterThan(150);
    expect(queryCases.length).toBeGreaterThan(30);
  });

  it.each(bodyCases.map((c) => [`${c.route.method} ${c.route.path} ${c.leaf.path.join('.')}: ${c.what}`, c] as const))('%s', async (_name, c) => {
    const body: Record<string, any> = {};
    for (const l of c.leaf.literals) setAt(body, l.path, l.value);
    const isRecordField = c.route.name === 'recordServings' && c.leaf.path.length === 3 && c.leaf.path[2] !== 'clientRecordId';
    if (isRecordField) setAt(body, ['records', 0, 'clientRecordId'], `walk-${randomUUID()}`);
    setAt(body, c.leaf.path, c.value);
    const r = await send(c.route, body);
    const field = c.leaf.path.join('.');
    if (isRecordField) {
      expect(r.status).toBe(200);
      expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } });
      expect(r.body.results[0].error.details.map((d: { path: string }) => d.path)).toContain(c.leaf.path.slice(2).join('.'));
    } else {
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(r.body.error.details)).toContain(field);
    }
  });

  it.each(queryCases.map((c) => [`${c.route.method} ${c.route.path} ?${c.leaf.path.join('.')}: ${c.what}`, c] as const))('%s', async (_name, c) => {
    const field = String(c.leaf.path[0]);
    const r = await api(c.route.method, `${pathOf(c.route)}?${field}=${encodeURIComponent(c.value)}`, { token: tokenFor(c.route)! });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: field, in: 'query' })]));
  });
});

describe('names and free text people type', () => {
  it('real names are kept, stored in NFC; invisible, NUL and lone-surrogate names, addresses and ids are refused', async () => {
    for (const name of ['阿依古丽·买买提', '欧阳娜娜', '  王秀英 ']) {
      const e = await fx.register({ name });
      expect(e.name).toBe(name.trim());
    }
    const decomposed = await fx.register({ name: 'Zoe\u0308 王' });
    expect((await api('GET', `/v1/elders/${decomposed.id}`, { token: fx.staff })).body.name).toBe('Zo\u00eb 王');

    const refused = async (method: string, path: string, body: unknown, field: string, t = fx.staff) => {
      const r = await api(method, path, { token: t, body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
      return r;
    };
    const elder = { idNumber: '11010519491231002X', township: fx.township, categories: [] };
    const zw = await refused('POST', '/v1/elders', { ...elder, name: '\u200b\u200d' }, 'name');
    expect(zw.body.error.details[0].message).toMatch(/visible character/);
    expect((await refused('POST', '/v1/elders', { ...elder, name: '测\u0000试' }, 'name')).body.error.details[0].message).toMatch(/control characters/);
    expect((await refused('POST', '/v1/elders', { ...elder, name: '\ud83d' }, 'name')).body.error.details[0].message).toMatch(/unpaired surrogate/);
    await refused('POST', '/v1/meal-sites', { name: '食堂', township: fx.township, kind: 'canteen', address: '人民路\u00001号', delivery: false, slots: { lunch: { capacity: 5, priceFen: 100, cutoff: '10:00' } } }, 'address');
    await refused('POST', `/v1/meal-sites/${fx.site.id}/servings`, { records: [{ clientRecordId: 't7\u00000001' }] }, 'records.0.clientRecordId', tokens.site);
    await refused('POST', `/v1/meal-sites/${fx.site.id}/servings`, { records: [{ clientRecordId: 't7\u200b0001' }] }, 'records.0.clientRecordId', tokens.site);
  });
});
