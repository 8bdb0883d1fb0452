import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, countyFixture, newIdNumber, token, uniqueCounty } from '../support/api.js';

/**
 * Care-bed applications and the waiting list (轮候), part 1, through the API on DynamoDB Local:
 * the admission policy, filing (one open application per elder, under races), the queue's
 * order by class and time and its re-ordering by a new policy version, what a family sees,
 * withdrawal, and township staff's view.
 */
const todayCst = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

type Fx = Awaited<ReturnType<typeof countyFixture>>;
/** An elder born on `birth` (YYYYMMDD) with these categories and capability level. */
const elderOf = (fx: Fx, birth: string, more: Record<string, unknown> = {}) => fx.register({ idNumber: newIdNumber(fx.county, birth), categories: [], ...more });
const file = (fx: Fx, elderId: string, more: Record<string, unknown> = {}, t = fx.staff, headers: Record<string, string> = {}) =>
  api('POST', '/v1/bed-applications', { token: t, body: { elderId, careType: 'nursing', ...more }, headers });
const queue = async (fx: Fx, q = '', t = fx.staff) => {
  const r = await api('GET', `/v1/bed-applications${q}`, { token: t });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { policyVersion?: string; date: string; items: { id: string; elderId: string; position: number; priorityClass: string; queuedAt: string; appliedAt: string }[]; nextToken?: string };
};

/** Classes as a county publishes them: 特困 first, then 低保/低收入 who lost capacity (2+), then 80 and over. */
const policy = {
  effectiveFrom: '2020-01-01',
  classes: [
    { name: '特困供养', match: { categories: ['tekun'] } },
    { name: '低保低收入失能', match: { categories: ['dibao', 'low_income'], capabilityLevelAtLeast: 2 } },
    { name: '高龄', match: { minAge: 80 } },
  ],
  declinesBeforeRequeue: 2,
};

describe('admission policy', () => {
  let fx: Fx;
  beforeAll(async () => {
    fx = await countyFixture();
  });

  it('county staff put a version (hold days default to 3) and read the one in force; township staff may not put one', async () => {
    expect((await api('GET', '/v1/admission-policy', { token: fx.staff })).status).toBe(404);
    const put = await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ county: fx.county, version: '2020-01-01', offerHoldDays: 3, declinesBeforeRequeue: 2 });
    const township = await token({ role: 'staff', county: fx.county, township: fx.township });
    const refused = await api('PUT', '/v1/admission-policy', { token: township, body: { ...policy, effectiveFrom: '2099-01-01' } });
    expect(refused.status).toBe(403);
    const got = await api('GET', `/v1/admission-policy?date=${todayCst()}`, { token: township });
    expect(got.status).toBe(200);
    expect(got.body.classes.map((c: { name: string }) => c.name)).toEqual(['特困供养', '低保低收入失能', '高龄']);
    expect((await api('GET', '/v1/admission-policy?date=2019-12-31', { token: fx.staff })).status).toBe(404);
  });

  it('refuses a version dated before today once one is in force (422 DATE_IN_PAST naming the earliest date) and duplicate class names (400)', async () => {
    const past = await api('PUT', '/v1/admission-policy', { token: fx.staff, body: { ...policy, effectiveFrom: '2021-01-01' } });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('DATE_IN_PAST');
    expect(past.body.error.details[0]).toMatchObject({ path: 'effectiveFrom', mustNotBeBefore: todayCst() });
    const dup = await api('PUT', '/v1/admission-policy', { token: fx.staff, body: { ...policy, effectiveFrom: '2099-01-01', classes: [policy.classes[0], policy.classes[0]] } });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details[0].path).toBe('classes');
  });
});

