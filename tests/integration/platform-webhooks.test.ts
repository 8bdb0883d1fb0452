import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newIdNumber } from '../support/api.js';
import { addDays, mealsFixture, today } from '../support/meals.js';
import { sendRawWebhook as sendRaw, sendWebhook as send } from '../support/webhooks.js';

let fx: Awaited<ReturnType<typeof mealsFixture>>;
beforeAll(async () => {
  fx = await mealsFixture();
});

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

  it('a correctly signed body that is not JSON is 400 naming the body, and the id stays free for the real message', async () => {
    const id = `msg_${randomUUID()}`;
    for (const raw of ['x', '', '{"type":', '\u0000']) {
      const r = await sendRaw(raw, { id });
      expect(r.status, JSON.stringify(raw)).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '', message: 'body is not valid JSON' }] });
    }
    const idNumber = newIdNumber(fx.county);
    const r = await send({ type: 'elder.enrolled', county: fx.county, data: { idNumber, name: '补发', township: fx.township } }, { id });
    expect(r.body.status).toBe('applied');
  });

  it('one webhook-id, one message: the same JSON value again is a duplicate, another body is 409 WEBHOOK_ID_REUSED and changes nothing', async () => {
    const a = newIdNumber(fx.county);
    const b = newIdNumber(fx.county);
    const id = `msg_${randomUUID()}`;
    const first = await send({ type: 'elder.enrolled', county: fx.county, data: { idNumber: a, name: '甲', township: fx.township } }, { id });
    expect(first.body.status).toBe('applied');
    // The same value with other key order and layout is the same message.
    const same = await sendRaw(`{ "county": "${fx.county}",\n  "data": { "township": "${fx.township}", "name": "甲", "idNumber": "${a}" }, "type": "elder.enrolled" }`, { id });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({ status: 'duplicate' });

    for (const other of [
      { type: 'elder.enrolled', county: fx.county, data: { idNumber: b, name: '乙', township: fx.township } },
      { type: 'elder.enrolled', county: fx.county, data: { idNumber: a, name: '甲甲', township: fx.township } },
      { type: 'elder.deceased', county: fx.county, data: { idNumber: a, dateOfDeath: today() } },
    ]) {
      const r = await send(other, { id });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'WEBHOOK_ID_REUSED', details: [{ path: 'webhook-id', in: 'header' }] });
    }
    const site = await (await import('../support/api.js')).token({ role: 'site', site: fx.site.id, county: fx.county });
    expect((await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber: b } })).status).toBe(404);
    const elder = await api('GET', `/v1/elders/${first.body.elderId}`, { token: fx.staff });
    expect(elder.body).toMatchObject({ name: '甲', status: 'active' });
  });

  it('deliveries racing on one webhook-id: exactly one applies; other bodies under that id never do', async () => {
    const id = `msg_${randomUUID()}`;
    const numbers = Array.from({ length: 5 }, () => newIdNumber(fx.county));
    const same = { type: 'elder.enrolled', county: fx.county, data: { idNumber: numbers[0], name: '竞', township: fx.township } };
    const replies = await Promise.all([
      ...Array.from({ length: 4 }, () => send(same, { id })),
      ...numbers.slice(1).map((n) => send({ ...same, data: { ...same.data, idNumber: n } }, { id })),
    ]);
    const outcome = (r: { status: number; body: any }) => (r.status === 200 ? r.body.status : r.body.error.code);
    expect(replies.map(outcome).filter((o) => o === 'applied')).toHaveLength(1);
    for (const r of replies.slice(0, 4)) expect(['applied', 'duplicate', 'IDEMPOTENCY_IN_PROGRESS', 'WEBHOOK_ID_REUSED']).toContain(outcome(r));
    const site = await (await import('../support/api.js')).token({ role: 'site', site: fx.site.id, county: fx.county });
    const registered = await Promise.all(numbers.map(async (n) => (await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber: n } })).status));
    expect(registered.filter((st) => st === 200)).toHaveLength(1);
    // Once it settles, the message that won answers duplicate, every other body 409.
    const winner = replies.findIndex((r) => outcome(r) === 'applied');
    const winnerBody = winner < 4 ? same : { ...same, data: { ...same.data, idNumber: numbers[winner - 3] } };
    expect((await send(winnerBody, { id })).body).toEqual({ status: 'duplicate' });
  });

  it('an invalid payload does not use up its webhook-id: the corrected message under the same id is applied', async () => {
    const id = `msg_${randomUUID()}`;
    const idNumber = newIdNumber(fx.county);
    const bad = await send({ type: 'elder.enrolled', county: fx.county, data: { idNumber, name: '\u200b', township: fx.township } }, { id });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'data.name' })]);
    const good = await send({ type: 'elder.enrolled', county: fx.county, data: { idNumber, name: '丙', township: fx.township } }, { id });
    expect(good.body.status).toBe('applied');
  });

  it('a webhook-id that is not 1-256 visible ASCII characters is 400', async () => {
    const r = await send({ type: 'elder.assessed', county: fx.county, data: { idNumber: newIdNumber(fx.county), capabilityLevel: 1 } }, { id: `msg_${'x'.repeat(300)}` });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ path: 'webhook-id', in: 'header' });
  });
});
