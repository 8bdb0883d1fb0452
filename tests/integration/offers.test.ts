import { describe, expect, it } from 'vitest';
import { recount, type BedStatus } from '../../functions/beds/domain/occupancy.js';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';
import { useLocalEnv } from '../support/env.js';

/**
 * Offers of the waiting list (轮候配床) through the API on DynamoDB Local, and the races the
 * issue names: discharges freeing beds while offers are made, twenty accepts of one offer, an
 * expiry at the moment of an accept. After each, the bed counters equal a recount of the beds.
 */
type Bed = { id: string; label: string; status: BedStatus; careType: 'nursing' | 'ordinary'; tags: string[]; offerId?: string; occupant?: { elderId: string } };
type Offer = { id: string; bedId: string; applicationId: string; elderId: string; status: string; expiresAt: string; madeAt: string; priorityClass: string };

const policy = (more: Record<string, unknown> = {}) => ({
  effectiveFrom: '2020-01-01',
  classes: [{ name: '特困供养', match: { categories: ['tekun'] } }, { name: '高龄', match: { minAge: 80 } }],
  offerHoldDays: 3,
  declinesBeforeRequeue: 2,
  ...more,
});

async function setup(opts: { kind?: string; policy?: boolean } = {}) {
  const fx = await countyFixture();
  if (opts.policy !== false) expect((await api('PUT', '/v1/admission-policy', { token: fx.staff, body: policy() })).status).toBe(200);
  const inst = await api('POST', '/v1/institutions', { token: fx.staff, body: { name: '城关镇敬老院', township: fx.township, kind: opts.kind ?? 'welfare_home' } });
  expect(inst.status).toBe(201);
  const instId = inst.body.id as string;
  const instToken = await token({ role: 'institution', sub: `inst-${instId}`, county: fx.county, institution: instId });
  const elder = async (birth: string, categories: string[] = []) => (await fx.register({ idNumber: newIdNumber(fx.county, birth), categories })).id as string;
  const file = async (elderId: string, more: Record<string, unknown> = {}) => {
    const r = await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId, careType: 'nursing', ...more } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; status: string; offerId?: string };
  };
  const addBeds = async (beds: { label: string; careType: 'nursing' | 'ordinary'; tags?: string[] }[]) => {
    const r = await api('POST', `/v1/institutions/${instId}/beds`, { token: fx.staff, body: { beds } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.items as Bed[];
  };
  const beds = async () => (await api('GET', `/v1/institutions/${instId}/beds?limit=100`, { token: fx.staff })).body.items as Bed[];
  const offers = async (q = '') => {
    const r = await api('GET', `/v1/offers?institutionId=${instId}${q}`, { token: fx.staff });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as Offer[];
  };
  const application = async (id: string) => (await api('GET', `/v1/bed-applications/${id}`, { token: fx.staff })).body;
  /** The institution's counters as the occupancy route reads them, against a recount of its beds. */
  const countersMatchRecount = async () => {
    const o = (await api('GET', `/v1/occupancy?institutionId=${instId}`, { token: fx.staff })).body;
    const counted = { beds: o.beds, occupied: o.occupied, vacant: o.vacant, reserved: o.reserved, outOfService: o.outOfService, nursingBeds: o.nursing.beds, nursingOccupied: o.nursing.occupied, nursingVacant: o.nursing.vacant, homeCareBeds: o.homeCareBeds };
    expect(counted).toEqual(recount(await beds()));
  };
  return { fx, instId, instToken, elder, file, addBeds, beds, offers, application, countersMatchRecount };
}

describe('offers are made by the product', () => {
  it('a vacant nursing bed goes to the head of the queue when an application is filed: held (reserved) for 3 days', async () => {
    const s = await setup();
    const [bed] = await s.addBeds([{ label: '1-101-1', careType: 'nursing' }]);
    const plain = await s.file(await s.elder('19600101'));
    expect(plain.status).toBe('offered');
    const offers = await s.offers();
    expect(offers).toHaveLength(1);
    const o = offers[0]!;
    expect(o).toMatchObject({ bedId: bed!.id, applicationId: plain.id, status: 'open', priorityClass: '其他', institutionName: '城关镇敬老院', bedLabel: '1-101-1' });
    expect(Date.parse(o.expiresAt) - Date.parse(o.madeAt)).toBe(3 * 86_400_000);
    expect((await s.beds())[0]).toMatchObject({ status: 'reserved', offerId: o.id });
    expect(await s.application(plain.id)).toMatchObject({ status: 'offered', offerId: o.id });
    // A 特困 elder filed later waits: the bed is held, never offered twice.
    const tekun = await s.file(await s.elder('19580101', ['tekun']));
    expect(tekun.status).toBe('waiting');
    expect(await s.offers()).toHaveLength(1);
    await s.countersMatchRecount();
    // The held bed changes only through its offer.
    const put = await api('PUT', `/v1/beds/${bed!.id}/status`, { token: s.instToken, body: { status: 'vacant' } });
    expect(put.status).toBe(409);
    expect(put.body.error).toMatchObject({ code: 'BED_HELD', details: [expect.objectContaining({ offerId: o.id })] });
  });

  it('the queue order decides: the 特困 elder filed later gets the bed a discharge frees; a bed that does not suit (care type, tags) is not offered', async () => {
    const s = await setup();
    const [bed, ordinary] = await s.addBeds([{ label: 'A-1', careType: 'nursing', tags: ['dementia_care'] }, { label: 'B-1', careType: 'ordinary' }]);
    // The resident who will leave.
    const resident = await s.elder('19500101');
    expect((await api('POST', `/v1/institutions/${s.instId}/admissions`, { token: s.instToken, body: { bedId: bed!.id, elderId: resident, admittedAt: new Date(Date.now() - 86_400_000).toISOString() } })).status).toBe(201);
    const early = await s.file(await s.elder('19600101'));
    const needsDementia = await s.file(await s.elder('19590101', ['tekun']), { tags: ['dementia_care', 'hospice'] });
    const tekun = await s.file(await s.elder('19580101', ['tekun']), { tags: ['dementia_care'] });
    expect([early.status, needsDementia.status, tekun.status]).toEqual(['waiting', 'waiting', 'waiting']); // the ordinary bed suits no nursing application
    const out = await api('POST', `/v1/institutions/${s.instId}/discharges`, { token: s.instToken, body: { elderId: resident, dischargedAt: new Date().toISOString(), reason: '回家' } });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ id: bed!.id, status: 'reserved' });
    const [o] = await s.offers('&status=open');
    expect(o).toMatchObject({ bedId: bed!.id, applicationId: tekun.id, priorityClass: '特困供养' });
    expect((await s.beds()).find((b) => b.id === ordinary!.id)?.status).toBe('vacant');
    await s.countersMatchRecount();
  });

  it('no admission policy, or a private home: no offers', async () => {
    for (const opts of [{ policy: false }, { kind: 'private' }]) {
      const s = await setup(opts);
      await s.addBeds([{ label: '1', careType: 'nursing' }]);
      expect((await s.file(await s.elder('19600101'))).status).toBe('waiting');
      expect(await s.offers()).toEqual([]);
      expect((await s.beds())[0]!.status).toBe('vacant');
      if (opts.kind === 'private') {
        // Naming a home whose beds are never offered would wait forever: refused, naming the field.
        const named = await api('POST', '/v1/bed-applications', { token: s.fx.staff, body: { elderId: await s.elder('19610101'), careType: 'nursing', institutionIds: [s.instId] } });
        expect(named.status).toBe(400);
        expect(named.body.error.details[0]).toMatchObject({ path: 'institutionIds.0', message: expect.stringContaining('public institutions only') });
      }
    }
  });
});

