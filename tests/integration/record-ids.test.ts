import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, newIdNumber } from '../support/api.js';
import { mealsFixture } from '../support/meals.js';
import { servingKey } from '../../functions/meals/store/index.js';

/**
 * A clientRecordId means one record (issue 10, fault 3): sent again with the same content it
 * is a duplicate; reused for other content it is rejected RECORD_ID_CONFLICT and the first
 * record is left exactly as it was.
 */
let fx: Awaited<ReturnType<typeof mealsFixture>>;
let device: string;
const client = () => new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
let db: DynamoDBClient;
beforeAll(async () => {
  fx = await mealsFixture();
  device = await fx.siteToken();
  db = client();
});
afterAll(() => db.destroy());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const send = (records: unknown[], siteId = fx.site.id, t = device) => api('POST', `/v1/meal-sites/${siteId}/servings`, { token: t, body: { records } });
const servingsOn = async (date: string) => (await api('GET', `/v1/meal-sites/${fx.site.id}/servings?date=${date}&limit=500`, { token: fx.staff })).body.items as { id: string; clientRecordId: string; elderId: string; subsidyFen: number; mode: string; slot: string; servedAt: string }[];
const cstDateOf = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
/** The serving's item as stored, by the store's own key of its id. */
const keyOf = (id: string) => {
  const k = servingKey(id)!;
  return { pk: { S: k.pk }, sk: { S: k.sk } };
};
const rawServing = async (id: string) => {
  const out = await db.send(new GetItemCommand({ TableName: 'Meals', Key: keyOf(id) }));
  return out.Item ? unmarshall(out.Item) : undefined;
};

