import { beforeAll, describe, expect, it } from 'vitest';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';

/**
 * GET /v1/elders/{elderId}/bed-application: the family page finds its elder's care-bed
 * application from the elder. The open one, else the last closed one; the family sees its place
 * and the reason for it (class, rank, queue time) and nothing of other elders.
 */
type Fx = Awaited<ReturnType<typeof countyFixture>>;

let fx: Fx;
let family: string;
let first: { elderId: string; id: string };
let mine: { elderId: string; id: string };
const path = (elderId: string) => `/v1/elders/${elderId}/bed-application`;

beforeAll(async () => {
  fx = await countyFixture();
  const policy = {
    effectiveFrom: '2020-01-01',
    classes: [{ name: '特困供养', match: { categories: ['tekun'] } }, { name: '低保失能', match: { categories: ['dibao'], capabilityLevelAtLeast: 2 } }, { name: '高龄', match: { minAge: 80 } }],
    declinesBeforeRequeue: 2,
  };
  expect((await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy })).status).toBe(200);
  // Someone else's elder ahead (特困), then the family's elder (高龄: 86 years old).
  const other = await fx.register({ idNumber: newIdNumber(fx.county, '19570101'), name: '李桂兰', categories: ['tekun'] });
  first = { elderId: other.id, id: (await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: other.id, careType: 'nursing' } })).body.id };
  const e = await fx.register({ idNumber: newIdNumber(fx.county, '19400101'), categories: [] });
  await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `fam-${fx.county}`, relation: 'child' } });
  const filed = await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'nursing' } });
  expect(filed.status).toBe(201);
  mine = { elderId: e.id, id: filed.body.id };
  family = await token({ role: 'family', sub: `fam-${fx.county}`, county: fx.county });
});

describe('GET /v1/elders/{elderId}/bed-application', () => {
  it('the linked family sees its elder\'s position and why (class, rank, queue time), nothing of the elder ahead', async () => {
    const r = await api('GET', path(mine.elderId), { token: family });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['appliedAt', 'classRank', 'elderId', 'id', 'position', 'priorityClass', 'queuedAt', 'requeued', 'status']);
    expect(r.body).toMatchObject({ id: mine.id, elderId: mine.elderId, status: 'waiting', position: 2, priorityClass: '高龄', classRank: 2, requeued: false });
    expect(r.body.queuedAt).toBe(r.body.appliedAt);
    const text = JSON.stringify(r.body);
    for (const theirs of [first.id, first.elderId, '李桂兰', '特困供养']) expect(text).not.toContain(theirs);
  });

  it('staff of the elder\'s area get the full application; another township\'s staff 403', async () => {
    const county = await api('GET', path(mine.elderId), { token: fx.staff });
    expect(county.status).toBe(200);
    expect(county.body).toMatchObject({ id: mine.id, elderTownship: fx.township, position: 2, priorityClass: '高龄', categoriesAtFiling: [] });
    const township = await token({ role: 'staff', county: fx.county, township: fx.township });
    expect((await api('GET', path(mine.elderId), { token: township })).body.id).toBe(mine.id);
    const away = await token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    const refused = await api('GET', path(mine.elderId), { token: away });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it('a family not linked to the elder gets 404, as for an unknown elder', async () => {
    const stranger = await token({ role: 'family', sub: `fam-stranger-${fx.county}`, county: fx.county });
    const r = await api('GET', path(mine.elderId), { token: stranger });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(r.body)).not.toContain(mine.id);
  });

  it('an elder who never applied is 404 to staff of the area and the linked family, 403 to staff outside it; an unknown elder 404', async () => {
    const e = await fx.register();
    await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `fam-${fx.county}`, relation: 'child' } });
    expect((await api('GET', path(e.id), { token: fx.staff })).status).toBe(404);
    expect((await api('GET', path(e.id), { token: family })).status).toBe(404);
    const away = await token({ role: 'staff', county: fx.county, township: fx.otherTownship });
    expect((await api('GET', path(e.id), { token: away })).status).toBe(403);
    expect((await api('GET', path('eld_nobody'), { token: fx.staff })).status).toBe(404);
  });

  it('after a withdrawal the closed application is returned (withdrawn, no place); a new one filed is returned instead', async () => {
    const e = await fx.register();
    await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `fam-${fx.county}`, relation: 'child' } });
    const a = (await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'ordinary' } })).body.id as string;
    expect((await api('POST', `/v1/bed-applications/${a}/withdraw`, { token: family })).status).toBe(200);
    const closed = await api('GET', path(e.id), { token: family });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: a, status: 'withdrawn' });
    expect(closed.body.withdrawnAt).toBeTypeOf('string');
    for (const k of ['position', 'priorityClass', 'classRank', 'queuedAt']) expect(closed.body[k], k).toBeUndefined();
    const b = (await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'nursing' } })).body.id as string;
    const open = await api('GET', path(e.id), { token: fx.staff });
    expect(open.body).toMatchObject({ id: b, status: 'waiting', careType: 'nursing' });
    expect(open.body.position).toBeTypeOf('number');
  });
});