describe('accept, decline, withdraw', () => {
  it('accept admits into the held bed in the same write: the offer, the application and the bed change together', async () => {
    const s = await setup();
    const [bed] = await s.addBeds([{ label: '1', careType: 'nursing' }]);
    const app = await s.file(await s.elder('19600101'));
    const [o] = await s.offers();
    const admittedAt = new Date().toISOString();
    const early = await api('POST', `/v1/offers/${o!.id}/accept`, { token: s.instToken, body: { admittedAt: new Date(Date.parse(o!.madeAt) - 60_000).toISOString() } });
    expect(early.status).toBe(422);
    expect(early.body.error.code).toBe('DATE_OUT_OF_ORDER');
    const r = await api('POST', `/v1/offers/${o!.id}/accept`, { token: s.instToken, body: { admittedAt } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ elderId: o!.elderId, bedId: bed!.id, institutionId: s.instId, since: admittedAt });
    expect((await api('GET', `/v1/offers/${o!.id}`, { token: s.fx.staff })).body).toMatchObject({ status: 'accepted', admittedAt });
    expect(await s.application(app.id)).toMatchObject({ status: 'admitted', admittedAt });
    expect((await s.beds())[0]).toMatchObject({ status: 'occupied', occupant: { elderId: o!.elderId } });
    expect((await s.beds())[0]!.offerId).toBeUndefined();
    // Closed: a second accept or a decline is 409 OFFER_CLOSED; the elder may file again later.
    for (const [path, body] of [['accept', { admittedAt }], ['decline', { reason: '不去了' }]] as const) {
      const again = await api('POST', `/v1/offers/${o!.id}/${path}`, { token: s.fx.staff, body });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('OFFER_CLOSED');
    }
    const queue = (await api('GET', '/v1/bed-applications', { token: s.fx.staff })).body.items;
    expect(queue).toEqual([]);
    await s.countersMatchRecount();
  });

  it('decline: the bed goes to the next application, the decliner stays in the queue; after 2 declines they queue again from the second', async () => {
    const s = await setup();
    const [bed] = await s.addBeds([{ label: '1', careType: 'nursing' }]);
    const first = await s.file(await s.elder('19580101', ['tekun']));
    const second = await s.file(await s.elder('19600101'));
    const [o1] = await s.offers();
    expect(o1!.applicationId).toBe(first.id);
    const d = await api('POST', `/v1/offers/${o1!.id}/decline`, { token: s.instToken, body: { reason: '家属想再等等' } });
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: 'declined', reason: '家属想再等等' });
    // The freed bed went to the next application at once, never back to the one that declined it.
    const open = await s.offers('&status=open');
    expect(open.map((o) => [o.applicationId, o.bedId])).toEqual([[second.id, bed!.id]]);
    const a = await s.application(first.id);
    expect(a).toMatchObject({ status: 'waiting', position: 1 });
    expect(a.declinedAt).toHaveLength(1);
    await s.countersMatchRecount();
  });

  it('after a decline the elder rests for the hold days: the other free bed is not pressed on them at once, but a later run offers it', async () => {
    useLocalEnv();
    const { fillVacancies } = await import('../../functions/beds/offers.js');
    const s = await setup();
    const [first] = await s.addBeds([{ label: '1', careType: 'nursing' }]);
    const app = await s.file(await s.elder('19600101'));
    const [o] = await s.offers();
    expect(o!.bedId).toBe(first!.id);
    const [second] = await s.addBeds([{ label: '2', careType: 'nursing' }]);
    expect(second!.status).toBe('vacant'); // the only application holds an offer already
    expect((await api('POST', `/v1/offers/${o!.id}/decline`, { token: s.fx.staff, body: { reason: '想离家近些' } })).status).toBe(200);
    expect(await s.offers('&status=open')).toEqual([]);
    expect((await s.application(app.id)).status).toBe('waiting');
    // Within the 3 days nothing; after them, a run offers the bed it did not decline.
    expect(await fillVacancies(s.fx.county, new Date(Date.now() + 3 * 86_400_000 - 60_000))).toEqual([]);
    const later = await fillVacancies(s.fx.county, new Date(Date.now() + 3 * 86_400_000 + 60_000));
    expect(later.map((x) => [x.applicationId, x.bedId])).toEqual([[app.id, second!.id]]);
    await s.countersMatchRecount();
  });

  it('withdrawing an offered application frees its bed for the next one', async () => {
    const s = await setup();
    await s.addBeds([{ label: '1', careType: 'nursing' }]);
    const first = await s.file(await s.elder('19580101', ['tekun']));
    const second = await s.file(await s.elder('19600101'));
    const [o] = await s.offers();
    expect(o!.applicationId).toBe(first.id);
    const w = await api('POST', `/v1/bed-applications/${first.id}/withdraw`, { token: s.fx.staff });
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect((await api('GET', `/v1/offers/${o!.id}`, { token: s.fx.staff })).body.status).toBe('withdrawn');
    expect((await s.offers('&status=open')).map((x) => x.applicationId)).toEqual([second.id]);
    await s.countersMatchRecount();
  });

  it('an institution sees and answers only its own offers; a family sees where the bed is held', async () => {
    const s = await setup();
    await s.addBeds([{ label: '3号床', careType: 'nursing' }]);
    const elderId = await s.elder('19600101');
    const app = await s.file(elderId);
    const [o] = await s.offers();
    const other = await token({ role: 'institution', sub: 'other', county: s.fx.county, institution: 'inst_other' });
    expect((await api('GET', `/v1/offers/${o!.id}`, { token: other })).status).toBe(403);
    expect((await api('POST', `/v1/offers/${o!.id}/accept`, { token: other, body: { admittedAt: new Date().toISOString() } })).status).toBe(403);
    expect((await api('GET', `/v1/offers?institutionId=${s.instId}`, { token: other })).status).toBe(403);
    expect((await api('GET', '/v1/offers', { token: s.instToken })).body.items.map((x: Offer) => x.id)).toEqual([o!.id]);
    const family = await token({ role: 'family', sub: `fam-${elderId}`, county: s.fx.county });
    expect((await api('POST', `/v1/elders/${elderId}/family-links`, { token: s.fx.staff, body: { familySub: `fam-${elderId}`, relation: 'child' } })).status).toBeLessThan(300);
    const seen = await api('GET', `/v1/bed-applications/${app.id}`, { token: family });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual({ id: app.id, elderId, status: 'offered', appliedAt: expect.any(String), position: 1, priorityClass: '其他', classRank: 2, queuedAt: expect.any(String), requeued: false, offer: { institutionName: '城关镇敬老院', bedLabel: '3号床', expiresAt: o!.expiresAt } });
  });
});