describe('one clientRecordId, one record', () => {
  it('the same id for another elder in the same slot is RECORD_ID_CONFLICT; the first serving is untouched', async () => {
    const [a, b] = [await fx.register(), await fx.register()];
    const at = minutesAgo(20);
    const recordA = { clientRecordId: `t7-0001-${a.id}`, elderId: a.id, servedAt: at.toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' };
    const first = await send([recordA]);
    expect(first.body.results[0]).toMatchObject({ status: 'accepted', subsidyFen: 500 });
    const before = await rawServing(first.body.results[0].servingId);

    const forB = await send([{ ...recordA, elderId: b.id }]);
    expect(forB.status).toBe(200);
    expect(forB.body.results[0]).toEqual({
      clientRecordId: recordA.clientRecordId,
      status: 'rejected',
      error: { code: 'RECORD_ID_CONFLICT', message: expect.any(String), details: [expect.objectContaining({ path: 'clientRecordId', servingId: first.body.results[0].servingId })] },
    });
    // Nothing of A's record changed; B has no serving; B's slot is still unsubsidised.
    expect(await rawServing(first.body.results[0].servingId)).toEqual(before);
    const day = await servingsOn(cstDateOf(at));
    expect(day.filter((s) => s.clientRecordId === recordA.clientRecordId)).toEqual([expect.objectContaining({ elderId: a.id, subsidyFen: 500 })]);
    expect(day.some((s) => s.elderId === b.id)).toBe(false);
    const realB = await send([{ ...recordA, clientRecordId: `t7-0002-${b.id}`, elderId: b.id }]);
    expect(realB.body.results[0]).toMatchObject({ status: 'accepted', subsidyFen: 500 });

    // A's record sent again, as it was: a duplicate with the first serving.
    expect((await send([recordA])).body.results[0]).toMatchObject({ status: 'duplicate', servingId: first.body.results[0].servingId, subsidyFen: 500 });
  });

  it('the same record written differently is the same record; any field the device sent changed is a conflict', async () => {
    const idNumber = newIdNumber(fx.county);
    const elder = await fx.register({ idNumber, cardNo: `RC-${fx.county}-1` });
    const other = await fx.register();
    const at = minutesAgo(30);
    at.setUTCMilliseconds(0);
    const base = { clientRecordId: `same-${elder.id}`, idNumber, servedAt: at.toISOString(), mode: 'dine_in', verifiedBy: 'id_card' };
    const first = await send([base]);
    expect(first.body.results[0].status).toBe('accepted');
    const servingId = first.body.results[0].servingId;

    // The same instant in China Standard Time, the slot named instead of inferred, a lower-case
    // check character, keys in another order: the same record.
    const cst = new Date(at.getTime() + 8 * 3600_000).toISOString().replace('.000Z', '+08:00');
    const inferredSlot = (await servingsOn(cstDateOf(at))).find((s) => s.id === servingId)!;
    for (const same of [
      { ...base, servedAt: cst },
      { verifiedBy: 'id_card', mode: 'dine_in', servedAt: base.servedAt, idNumber: idNumber.toLowerCase(), clientRecordId: base.clientRecordId },
      { ...base, slot: inferredSlot.slot },
      { ...base, subsidyFen: 0, note: 'fields the API ignores are not content' },
    ]) {
      expect((await send([same])).body.results[0], JSON.stringify(same)).toMatchObject({ status: 'duplicate', servingId });
    }
    const { idNumber: _drop, ...withoutId } = base;
    for (const changed of [
      { ...base, servedAt: new Date(at.getTime() + 60_000).toISOString() },
      { ...base, mode: 'pickup' },
      { ...base, verifiedBy: 'manual' },
      { ...base, idNumber: newIdNumber(fx.county) },
      { ...withoutId, elderId: elder.id }, // the same elder, named another way: not what was sent
      { ...withoutId, cardNo: `RC-${fx.county}-1` },
      { ...withoutId, elderId: other.id },
      { ...base, bookingId: 'bk_none' },
    ]) {
      const r = (await send([changed])).body.results[0];
      expect(r, JSON.stringify(changed)).toMatchObject({ status: 'rejected', error: { code: 'RECORD_ID_CONFLICT' } });
    }
    expect((await servingsOn(cstDateOf(at))).filter((s) => s.clientRecordId === base.clientRecordId)).toHaveLength(1);
    // The digest is kept; the ID number is not, in any form a reader could use.
    const item = await rawServing(servingId);
    expect(item?.digest).toMatch(/^1\.[A-Za-z0-9_-]{11}$/);
    expect(JSON.stringify(item)).not.toContain(idNumber.slice(6, 14));
  });

  it('within one request: the same id for another record is a conflict even on another date; the same record twice is a duplicate', async () => {
    const [a, b] = [await fx.register(), await fx.register()];
    const today = minutesAgo(1);
    const yesterday = new Date(today.getTime() - 86_400_000);
    const id = `batch-dup-${a.id}`;
    const r = await send([
      { clientRecordId: id, elderId: a.id, servedAt: today.toISOString(), mode: 'dine_in', verifiedBy: 'card' },
      { clientRecordId: id, elderId: b.id, servedAt: yesterday.toISOString(), mode: 'dine_in', verifiedBy: 'card' },
      { clientRecordId: id, elderId: a.id, servedAt: today.toISOString(), mode: 'dine_in', verifiedBy: 'card' },
    ]);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'rejected', 'duplicate']);
    expect(r.body.results[1].error.code).toBe('RECORD_ID_CONFLICT');
    expect(r.body.results[2].servingId).toBe(r.body.results[0].servingId);
    expect((await servingsOn(cstDateOf(yesterday))).some((s) => s.clientRecordId === id)).toBe(false);
  });

  it('a resent batch with one record changed: the others duplicates, the changed one a conflict', async () => {
    const elders = await Promise.all(Array.from({ length: 4 }, () => fx.register()));
    const records = elders.map((e, i) => ({ clientRecordId: `rs-${e.id}`, elderId: e.id, servedAt: minutesAgo(10 + i).toISOString(), mode: 'dine_in', verifiedBy: 'face' }));
    const first = await send(records);
    expect(first.body.results.every((x: { status: string }) => x.status === 'accepted')).toBe(true);
    const again = await send(records.map((x, i) => (i === 2 ? { ...x, mode: 'pickup' } : x)));
    expect(again.body.results.map((x: { status: string; error?: { code: string } }) => x.error?.code ?? x.status)).toEqual(['duplicate', 'duplicate', 'RECORD_ID_CONFLICT', 'duplicate']);
  });

  it('a serving stored before digests were kept is compared on the fields it keeps', async () => {
    const elder = await fx.register();
    const rec = { clientRecordId: `old-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(5).toISOString(), mode: 'dine_in', verifiedBy: 'card' };
    const first = await send([rec]);
    const servingId = first.body.results[0].servingId;
    await db.send(new UpdateItemCommand({ TableName: 'Meals', Key: keyOf(servingId), UpdateExpression: 'REMOVE digest' }));
    expect((await rawServing(servingId))?.digest).toBeUndefined();
    expect((await send([rec])).body.results[0]).toMatchObject({ status: 'duplicate', servingId });
    expect((await send([{ ...rec, verifiedBy: 'manual' }])).body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'RECORD_ID_CONFLICT' } });
  });

  it('ids are per site: another site may use the same clientRecordId', async () => {
    const other = await fx.newSite();
    const elder = await fx.register();
    const rec = { clientRecordId: `shared-${elder.id}`, elderId: elder.id, servedAt: minutesAgo(3).toISOString(), slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' };
    expect((await send([rec])).body.results[0].status).toBe('accepted');
    expect((await send([{ ...rec, slot: 'dinner' }], other.id, await fx.siteToken(other.id))).body.results[0].status).toBe('accepted');
  });
});
