import { beforeAll, describe, expect, it } from 'vitest';
import { recount, type BedStatus } from '../../functions/beds/domain/occupancy.js';
import { api, countyFixture, token } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';

let fx: Awaited<ReturnType<typeof countyFixture>>;
beforeAll(async () => {
  fx = await countyFixture();
});

async function institution(township = fx.township, name = '城关镇敬老院') {
  const r = await api('POST', '/v1/institutions', { token: fx.staff, body: { name, township, kind: 'welfare_home', starRating: 3 } });
  expect(r.status).toBe(201);
  return r.body as { id: string };
}
const instToken = (id: string) => token({ role: 'institution', sub: `inst-user-${id}`, county: fx.county, institution: id });
async function addBeds(instId: string, beds: { label: string; careType: 'nursing' | 'ordinary'; tags?: string[] }[], t = fx.staff) {
  const r = await api('POST', `/v1/institutions/${instId}/beds`, { token: t, body: { beds } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.items as { id: string; label: string }[];
}
const occupancy = async (q = '') => (await api('GET', `/v1/occupancy${q}`, { token: fx.staff })).body;

describe('institutions and beds', () => {
  it('adds beds in bulk with labels staff understand; a label twice is 409; other institutions are refused', async () => {
    const inst = await institution();
    const t = await instToken(inst.id);
    const beds = await addBeds(inst.id, [
      { label: '1号楼-2层-201-1床', careType: 'nursing', tags: ['dementia_care'] },
      { label: '1号楼-2层-201-2床', careType: 'nursing' },
      { label: '2号楼-1层-101-1床', careType: 'ordinary' },
    ], t);
    expect(beds).toHaveLength(3);
    const list = await api('GET', `/v1/institutions/${inst.id}/beds?status=vacant`, { token: t });
    expect(list.body.items.map((b: { label: string }) => b.label).sort()).toEqual(beds.map((b) => b.label).sort());
    // Lists page with limit and nextToken.
    const p1 = await api('GET', `/v1/institutions/${inst.id}/beds?limit=2`, { token: t });
    expect(p1.body.items).toHaveLength(2);
    const p2 = await api('GET', `/v1/institutions/${inst.id}/beds?limit=2&nextToken=${p1.body.nextToken}`, { token: t });
    expect(p2.body.items).toHaveLength(1);
    expect(p2.body.nextToken).toBeUndefined();
    expect([...p1.body.items, ...p2.body.items].map((b: { label: string }) => b.label)).toEqual(beds.map((b) => b.label).sort());
    expect((await api('GET', `/v1/institutions/${inst.id}/beds?limit=501`, { token: t })).body.error.details[0]).toMatchObject({ path: 'limit', in: 'query' });
    const again = await api('POST', `/v1/institutions/${inst.id}/beds`, { token: t, body: { beds: [{ label: '9号', careType: 'ordinary' }, { label: '1号楼-2层-201-1床', careType: 'ordinary' }] } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BED_LABEL_EXISTS');
    // All or nothing: the new label of the refused request was not added.
    expect((await api('GET', `/v1/institutions/${inst.id}/beds`, { token: t })).body.items).toHaveLength(3);

    const other = await institution();
    const otherToken = await instToken(other.id);
    expect((await api('POST', `/v1/institutions/${inst.id}/beds`, { token: otherToken, body: { beds: [{ label: 'x', careType: 'ordinary' }] } })).status).toBe(403);
    expect((await api('GET', `/v1/institutions/${inst.id}/beds`, { token: otherToken })).status).toBe(403);
    expect((await api('PUT', `/v1/beds/${beds[0]!.id}/status`, { token: otherToken, body: { status: 'reserved' } })).status).toBe(403);
  });

  it('admits, transfers and discharges, keeping counters right; an occupied bed cannot change status', async () => {
    const inst = await institution();
    const [n1, n2, o1] = await addBeds(inst.id, [{ label: 'A1', careType: 'nursing' }, { label: 'A2', careType: 'nursing' }, { label: 'B1', careType: 'ordinary' }]);
    const elder = await fx.register();
    const admitted = await api('POST', `/v1/institutions/${inst.id}/admissions`, { token: fx.staff, body: { bedId: o1!.id, elderId: elder.id, admittedAt: new Date().toISOString() } });
    expect(admitted.status).toBe(201);
    // Exactly the Residence schema's fields (it forbids others: no county).
    expect(Object.keys(admitted.body).sort()).toEqual(['bedId', 'bedLabel', 'elderId', 'institutionId', 'since']);
    expect(admitted.body).toMatchObject({ elderId: elder.id, institutionId: inst.id, bedId: o1!.id, bedLabel: 'B1' });
    let occ = await occupancy(`?institutionId=${inst.id}`);
    expect(occ).toMatchObject({ beds: 3, occupied: 1, vacant: 2, nursing: { beds: 2, occupied: 0, vacant: 2 } });

    expect((await api('PUT', `/v1/beds/${o1!.id}/status`, { token: fx.staff, body: { status: 'out_of_service' } })).body.error.code).toBe('BED_OCCUPIED');
    const moved = await api('POST', `/v1/institutions/${inst.id}/transfers`, { token: fx.staff, body: { elderId: elder.id, toBedId: n1!.id, reason: '需要护理' } });
    expect(moved.status).toBe(200);
    expect(moved.body.bedId).toBe(n1!.id);
    expect(Object.keys(moved.body).sort()).toEqual(['bedId', 'bedLabel', 'elderId', 'institutionId', 'since']);
    occ = await occupancy(`?institutionId=${inst.id}`);
    expect(occ).toMatchObject({ occupied: 1, nursing: { occupied: 1, vacant: 1 } });

    await api('PUT', `/v1/beds/${n2!.id}/status`, { token: fx.staff, body: { status: 'reserved' } });
    expect((await api('POST', `/v1/institutions/${inst.id}/transfers`, { token: fx.staff, body: { elderId: elder.id, toBedId: n2!.id } })).body.error.code).toBe('BED_NOT_VACANT');
    const out = await api('POST', `/v1/institutions/${inst.id}/discharges`, { token: fx.staff, body: { elderId: elder.id, dischargedAt: new Date().toISOString(), reason: '回家' } });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ id: n1!.id, status: 'vacant' });
    occ = await occupancy(`?institutionId=${inst.id}`);
    expect(occ).toMatchObject({ beds: 3, occupied: 0, vacant: 2, reserved: 1 });
    expect((await api('POST', `/v1/institutions/${inst.id}/discharges`, { token: fx.staff, body: { elderId: elder.id, dischargedAt: new Date().toISOString(), reason: '再次' } })).body.error.code).toBe('NOT_ADMITTED_HERE');
    // Every change kept who, when and why, newest first.
    const log = await api('GET', `/v1/institutions/${inst.id}/log`, { token: fx.staff });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['discharged', 'status_changed', 'transferred', 'admitted', 'beds_added']);
    expect(log.body.items[0]).toMatchObject({ by: `staff:staff-${fx.county}`, elderId: elder.id, reason: '回家' });
    expect(log.body.items[2]).toMatchObject({ bedId: o1!.id, toBedId: n1!.id, reason: '需要护理' });
  });

  it('20 parallel admissions of different elders into one vacant bed: exactly one succeeds', async () => {
    const inst = await institution();
    const [bed] = await addBeds(inst.id, [{ label: 'ONLY', careType: 'nursing' }]);
    const elders = await Promise.all(Array.from({ length: 20 }, () => fx.register()));
    const replies = await Promise.all(elders.map((e) => api('POST', `/v1/institutions/${inst.id}/admissions`, { token: fx.staff, body: { bedId: bed!.id, elderId: e.id, admittedAt: new Date().toISOString() } })));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409 && r.body.error.code === 'BED_NOT_VACANT')).toHaveLength(19);
    expect(await occupancy(`?institutionId=${inst.id}`)).toMatchObject({ beds: 1, occupied: 1, vacant: 0 });
  });

  it('the same elder admitted to two institutions in parallel: exactly one succeeds', async () => {
    for (let round = 0; round < 3; round++) {
      const [a, b] = [await institution(), await institution(fx.otherTownship)];
      const [bedA] = await addBeds(a.id, [{ label: 'X', careType: 'ordinary' }]);
      const [bedB] = await addBeds(b.id, [{ label: 'Y', careType: 'ordinary' }]);
      const elder = await fx.register();
      const [ra, rb] = await Promise.all([
        api('POST', `/v1/institutions/${a.id}/admissions`, { token: fx.staff, body: { bedId: bedA!.id, elderId: elder.id, admittedAt: new Date().toISOString() } }),
        api('POST', `/v1/institutions/${b.id}/admissions`, { token: fx.staff, body: { bedId: bedB!.id, elderId: elder.id, admittedAt: new Date().toISOString() } }),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([201, 409]);
      expect([ra, rb].find((r) => r.status === 409)!.body.error.code).toBe('ELDER_ALREADY_ADMITTED');
    }
  });

  // 600 requests in sequence: 13 s alone, 21 s and more on a busy 2-core machine. Its own budget
  // (not the suite's 30 s) so load makes it slower, never red.
  it('after a few hundred random admissions, discharges, transfers and status changes, the counters equal a recount', { timeout: 150_000 }, async () => {
    const county = await countyFixture();
    const insts: string[] = [];
    for (const [k, t] of [[0, county.township], [1, county.township], [2, county.otherTownship]] as const) {
      const r = await api('POST', '/v1/institutions', { token: county.staff, body: { name: `机构${k}`, township: t, kind: 'private' } });
      insts.push(r.body.id);
      await api('POST', `/v1/institutions/${r.body.id}/beds`, { token: county.staff, body: { beds: Array.from({ length: 8 }, (_, i) => ({ label: `R${i}`, careType: i % 3 === 0 ? 'ordinary' : 'nursing', tags: i % 4 === 0 ? ['dementia_care'] : [] })) } });
    }
    const elders = await Promise.all(Array.from({ length: 20 }, () => county.register()));
    // xorshift32: a fixed seed, so a failure replays the same sequence.
    let seed = 20261124;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const beds = async (inst: string) => (await api('GET', `/v1/institutions/${inst}/beds`, { token: county.staff })).body.items as { id: string; status: BedStatus; careType: 'nursing' | 'ordinary'; tags: string[]; occupant?: { elderId: string } }[];
    const statuses = { ok: 0, refused: 0 };
    for (let step = 0; step < 300; step++) {
      const inst = insts[rand(insts.length)]!;
      const list = await beds(inst);
      const bed = list[rand(list.length)]!;
      const elder = elders[rand(elders.length)]!;
      const op = rand(4);
      const r =
        op === 0 ? await api('POST', `/v1/institutions/${inst}/admissions`, { token: county.staff, body: { bedId: bed.id, elderId: elder.id, admittedAt: new Date().toISOString() } })
        : op === 1 ? await api('POST', `/v1/institutions/${inst}/discharges`, { token: county.staff, body: { elderId: (list.find((b) => b.occupant)?.occupant?.elderId ?? elder.id), dischargedAt: new Date().toISOString(), reason: '随机' } })
        : op === 2 ? await api('POST', `/v1/institutions/${inst}/transfers`, { token: county.staff, body: { elderId: (list.find((b) => b.occupant)?.occupant?.elderId ?? elder.id), toBedId: bed.id } })
        : await api('PUT', `/v1/beds/${bed.id}/status`, { token: county.staff, body: { status: (['vacant', 'reserved', 'out_of_service'] as const)[rand(3)] } });
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      statuses[r.status < 300 ? 'ok' : 'refused']++;
    }
    expect(statuses.ok).toBeGreaterThan(50);

    const all = await Promise.all(insts.map(beds));
    const get = async (q: string) => (await api('GET', `/v1/occupancy${q}`, { token: county.staff })).body;
    const countsOf = (o: Record<string, number> & { nursing: Record<string, number> }) => ({
      beds: o.beds, occupied: o.occupied, vacant: o.vacant, reserved: o.reserved, outOfService: o.outOfService,
      nursingBeds: o.nursing.beds, nursingOccupied: o.nursing.occupied, nursingVacant: o.nursing.vacant, homeCareBeds: o.homeCareBeds,
    });
    for (const [k, inst] of insts.entries()) expect(countsOf(await get(`?institutionId=${inst}`)), `institution ${k}`).toEqual(recount(all[k]!));
    expect(countsOf(await get(`?township=${county.township}`))).toEqual(recount([...all[0]!, ...all[1]!]));
    expect(countsOf(await get(`?township=${county.otherTownship}`))).toEqual(recount(all[2]!));
    expect(countsOf(await get(''))).toEqual(recount(all.flat()));
    // And every occupant is resident exactly once.
    const occupants = all.flat().flatMap((b) => (b.occupant ? [b.occupant.elderId] : []));
    expect(new Set(occupants).size).toBe(occupants.length);
  });
});

describe('home care beds, vacancies, history and areas', () => {
  it('home care beds are opened, counted apart from institution beds, and closed', async () => {
    const inst = await institution(fx.otherTownship, '东关镇区域养老服务中心');
    const elder = await fx.register();
    const before = (await occupancy(`?institutionId=${inst.id}`)).homeCareBeds;
    const open = await api('POST', '/v1/home-care-beds', { token: await instToken(inst.id), body: { elderId: elder.id, institutionId: inst.id, address: '东关镇幸福村 3 组 12 号', startedAt: '2026-11-01' } });
    expect(open.status).toBe(201);
    expect((await api('POST', '/v1/home-care-beds', { token: fx.staff, body: { elderId: elder.id, institutionId: inst.id, address: 'x', startedAt: '2026-11-01' } })).body.error.code).toBe('HOME_CARE_BED_EXISTS');
    const occ = await occupancy(`?institutionId=${inst.id}`);
    expect(occ.homeCareBeds).toBe(before + 1);
    expect(occ.beds).toBe(0);
    const closed = await api('POST', `/v1/home-care-beds/${open.body.id}/close`, { token: fx.staff, body: { closedAt: '2026-11-20' } });
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: '2026-11-20' });
    expect((await occupancy(`?institutionId=${inst.id}`)).homeCareBeds).toBe(before);
  });

  it('vacancy search by care type and tag, flagging institutions silent for more than 7 days', async () => {
    const inst = await institution(fx.township, '城关镇认知症照护中心');
    await addBeds(inst.id, [{ label: 'D1', careType: 'nursing', tags: ['dementia_care'] }, { label: 'D2', careType: 'nursing', tags: ['dementia_care'] }, { label: 'O1', careType: 'ordinary' }]);
    const r = await api('GET', `/v1/vacancies?careType=nursing&tag=dementia_care&township=${fx.township}`, { token: fx.staff });
    const mine = r.body.items.find((i: { institutionId: string }) => i.institutionId === inst.id);
    expect(mine).toMatchObject({ vacant: 2, stale: false, name: '城关镇认知症照护中心' });
    const ordinary = await api('GET', `/v1/vacancies?careType=ordinary&township=${fx.township}`, { token: fx.staff });
    expect(ordinary.body.items.find((i: { institutionId: string }) => i.institutionId === inst.id).vacant).toBe(1);
    useLocalEnv();
    const { findVacancies } = await import('../../functions/beds/occupancy.js');
    const later = await findVacancies({ sub: 's', role: 'staff', county: fx.county }, { careType: 'nursing' }, new Date(Date.now() + 8 * 86_400_000));
    expect(later.items.find((i) => i.institutionId === inst.id)?.stale).toBe(true);
  });

  it('occupancy includes beds per 1,000 elders from township populations, and one history point a day', async () => {
    const occ = await occupancy(`?township=${fx.township}`);
    expect(occ.elderlyPopulation).toBe(5000);
    expect(occ.bedsPer1000Elders).toBeCloseTo((occ.beds / 5000) * 1000, 1);
    expect(occ.byInstitution.length).toBeGreaterThan(0);
    useLocalEnv();
    const { snapshotOccupancy } = await import('../../functions/beds/occupancy.js');
    expect(await snapshotOccupancy(new Date())).toBeGreaterThan(0);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const h = await api('GET', `/v1/occupancy/history?from=${today}&to=${today}&township=${fx.township}`, { token: fx.staff });
    expect(h.body.items).toEqual([expect.objectContaining({ date: today, beds: occ.beds, occupied: occ.occupied })]);
  });

  it('township staff see only their township', async () => {
    const t2 = await token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    expect((await api('GET', `/v1/occupancy?township=${fx.township}`, { token: t2 })).status).toBe(403);
    const own = await api('GET', '/v1/occupancy', { token: t2 });
    expect(own.body.scope.township).toBe(fx.otherTownship);
    expect(own.body.byTownship.map((t: { township: string }) => t.township)).toEqual([fx.otherTownship]);
    expect((await api('GET', `/v1/vacancies?township=${fx.township}`, { token: t2 })).status).toBe(403);
  });
});

