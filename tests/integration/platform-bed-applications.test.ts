import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, countyFixture, newIdNumber } from '../support/api.js';
import { sendWebhook as send } from '../support/webhooks.js';

/**
 * The platform files care-bed applications by a signed `bed_application.filed` webhook (issue
 * 16): through the beds context's own use case, so the waiting list's rules hold as for staff,
 * and with the webhook's own guarantees (signature, replay, idempotent applying).
 */
type Fx = Awaited<ReturnType<typeof countyFixture>>;
const todayCst = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

let fx: Fx;
let inst: string;
beforeAll(async () => {
  fx = await countyFixture();
  const policy = {
    effectiveFrom: '2020-01-01',
    classes: [{ name: '特困供养', match: { categories: ['tekun'] } }, { name: '高龄', match: { minAge: 80 } }],
    declinesBeforeRequeue: 2,
  };
  expect((await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy })).status).toBe(200);
  inst = (await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '城关镇敬老院', township: fx.township, kind: 'welfare_home' } })).body.id;
});

/** An elder registered by staff, known to the platform by ID number. */
const registered = async (more: Record<string, unknown> = {}) => {
  const idNumber = newIdNumber(fx.county);
  return { idNumber, elder: await fx.register({ idNumber, ...more }) };
};
const filed = (idNumber: string, more: Record<string, unknown> = {}) =>
  ({ type: 'bed_application.filed', county: fx.county, data: { idNumber, careType: 'nursing', ...more } });

describe('bed_application.filed', () => {
  it('files an application that joins the queue with its class; the same webhook-id again is a duplicate', async () => {
    const { idNumber, elder } = await registered({ categories: ['tekun'], capabilityLevel: 3 });
    const id = `msg_${randomUUID()}`;
    const body = filed(idNumber, { tags: ['dementia_care'], institutionIds: [inst] });
    const r = await send(body, { id });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'applied', elderId: elder.id });
    const applicationId = r.body.applicationId as string;
    expect(applicationId).toMatch(/^app_/);

    const q = await api('GET', `/v1/bed-applications?institutionId=${inst}`, { token: fx.staff });
    const entry = q.body.items.find((i: { id: string }) => i.id === applicationId);
    expect(entry).toMatchObject({ elderId: elder.id, status: 'waiting', priorityClass: '特困供养', careType: 'nursing', tags: ['dementia_care'], capabilityLevelAtFiling: 3 });
    // Audit trails show where it came from: the webhook, not a person.
    const one = await api('GET', `/v1/bed-applications/${applicationId}`, { token: fx.staff });
    expect(one.body.filedBy).toBe(`platform:${id}`);

    expect((await send(body, { id })).body).toEqual({ status: 'duplicate' });
    expect((await api('GET', '/v1/bed-applications', { token: fx.staff })).body.items.filter((i: { elderId: string }) => i.elderId === elder.id)).toHaveLength(1);
  });

  it('a second event for an elder with an open application is unchanged, naming the open one (not a 409)', async () => {
    const { idNumber, elder } = await registered();
    const first = await send(filed(idNumber));
    expect(first.body.status).toBe('applied');
    const again = await send(filed(idNumber, { careType: 'ordinary' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'unchanged', elderId: elder.id, applicationId: first.body.applicationId });
    const mine = (await api('GET', '/v1/bed-applications', { token: fx.staff })).body.items.filter((i: { elderId: string }) => i.elderId === elder.id);
    expect(mine.map((i: { id: string; careType: string }) => [i.id, i.careType])).toEqual([[first.body.applicationId, 'nursing']]);
  });

  it('a bad signature is 401 and files nothing', async () => {
    const { idNumber, elder } = await registered();
    const r = await send(filed(idNumber), { key: `whsec_${Buffer.alloc(32, 9).toString('base64')}` });
    expect(r.status).toBe(401);
    expect((await api('GET', `/v1/elders/${elder.id}/bed-application`, { token: fx.staff })).status).toBe(404);
  });

  it('an ID number nobody registered is 404; an elder of another county 403', async () => {
    const unknown = await send(filed(newIdNumber(fx.county)));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const other = await countyFixture();
    const idNumber = newIdNumber(other.county);
    await other.register({ idNumber });
    const elsewhere = await send(filed(idNumber));
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error.code).toBe('FORBIDDEN');
  });

  it('an elder recorded deceased is 422 ELDER_DECEASED', async () => {
    const { idNumber, elder } = await registered();
    expect((await send({ type: 'elder.deceased', county: fx.county, data: { idNumber, dateOfDeath: todayCst() } })).body.status).toBe('applied');
    const r = await send(filed(idNumber));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ELDER_DECEASED');
    // Named where the webhook's body has it: the platform sent an ID number, not our elder id.
    expect(r.body.error.details[0]).toMatchObject({ path: 'data.idNumber', dateOfDeath: todayCst() });
    expect((await api('GET', `/v1/elders/${elder.id}/bed-application`, { token: fx.staff })).status).toBe(404);
  });

  it('an institution not of the county is 404; the webhook-id stays free, so the corrected message applies', async () => {
    const { idNumber } = await registered();
    const id = `msg_${randomUUID()}`;
    const r = await send(filed(idNumber, { institutionIds: ['inst_nowhere'] }), { id });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toContain('institutionIds.0');
    const fixed = await send(filed(idNumber, { institutionIds: [inst] }), { id });
    expect(fixed.body.status).toBe('applied');
  });

  it('a tag that is not a bed tag, or a township of another county, is 400 naming the field in the body', async () => {
    const { idNumber } = await registered();
    const r = await send(filed(idNumber, { tags: ['Dementia Care'] }));
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain('data.tags.0');
    const away = await send(filed(idNumber, { township: '110105001' }));
    expect(away.status).toBe(400);
    expect(away.body.error.details.map((d: { path: string }) => d.path)).toEqual(['data.township']);
  });
});
