import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, countyFixture, newIdNumber, token, uniqueCounty } from '../support/api.js';

let fx: Awaited<ReturnType<typeof countyFixture>>;
beforeAll(async () => {
  fx = await countyFixture();
});

describe('POST /v1/elders', () => {
  it('registers an elder, deriving birth date, age and gender, and never returns the ID number', async () => {
    const idNumber = newIdNumber(fx.county, '19460115', false);
    const r = await api('POST', '/v1/elders', {
      token: fx.staff,
      body: { idNumber, name: '李桂兰', phone: '13912345678', township: fx.township, categories: ['dibao', 'living_alone'], capabilityLevel: 2, dietaryNeeds: ['soft'], cardNo: `C-${fx.county}-1` },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      idNumberMasked: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`,
      birthDate: '1946-01-15',
      gender: 'female',
      county: fx.county,
      township: fx.township,
      categories: ['dibao', 'living_alone'],
      capabilityLevel: 2,
      status: 'active',
    });
    expect(r.body.age).toBeGreaterThanOrEqual(80);
    expect(r.body.id).toMatch(/^eld_/);
    expect(JSON.stringify(r.body)).not.toContain(idNumber);
  });

  it('stores the ID number only as fingerprint and sealed copy', async () => {
    const idNumber = newIdNumber(fx.county);
    const created = await fx.register({ idNumber });
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const all = await client.send(new ScanCommand({ TableName: 'Registry' }));
    const mine = (all.Items ?? []).filter((i) => JSON.stringify(i).includes(created.id));
    expect(mine.length).toBeGreaterThanOrEqual(2); // profile and ID guard
    expect(JSON.stringify(all.Items)).not.toContain(idNumber);
    client.destroy();
  });

  it('records the elder.registered event in the same write, without name or phone', async () => {
    const created = await fx.register({ name: '事件测试', phone: '13512345678' });
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint'), region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const out = await client.send(new GetItemCommand({ TableName: 'Registry', Key: { pk: { S: `ELDER#${created.id}` }, sk: { S: 'PROFILE' } } }));
    client.destroy();
    const evt = unmarshall(out.Item!).evt;
    expect(evt).toMatchObject({ type: 'elder.registered', county: fx.county, entity: `elder:${created.id}`, data: { elderId: created.id, township: fx.township } });
    expect(evt.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(JSON.stringify(evt)).not.toMatch(/事件测试|13512345678/);
  });

  it('answers an invalid ID number with 400 naming the field, together with other bad fields', async () => {
    const good = newIdNumber(fx.county);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const r = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: bad, name: '', township: fx.township, capabilityLevel: 7 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['idNumber', 'name', 'capabilityLevel']));
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'idNumber').message).toContain('check character');
  });

  it('rejects a birth date that does not exist', async () => {
    const r = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: `${fx.county}19450230001X`, name: '张三', township: fx.township } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0]).toMatchObject({ path: 'idNumber' });
  });

  it('answers an ID number already registered with 409 ELDER_EXISTS and the existing id', async () => {
    const idNumber = newIdNumber(fx.county);
    const first = await fx.register({ idNumber });
    const again = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: idNumber.toLowerCase(), name: '别名', township: fx.otherTownship } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ELDER_EXISTS');
    expect(again.body.error.details[0].id).toBe(first.id);
  });

  it('does not reveal the id of an elder registered in another county', async () => {
    const other = await countyFixture();
    const idNumber = newIdNumber(fx.county);
    await fx.register({ idNumber });
    const r = await api('POST', '/v1/elders', { token: other.staff, body: { idNumber, name: '王五', township: other.township } });
    expect(r.status).toBe(409);
    expect(r.body.error.details[0].id).toBeUndefined();
  });

  it('two parallel registrations of one ID number: exactly one 201, the rest 409', async () => {
    const idNumber = newIdNumber(fx.county);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => api('POST', '/v1/elders', { token: fx.staff, body: { idNumber, name: `并发${i}`, township: fx.township } })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = replies.find((r) => r.status === 201)!.body.id;
    for (const r of replies.filter((x) => x.status === 409)) expect(r.body.error.details[0].id).toBe(winner);
  });

  it('a card number in use is 409 CARD_IN_USE and leaves nothing half-written', async () => {
    const cardNo = `CARD-${fx.county}-9`;
    await fx.register({ cardNo });
    const idNumber = newIdNumber(fx.county);
    const clash = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber, name: '赵六', township: fx.township, cardNo } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('CARD_IN_USE');
    // The ID number was not claimed by the failed attempt: registering it now succeeds.
    const retry = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber, name: '赵六', township: fx.township } });
    expect(retry.status).toBe(201);
  });

  it('an unregistered township is 422 UNKNOWN_TOWNSHIP', async () => {
    const r = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: newIdNumber(fx.county), name: '孙七', township: `${fx.county}199` } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('UNKNOWN_TOWNSHIP');
  });

  it('a village must lie in the township', async () => {
    const r = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: newIdNumber(fx.county), name: '孙七', township: fx.township, village: `${fx.otherTownship}001` } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('village');
  });
});