describe('races on DynamoDB Local', () => {
  it('two discharges freeing beds while the job also offers: each bed one offer, each elder at most one, the head of the queue first', async () => {
    useLocalEnv();
    const { fillVacancies } = await import('../../functions/beds/offers.js');
    const s = await setup();
    const beds = await s.addBeds([{ label: '1', careType: 'nursing' }, { label: '2', careType: 'nursing' }]);
    const residents = [await s.elder('19400101'), await s.elder('19410101')];
    // Both beds occupied before anyone applies, so no offer is made yet.
    for (const [k, b] of beds.entries()) {
      expect((await api('POST', `/v1/institutions/${s.instId}/admissions`, { token: s.instToken, body: { bedId: b.id, elderId: residents[k], admittedAt: new Date(Date.now() - 86_400_000).toISOString() } })).status).toBe(201);
    }
    const apps = [];
    for (const birth of ['19600101', '19610101', '19620101']) apps.push(await s.file(await s.elder(birth)));
    const now = new Date();
    const discharge = (elderId: string) => api('POST', `/v1/institutions/${s.instId}/discharges`, { token: s.instToken, body: { elderId, dischargedAt: now.toISOString(), reason: '回家' } });
    const [d1, d2] = await Promise.all([discharge(residents[0]!), discharge(residents[1]!), fillVacancies(s.fx.county, now), fillVacancies(s.fx.county, now)]);
    expect([d1.status, d2.status]).toEqual([200, 200]);
    const open = await s.offers('&status=open');
    expect(open).toHaveLength(2);
    expect(new Set(open.map((o) => o.bedId))).toEqual(new Set(beds.map((b) => b.id)));
    expect(new Set(open.map((o) => o.applicationId))).toEqual(new Set([apps[0]!.id, apps[1]!.id]));
    expect((await s.application(apps[2]!.id)).status).toBe('waiting');
    expect((await s.beds()).map((b) => b.status)).toEqual(['reserved', 'reserved']);
    await s.countersMatchRecount();
  });

  it('twenty parallel accepts of one offer: one admission, nineteen 409 OFFER_CLOSED', async () => {
    const s = await setup();
    await s.addBeds([{ label: '1', careType: 'nursing' }]);
    await s.file(await s.elder('19600101'));
    const [o] = await s.offers();
    const admittedAt = new Date().toISOString();
    const results = await Promise.all(Array.from({ length: 20 }, (_, k) => api('POST', `/v1/offers/${o!.id}/accept`, { token: k % 2 ? s.instToken : s.fx.staff, body: { admittedAt } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(19);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'OFFER_CLOSED')).toBe(true);
    expect((await s.beds()).map((b) => b.status)).toEqual(['occupied']);
    const log = (await api('GET', `/v1/institutions/${s.instId}/log?limit=50`, { token: s.fx.staff })).body.items;
    expect(log.filter((e: { action: string }) => e.action === 'offer_accepted')).toHaveLength(1);
    await s.countersMatchRecount();
  });

  it('an offer expiring at the moment it is accepted: one outcome; the counters equal a recount', async () => {
    useLocalEnv();
    const offers = await import('../../functions/beds/offers.js');
    for (let round = 0; round < 3; round++) {
      const s = await setup();
      await s.addBeds([{ label: '1', careType: 'nursing' }]);
      await s.file(await s.elder('19600101'));
      const [o] = await s.offers();
      const expiry = new Date(o!.expiresAt);
      const staff = { sub: `staff-${s.fx.county}`, role: 'staff' as const, county: s.fx.county };
      const [accepted, expired] = await Promise.allSettled([
        offers.acceptOffer(staff, o!.id, { admittedAt: new Date(Date.parse(o!.madeAt) + 1000).toISOString() }, new Date(expiry.getTime() - 1)),
        offers.expireLapsed(s.fx.county, expiry),
      ]);
      const after = (await api('GET', `/v1/offers/${o!.id}`, { token: s.fx.staff })).body.status;
      const bed = (await s.beds())[0]!;
      if (accepted.status === 'fulfilled') {
        expect(after).toBe('accepted');
        expect(expired).toEqual({ status: 'fulfilled', value: 0 });
        expect(bed.status).toBe('occupied');
      } else {
        expect(after).toBe('expired');
        expect(expired).toEqual({ status: 'fulfilled', value: 1 });
        expect((accepted.reason as { code?: string }).code).toBe('OFFER_CLOSED');
        // The only application let it lapse: the bed is free again, not offered back to it.
        expect(bed.status).toBe('vacant');
      }
      await s.countersMatchRecount();
    }
  });

  it('the scheduled run expires lapsed offers and offers the bed to the next application', async () => {
    useLocalEnv();
    const { expireLapsed } = await import('../../functions/beds/offers.js');
    const s = await setup();
    await s.addBeds([{ label: '1', careType: 'nursing' }]);
    const first = await s.file(await s.elder('19600101'));
    const second = await s.file(await s.elder('19610101'));
    const [o] = await s.offers();
    expect(await expireLapsed(s.fx.county, new Date(Date.parse(o!.expiresAt) - 1000))).toBe(0);
    expect(await expireLapsed(s.fx.county, new Date(o!.expiresAt))).toBe(1);
    expect((await api('GET', `/v1/offers/${o!.id}`, { token: s.fx.staff })).body.status).toBe('expired');
    expect((await s.offers('&status=open')).map((x) => x.applicationId)).toEqual([second.id]);
    expect((await s.application(first.id)).declinedAt).toHaveLength(1);
    await s.countersMatchRecount();
  });
});

describe('figures', () => {
  it('offers per month by outcome and the wait from application to admission by institution and class', async () => {
    const s = await setup();
    await s.addBeds([{ label: '1', careType: 'nursing' }, { label: '2', careType: 'nursing' }]);
    await s.file(await s.elder('19580101', ['tekun']));
    await s.file(await s.elder('19600101'));
    await s.file(await s.elder('19610101'));
    const open = await s.offers('&status=open');
    expect(open).toHaveLength(2);
    const tekunOffer = open.find((o) => o.priorityClass === '特困供养')!;
    const other = open.find((o) => o.priorityClass === '其他')!;
    expect((await api('POST', `/v1/offers/${tekunOffer.id}/accept`, { token: s.fx.staff, body: { admittedAt: new Date().toISOString() } })).status).toBe(201);
    expect((await api('POST', `/v1/offers/${other.id}/decline`, { token: s.fx.staff, body: { reason: '离家太远' } })).status).toBe(200);
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const f = await api('GET', `/v1/waiting-list/figures?from=${month}&to=${month}`, { token: s.fx.staff });
    expect(f.status, JSON.stringify(f.body)).toBe(200);
    expect(f.body.months).toEqual([{ month, made: 3, accepted: 1, declined: 1, expired: 0, withdrawn: 0 }]);
    expect(f.body.waits).toEqual([expect.objectContaining({ institutionId: s.instId, priorityClass: '特困供养', admitted: 1 })]);
    expect(f.body.waits[0].averageWaitDays).toBeGreaterThanOrEqual(0);
    expect(f.body.waits[0].averageWaitDays).toBeLessThan(0.1);
    const bad = await api('GET', '/v1/waiting-list/figures?from=2026-05&to=2026-01', { token: s.fx.staff });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('to');
  });
});