describe('filing and the queue', () => {
  let fx: Fx;
  const ids: Record<string, string> = {};
  const elders: Record<string, string> = {};
  beforeAll(async () => {
    fx = await countyFixture();
    expect((await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy })).status).toBe(200);
    // Filed in this order; the policy ranks them the other way round.
    elders.plain = (await elderOf(fx, '19550101')).id; // 71: no class
    elders.old = (await elderOf(fx, '19400101')).id; // 86: 高龄
    elders.dibao = (await elderOf(fx, '19560101', { categories: ['dibao'], capabilityLevel: 3 })).id; // 低保, level 3
    elders.tekun = (await elderOf(fx, '19570101', { categories: ['tekun'] })).id; // 特困
    for (const k of ['plain', 'old', 'dibao', 'tekun']) {
      const r = await file(fx, elders[k]!);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[k] = r.body.id;
    }
  });

  it('answers 201 waiting with the class, the place and the assessment level at filing', async () => {
    const e = await elderOf(fx, '19580101', { categories: ['low_income'], capabilityLevel: 2 });
    const r = await file(fx, e.id, { tags: ['dementia_care'], township: fx.township });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'waiting', elderId: e.id, priorityClass: '低保低收入失能', position: 3, capabilityLevelAtFiling: 2, categoriesAtFiling: ['low_income'], declinedAt: [], tags: ['dementia_care'], township: fx.township });
    expect(r.body.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await api('POST', `/v1/bed-applications/${r.body.id}/withdraw`, { token: fx.staff })).status).toBe(200);
  });

  it('orders the queue by class, then by application time; the order is the same on every read', async () => {
    const q = await queue(fx);
    expect(q.policyVersion).toBe('2020-01-01');
    expect(q.date).toBe(todayCst());
    expect(q.items.map((i) => i.id)).toEqual([ids.tekun, ids.dibao, ids.old, ids.plain]);
    expect(q.items.map((i) => [i.position, i.priorityClass])).toEqual([[1, '特困供养'], [2, '低保低收入失能'], [3, '高龄'], [4, '其他']]);
    expect(q.items.every((i) => i.queuedAt === i.appliedAt)).toBe(true);
    expect((await queue(fx)).items).toEqual(q.items);
  });

  it('two in one class: the earlier application first', async () => {
    const later = await elderOf(fx, '19590101', { categories: ['tekun'] });
    const r = await file(fx, later.id);
    expect(r.body.position).toBe(2);
    const q = await queue(fx);
    expect(q.items.slice(0, 2).map((i) => i.id)).toEqual([ids.tekun, r.body.id]);
    await api('POST', `/v1/bed-applications/${r.body.id}/withdraw`, { token: fx.staff });
  });

  it('pages continue after the last application of the previous page', async () => {
    const first = await queue(fx, '?limit=3');
    expect(first.items.map((i) => i.position)).toEqual([1, 2, 3]);
    const second = await queue(fx, `?limit=3&nextToken=${encodeURIComponent(first.nextToken!)}`);
    expect(second.items.map((i) => [i.position, i.id])).toEqual([[4, ids.plain]]);
    expect(second.nextToken).toBeUndefined();
  });

  it('a new policy version effective today re-orders the queue at once', async () => {
    const put = await api('PUT', '/v1/admission-policy', {
      token: fx.staff,
      body: { ...policy, effectiveFrom: todayCst(), classes: [{ name: '高龄', match: { minAge: 80 } }, { name: '特困供养', match: { categories: ['tekun'] } }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const q = await queue(fx);
    expect(q.policyVersion).toBe(todayCst());
    // 高龄, 特困, then the others by time: the plain elder filed before the dibao one.
    expect(q.items.map((i) => [i.id, i.priorityClass])).toEqual([[ids.old, '高龄'], [ids.tekun, '特困供养'], [ids.plain, '其他'], [ids.dibao, '其他']]);
    // Today's version is not replaced: tomorrow at the earliest.
    const again = await api('PUT', '/v1/admission-policy', { token: fx.staff, body: { ...policy, effectiveFrom: todayCst() } });
    expect(again.status).toBe(422);
  });
});

describe('one open application per elder', () => {
  let fx: Fx;
  beforeAll(async () => {
    fx = await countyFixture();
  });

  it('ten parallel filings for one elder: exactly one 201, nine 409 APPLICATION_EXISTS naming it', async () => {
    const e = await fx.register();
    const rs = await Promise.all(Array.from({ length: 10 }, (_, k) => file(fx, e.id, { careType: k % 2 ? 'ordinary' : 'nursing' })));
    const created = rs.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const refused = rs.filter((r) => r.status === 409);
    expect(refused).toHaveLength(9);
    for (const r of refused) {
      expect(r.body.error.code).toBe('APPLICATION_EXISTS');
      expect(r.body.error.details[0]).toMatchObject({ path: 'elderId', id: created[0]!.body.id });
    }
    expect((await queue(fx)).items.filter((i) => i.elderId === e.id)).toHaveLength(1);
  });

  it('withdrawing frees the guard: a new application can then be filed; withdrawing twice is 409 APPLICATION_CLOSED', async () => {
    const e = await fx.register();
    const a = await file(fx, e.id);
    expect((await file(fx, e.id)).status).toBe(409);
    const w = await api('POST', `/v1/bed-applications/${a.body.id}/withdraw`, { token: fx.staff });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ id: a.body.id, status: 'withdrawn' });
    expect(w.body.position).toBeUndefined();
    const twice = await api('POST', `/v1/bed-applications/${a.body.id}/withdraw`, { token: fx.staff });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('APPLICATION_CLOSED');
    expect(twice.body.error.message).toContain('withdrawn');
    expect((await queue(fx)).items.map((i) => i.id)).not.toContain(a.body.id);
    const b = await file(fx, e.id);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect((await api('GET', `/v1/bed-applications/${a.body.id}`, { token: fx.staff })).body.status).toBe('withdrawn');
  });

  it('filing and withdrawing reach the platform feed as bed_application.filed and .withdrawn, in order', async () => {
    // The local platform link relays only the counties the reference receiver is told to watch.
    const county = uniqueCounty();
    expect((await fetch(`${inject('platformReceiverUrl')}/_mode`, { method: 'PUT', body: JSON.stringify({ county, failFirst: 0 }) })).status).toBe(200);
    const fx = await countyFixture(county);
    const e = await fx.register();
    const a = await file(fx, e.id);
    await api('POST', `/v1/bed-applications/${a.body.id}/withdraw`, { token: fx.staff });
    const platform = await token({ role: 'platform', sub: `platform-${fx.county}`, county: fx.county });
    const ours = async () => {
      const seen: { type: string; data: { applicationId?: string; elderId?: string } }[] = [];
      let after = '';
      for (let pages = 0; pages < 50; pages++) {
        const r = await api('GET', `/v1/platform/events?limit=500${after ? `&after=${after}` : ''}`, { token: platform });
        seen.push(...r.body.events);
        if (!r.body.more) break;
        after = r.body.cursor;
      }
      return seen.filter((x) => x.data.applicationId === a.body.id);
    };
    const deadline = Date.now() + 20_000;
    let got = await ours();
    while (got.length < 2 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 200));
      got = await ours();
    }
    expect(got.map((x) => x.type)).toEqual(['bed_application.filed', 'bed_application.withdrawn']);
    expect(got[0]!.data.elderId).toBe(e.id);
  });

  it('the same Idempotency-Key and body answers the first application again', async () => {
    const e = await fx.register();
    const key = `idem-${e.id}`;
    const a = await file(fx, e.id, {}, fx.staff, { 'idempotency-key': key });
    const b = await file(fx, e.id, {}, fx.staff, { 'idempotency-key': key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
  });

  it('refuses a deceased elder (422 ELDER_DECEASED), an unknown elder (404) and an institution of another county (404)', async () => {
    const e = await fx.register();
    expect((await api('POST', `/v1/elders/${e.id}/deceased`, { token: fx.staff, body: { dateOfDeath: todayCst() } })).status).toBe(200);
    const dead = await file(fx, e.id);
    expect(dead.status).toBe(422);
    expect(dead.body.error.code).toBe('ELDER_DECEASED');
    expect((await file(fx, 'eld_nobody')).status).toBe(404);
    const other = await countyFixture();
    const inst = await api('POST', '/v1/institutions', { token: other.staff, body: { name: '外县敬老院', township: other.township, kind: 'welfare_home' } });
    const r = await file(fx, (await fx.register()).id, { institutionIds: [inst.body.id] });
    expect(r.status).toBe(404);
  });
});