describe('Idempotency-Key on POST /v1/elders', () => {
  it('the same key and body returns the first response again, creating nothing new', async () => {
    const body = { idNumber: newIdNumber(fx.county), name: '周八', township: fx.township };
    const headers = { 'idempotency-key': `k-${Math.random()}` };
    const first = await api('POST', '/v1/elders', { token: fx.staff, body, headers });
    const second = await api('POST', '/v1/elders', { token: fx.staff, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const headers = { 'idempotency-key': `k-${Math.random()}` };
    const first = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: newIdNumber(fx.county), name: '吴九', township: fx.township }, headers });
    expect(first.status).toBe(201);
    const other = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: newIdNumber(fx.county), name: '吴九', township: fx.township }, headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keys are per caller: another user\'s same key is a new request', async () => {
    const key = `shared-${Math.random()}`;
    const a = await api('POST', '/v1/elders', { token: fx.staff, body: { idNumber: newIdNumber(fx.county), name: '甲', township: fx.township }, headers: { 'idempotency-key': key } });
    const otherStaff = await token({ role: 'staff', sub: 'someone-else', county: fx.county });
    const b = await api('POST', '/v1/elders', { token: otherStaff, body: { idNumber: newIdNumber(fx.county), name: '乙', township: fx.township }, headers: { 'idempotency-key': key } });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('lookup and family links', () => {
  it('finds an elder by ID number or card number (minimal view)', async () => {
    const idNumber = newIdNumber(fx.county);
    const cardNo = `LK-${fx.county}`;
    const e = await fx.register({ idNumber, cardNo, phone: '13700000000' });
    const site = await token({ role: 'site', site: 'site-1', county: fx.county });
    const byId = await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber } });
    expect(byId.status).toBe(200);
    expect(byId.body.id).toBe(e.id);
    expect(byId.body.phone).toBeUndefined();
    expect(byId.body.categories).toBeUndefined();
    const byCard = await api('POST', '/v1/elders/lookup', { token: site, body: { cardNo } });
    expect(byCard.body.id).toBe(e.id);
  });

  it('is 404 for an unknown number and for an elder of another county', async () => {
    const site = await token({ role: 'site', site: 'site-1', county: fx.county });
    expect((await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber: newIdNumber(fx.county) } })).status).toBe(404);
    const other = await countyFixture();
    const idNumber = newIdNumber(other.county);
    await other.register({ idNumber });
    const r = await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });

  it('needs exactly one of idNumber and cardNo', async () => {
    const site = await token({ role: 'site', site: 'site-1', county: fx.county });
    expect((await api('POST', '/v1/elders/lookup', { token: site, body: {} })).status).toBe(400);
    expect((await api('POST', '/v1/elders/lookup', { token: site, body: { idNumber: newIdNumber(fx.county), cardNo: 'X1234' } })).status).toBe(400);
  });

  it('a linked family sees the full record; linking twice is 409 ALREADY_LINKED', async () => {
    const e = await fx.register({ phone: '13600000000' });
    const familySub = `fam-${Math.random().toString(36).slice(2)}`;
    const family = await token({ role: 'family', sub: familySub, county: fx.county });
    expect((await api('GET', `/v1/elders/${e.id}`, { token: family })).status).toBe(403);
    const link = await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub, relation: 'child' } });
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ elderId: e.id, familySub, relation: 'child' });
    const seen = await api('GET', `/v1/elders/${e.id}`, { token: family });
    expect(seen.status).toBe(200);
    expect(seen.body.phone).toBe('13600000000');
    const again = await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub, relation: 'child' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_LINKED');
  });

  it('GET /v1/me/elders lists the family\'s own linked elders (full view, no full ID number), nobody else\'s', async () => {
    const familySub = `fam-me-${Math.random().toString(36).slice(2)}`;
    const family = await token({ role: 'family', sub: familySub, county: fx.county });
    expect((await api('GET', '/v1/me/elders', { token: family })).body).toEqual({ items: [] });
    const [a, b, other] = [await fx.register({ phone: '13800000001' }), await fx.register(), await fx.register()];
    for (const e of [a, b]) await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub, relation: 'child' } });
    await api('POST', `/v1/elders/${other.id}/family-links`, { token: fx.staff, body: { familySub: `${familySub}-x`, relation: 'child' } });
    const mine = await api('GET', '/v1/me/elders', { token: family });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((e: { id: string }) => e.id).sort()).toEqual([a.id, b.id].sort());
    expect(mine.body.items.find((e: { id: string }) => e.id === a.id)).toMatchObject({ name: '王秀英', phone: '13800000001', township: fx.township });
    expect(JSON.stringify(mine.body)).not.toMatch(/\d{17}[\dX]/);
    // The same subject in another county sees nothing of this county.
    const elsewhere = await token({ role: 'family', sub: familySub, county: uniqueCounty() });
    expect((await api('GET', '/v1/me/elders', { token: elsewhere })).body).toEqual({ items: [] });
  });

  it('parallel links of one family to one elder: exactly one succeeds', async () => {
    const e = await fx.register();
    const replies = await Promise.all(Array.from({ length: 6 }, () => api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: 'fam-race', relation: 'spouse' } })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('linking to an unknown elder is 404', async () => {
    const r = await api('POST', '/v1/elders/eld_nobody/family-links', { token: fx.staff, body: { familySub: 'f', relation: 'child' } });
    expect(r.status).toBe(404);
  });
});