describe('bed tags: at most 16 distinct per institution, in the schema and at write time', () => {
  // Tags as long as the schema allows (32 characters), the worst case for the counter item.
  const longTag = (i: number) => `t${String(i).padStart(2, '0')}_${'x'.repeat(28)}`;
  const post = (instId: string, beds: unknown[]) => api('POST', `/v1/institutions/${instId}/beds`, { token: fx.staff, body: { beds } });

  it('answers 34 beds with 10 distinct tags each (340 tags) with a clear 400, not a 500', async () => {
    const inst = await institution();
    const beds = Array.from({ length: 34 }, (_, b) => ({ label: `T${b}`, careType: 'nursing', tags: Array.from({ length: 10 }, (_, t) => `tag_${b}_${t}`) }));
    const r = await post(inst.id, beds);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'beds', message: 'at most 16 distinct tags across an institution\'s beds' }] });
  });

  it('takes 16 distinct tags in a request and refuses 17', async () => {
    const inst = await institution();
    const tags = Array.from({ length: 17 }, (_, i) => longTag(i));
    const over = await post(inst.id, [{ label: 'A', careType: 'nursing', tags: tags.slice(0, 9) }, { label: 'B', careType: 'ordinary', tags: tags.slice(9, 17) }]);
    expect(over.status).toBe(400);
    expect(over.body.error.details).toEqual([expect.objectContaining({ path: 'beds' })]);
    const at = await post(inst.id, [{ label: 'A', careType: 'nursing', tags: tags.slice(0, 9) }, { label: 'B', careType: 'ordinary', tags: tags.slice(9, 16) }]);
    expect(at.status, JSON.stringify(at.body)).toBe(201);
  });

  it('counts the tags the institution\'s beds already carry: 12 in use, 4 more are taken, 5 more are 422', async () => {
    const inst = await institution();
    await addBeds(inst.id, [{ label: 'A', careType: 'nursing', tags: Array.from({ length: 10 }, (_, i) => `old_${i}`) }, { label: 'B', careType: 'ordinary', tags: ['old_10', 'old_11'] }]);
    const five = await post(inst.id, [{ label: 'C', careType: 'nursing', tags: ['old_1', 'new_1', 'new_2', 'new_3', 'new_4', 'new_5'] }]);
    expect(five.status).toBe(422);
    expect(five.body.error).toMatchObject({ code: 'TOO_MANY_TAGS', details: [{ path: 'beds', message: '5 new tags, 12 in use' }] });
    expect(five.body.error.details[0].inUse).toHaveLength(12);
    // Nothing of the refused request was written.
    expect((await api('GET', `/v1/institutions/${inst.id}/beds`, { token: fx.staff })).body.items).toHaveLength(2);
    expect((await post(inst.id, [{ label: 'C', careType: 'nursing', tags: ['old_1', 'new_1', 'new_2', 'new_3', 'new_4'] }])).status).toBe(201);
    // Full: tags in use still go on new beds; any other is refused.
    expect((await post(inst.id, [{ label: 'D', careType: 'ordinary', tags: ['new_4', 'old_0'] }])).status).toBe(201);
    expect((await post(inst.id, [{ label: 'E', careType: 'ordinary', tags: ['another'] }])).body.error.code).toBe('TOO_MANY_TAGS');
  });

  it('two requests bringing new tags at once cannot pass the bound together', async () => {
    const inst = await institution();
    const tagsOf = (p: string) => Array.from({ length: 9 }, (_, i) => `${p}_${i}`);
    const [a, b] = await Promise.all([post(inst.id, [{ label: 'A', careType: 'nursing', tags: tagsOf('a') }]), post(inst.id, [{ label: 'B', careType: 'nursing', tags: tagsOf('b') }])]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
  });

  it('reads the tags of counters written before the institution\'s tag set was kept', async () => {
    const inst = await institution();
    await addBeds(inst.id, [{ label: 'A', careType: 'nursing', tags: Array.from({ length: 10 }, (_, i) => `legacy_${i}`) }]);
    useLocalEnv();
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db } = await import('../../functions/lib/dynamo.js');
    const { counterKeys } = await import('../../functions/beds/store.js');
    await db().send(new UpdateCommand({ TableName: process.env.BEDS_TABLE!, Key: counterKeys({ id: inst.id, county: fx.county, township: fx.township })[0], UpdateExpression: 'REMOVE tags' }));
    const r = await post(inst.id, [{ label: 'B', careType: 'ordinary', tags: Array.from({ length: 7 }, (_, i) => `fresh_${i}`) }]);
    expect(r.body.error).toMatchObject({ code: 'TOO_MANY_TAGS', details: [{ message: '7 new tags, 10 in use' }] });
    expect((await post(inst.id, [{ label: 'B', careType: 'ordinary', tags: Array.from({ length: 6 }, (_, i) => `fresh_${i}`) }])).status).toBe(201);
  });

  it('stores the largest allowed case on DynamoDB Local: 95 beds of both care types, 16 tags of 32 characters, 10 a bed; every bed change after it works', async () => {
    const inst = await institution();
    const tags = Array.from({ length: 16 }, (_, i) => longTag(i));
    const beds = Array.from({ length: 95 }, (_, b) => ({ label: `L${String(b).padStart(2, '0')}`, careType: b % 2 ? 'ordinary' as const : 'nursing' as const, tags: Array.from({ length: 10 }, (_, t) => tags[(b + t) % 16]!) }));
    const [first, second] = await addBeds(inst.id, beds);
    // Each of the 32 care-type-and-tag counts moves in one expression (with the 4 bed counts and the tag set).
    for (const tag of [tags[0]!, tags[15]!]) {
      const v = await api('GET', `/v1/vacancies?careType=nursing&tag=${tag}&township=${fx.township}`, { token: fx.staff });
      expect(v.body.items.find((i: { institutionId: string }) => i.institutionId === inst.id)?.vacant).toBe(beds.filter((b) => b.careType === 'nursing' && b.tags.includes(tag)).length);
    }
    const elder = await fx.register();
    expect((await api('POST', `/v1/institutions/${inst.id}/admissions`, { token: fx.staff, body: { bedId: first!.id, elderId: elder.id, admittedAt: new Date().toISOString() } })).status).toBe(201);
    expect((await api('POST', `/v1/institutions/${inst.id}/transfers`, { token: fx.staff, body: { elderId: elder.id, toBedId: second!.id } })).status).toBe(200);
    expect((await api('PUT', `/v1/beds/${first!.id}/status`, { token: fx.staff, body: { status: 'out_of_service' } })).status).toBe(200);
    expect((await api('POST', `/v1/institutions/${inst.id}/discharges`, { token: fx.staff, body: { elderId: elder.id, dischargedAt: new Date().toISOString(), reason: 'returned_home' } })).status).toBe(200);
    const occ = await occupancy(`?institutionId=${inst.id}`);
    expect(occ).toMatchObject({ beds: 95, occupied: 0, vacant: 94, outOfService: 1 });
    // The counter item stays well within a few KB (DynamoDB's item limit is 400 KB; every KB is a write unit).
    useLocalEnv();
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { db } = await import('../../functions/lib/dynamo.js');
    const { counterKeys } = await import('../../functions/beds/store.js');
    const item = (await db().send(new GetCommand({ TableName: process.env.BEDS_TABLE!, Key: counterKeys({ id: inst.id, county: fx.county, township: fx.township })[0] }))).Item!;
    expect([...(item.tags as Set<string>)].sort()).toEqual([...tags].sort());
    expect(Object.keys(item).filter((k) => k.startsWith('vacantTag:'))).toHaveLength(32);
    expect(Buffer.byteLength(JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v)))).toBeLessThan(3 * 1024);
  });
});
