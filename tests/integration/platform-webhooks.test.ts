import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localPlatformSecret } from '../../scripts/local/keys.js';
import { api, newIdNumber } from '../support/api.js';
import { addDays, mealsFixture, today } from '../support/meals.js';

let fx: Awaited<ReturnType<typeof mealsFixture>>;
let secret: string;
beforeAll(async () => {
  fx = await mealsFixture();
  secret = localPlatformSecret(inject('localDir'));
});

/** Sends a webhook signed as the platform signs it (Standard Webhooks reference library). */
function send(payload: unknown, opts: { id?: string; at?: Date; key?: string; tamper?: (body: string) => string } = {}) {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  const body = JSON.stringify(payload);
  const signature = new Webhook(opts.key ?? secret).sign(id, at, body);
  return api('POST', '/v1/platform/webhooks', {
    raw: opts.tamper ? opts.tamper(body) : body,
    headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
  });
}

describe('POST /v1/platform/webhooks', () => {
  it('an enrolment registers the elder; the same webhook-id again is a duplicate that changes nothing', async () => {
    const idNumber = newIdNumber(fx.county);
    const enrol = { type: 'elder.enrolled', county: fx.county, data: { idNumber, name: '平台老人', township: fx.township, categories: ['empty_nest'], capabilityLevel: 1 } };
    const id = `msg_${randomUUID()}`;
    const first = await send(enrol, { id });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'applied' });
    const elderId = first.body.elderId;
    expect((await api('GET', `/v1/elders/${elderId}`, { token: fx.staff })).body).toMatchObject({ name: '平台老人', capabilityLevel: 1, categories: ['empty_nest'] });
    expect((await send(enrol, { id })).body).toEqual({ status: 'duplicate' });
    // A new webhook-id for the same person is applied idempotently: nothing new is created.
    expect((await send(enrol)).body).toMatchObject({ status: 'unchanged', elderId });
  });

  it('updates and assessments change the elder; a death cancels open bookings', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ idNumber, categories: [] });
    const updated = await send({ type: 'elder.updated', county: fx.county, data: { idNumber, categories: ['living_alone', 'dibao'], dietaryNeeds: ['soft'] } });
    expect(updated.body).toMatchObject({ status: 'applied', elderId: elder.id });
    const assessed = await send({ type: 'elder.assessed', county: fx.county, data: { idNumber, capabilityLevel: 3, assessedAt: today() } });
    expect(assessed.body.status).toBe('applied');
    expect((await send({ type: 'elder.assessed', county: fx.county, data: { idNumber, capabilityLevel: 3 } })).body.status).toBe('unchanged');
    const view = (await api('GET', `/v1/elders/${elder.id}`, { token: fx.staff })).body;
    expect(view).toMatchObject({ categories: ['living_alone', 'dibao'], dietaryNeeds: ['soft'], capabilityLevel: 3 });

    const booking = await api('POST', '/v1/bookings', { token: fx.staff, body: { elderId: elder.id, siteId: fx.site.id, date: addDays(today(), 1), slot: 'lunch', mode: 'dine_in' } });
    expect(booking.status).toBe(201);
    const died = await send({ type: 'elder.deceased', county: fx.county, data: { idNumber, dateOfDeath: today() } });
    expect(died.body).toMatchObject({ status: 'applied', elderId: elder.id });
    expect((await api('GET', `/v1/bookings?elderId=${elder.id}`, { token: fx.staff })).body.items[0].status).toBe('cancelled');
    expect((await send({ type: 'elder.deceased', county: fx.county, data: { idNumber, dateOfDeath: today() } })).body.status).toBe('unchanged');
  });

  it.each([
    ['a flipped byte in the body', { tamper: (b: string) => b.replace('"county"', '"countY"') }],
    ['a wrong secret', { key: `whsec_${Buffer.alloc(32, 7).toString('base64')}` }],
    ['a timestamp 6 minutes old', { at: new Date(Date.now() - 6 * 60_000) }],
    ['a timestamp 6 minutes ahead', { at: new Date(Date.now() + 6 * 60_000) }],
  ])('rejects %s with 401 and changes nothing', async (_n, opts) => {
    const idNumber = newIdNumber(fx.county);
    const r = await send({ type: 'elder.enrolled', county: fx.county, data: { idNumber, name: '伪造', township: fx.township } }, opts);
    expect(r.status).toBe(401);
    const site = await (await import('../support/api.js')).token({ role: 'site', site: fx.site.id, county: fx.county });
    expect((await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber } })).status).toBe(404);
  });

  it('rejects a request without signature headers, and an invalid payload with 400 naming the field', async () => {
    expect((await api('POST', '/v1/platform/webhooks', { body: { type: 'elder.enrolled' } })).status).toBe(401);
    const r = await send({ type: 'elder.assessed', county: fx.county, data: { idNumber: newIdNumber(fx.county), capabilityLevel: 9 } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('data.capabilityLevel');
  });

  it('an update for someone unknown is 404', async () => {
    const r = await send({ type: 'elder.updated', county: fx.county, data: { idNumber: newIdNumber(fx.county), categories: [] } });
    expect(r.status).toBe(404);
  });
});