describe('who sees what', () => {
  let fx: Fx;
  let mine: { id: string; elderId: string };
  let theirs: string;
  beforeAll(async () => {
    fx = await countyFixture();
    await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy });
    const first = await elderOf(fx, '19570101', { categories: ['tekun'] });
    await file(fx, first.id);
    const e = await elderOf(fx, '19400101');
    await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: `fam-${fx.county}`, relation: 'child' } });
    mine = { id: (await file(fx, e.id)).body.id, elderId: e.id };
    const away = await fx.register({ township: fx.otherTownship });
    theirs = (await file(fx, away.id)).body.id;
  });

  it('the linked family sees its elder\'s position and class only; another family gets 404', async () => {
    const family = await token({ role: 'family', sub: `fam-${fx.county}`, county: fx.county });
    const r = await api('GET', `/v1/bed-applications/${mine.id}`, { token: family });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['appliedAt', 'classRank', 'elderId', 'id', 'position', 'priorityClass', 'queuedAt', 'requeued', 'status']);
    // The reason for the place: the policy's third class (rank 2), queued since it was filed.
    expect(r.body).toMatchObject({ id: mine.id, status: 'waiting', position: 2, priorityClass: '高龄', classRank: 2, requeued: false, queuedAt: r.body.appliedAt });
    const stranger = await token({ role: 'family', sub: `fam-stranger-${fx.county}`, county: fx.county });
    const no = await api('GET', `/v1/bed-applications/${mine.id}`, { token: stranger });
    expect(no.status).toBe(404);
    expect(no.body.error.code).toBe('NOT_FOUND');
    expect((await api('POST', `/v1/bed-applications/${mine.id}/withdraw`, { token: stranger })).status).toBe(404);
    expect((await api('GET', '/v1/bed-applications', { token: family })).status).toBe(403);
  });

  it('township staff list and read their township\'s elders\' applications only, at their places in the whole queue', async () => {
    const township = await token({ role: 'staff', county: fx.county, township: fx.township });
    const q = await queue(fx, '', township);
    expect(q.items.map((i) => i.id)).not.toContain(theirs);
    expect(q.items.map((i) => i.position)).toEqual([1, 2]);
    const whole = await queue(fx);
    expect(whole.items.map((i) => i.id)).toContain(theirs);
    expect((await api('GET', `/v1/bed-applications/${theirs}`, { token: township })).status).toBe(403);
    const other = await fx.register({ township: fx.otherTownship });
    expect((await file(fx, other.id, {}, township)).status).toBe(403);
  });

  it('an institution\'s queue holds the applications naming it, or naming none and preferring its township or none', async () => {
    const inst = (await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '城关镇敬老院', township: fx.township, kind: 'welfare_home' } })).body.id as string;
    const elsewhere = (await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '东关镇敬老院', township: fx.otherTownship, kind: 'welfare_home' } })).body.id as string;
    const named = (await file(fx, (await elderOf(fx, '19500101')).id, { institutionIds: [inst] })).body.id;
    const namedElsewhere = (await file(fx, (await elderOf(fx, '19500101')).id, { institutionIds: [elsewhere] })).body.id;
    const prefersOther = (await file(fx, (await elderOf(fx, '19500101')).id, { township: fx.otherTownship })).body.id;
    const q = await queue(fx, `?institutionId=${inst}`);
    const got = q.items.map((i) => i.id);
    expect(got).toContain(named);
    expect(got).toContain(mine.id);
    expect(got).not.toContain(namedElsewhere);
    expect(got).not.toContain(prefersOther);
    expect(q.items.map((i) => i.position)).toEqual(q.items.map((_, k) => k + 1));
    expect((await api('GET', '/v1/bed-applications?institutionId=inst_nowhere', { token: fx.staff })).status).toBe(404);
    // Of one care type: the ordinary application alone, first in its queue.
    const ordinary = (await file(fx, (await elderOf(fx, '19500101')).id, { careType: 'ordinary', institutionIds: [inst] })).body.id;
    const ord = await queue(fx, `?institutionId=${inst}&careType=ordinary`);
    expect(ord.items.map((i) => [i.id, i.position])).toEqual([[ordinary, 1]]);
    expect((await queue(fx, `?institutionId=${inst}&careType=nursing`)).items.map((i) => i.id)).not.toContain(ordinary);
  });
});
