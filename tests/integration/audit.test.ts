import { beforeAll, describe, expect, it } from 'vitest';
import { api, countyFixture, newIdNumber, token } from '../support/api.js';

/**
 * Issue 15, point 4: an audit trail of personal data. Each read or change of an elder's record
 * writes one line per elder (who, role, route, time, source IP, request id; never the data);
 * county staff read an elder's trail.
 */
let fx: Awaited<ReturnType<typeof countyFixture>>;
let townshipStaff: string;
type Line = { elderId: string; at: string; sub: string; role: string; route: string; action: string; sourceIp: string; requestId: string };
const trail = async (elderId: string): Promise<Line[]> => {
  const lines: Line[] = [];
  let next: string | undefined;
  do {
    const r = await api('GET', `/v1/elders/${elderId}/audit?limit=2${next ? `&nextToken=${encodeURIComponent(next)}` : ''}`, { token: fx.staff });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    lines.push(...r.body.items);
    next = r.body.nextToken;
  } while (next);
  return lines;
};

beforeAll(async () => {
  fx = await countyFixture();
  townshipStaff = await token({ role: 'staff', sub: 'audit-reader', county: fx.county, township: fx.township });
});

describe('the audit trail', () => {
  it('a read of an elder writes exactly one line, with who, role, route, time, source IP and request id, and none of the data', async () => {
    const idNumber = newIdNumber(fx.county, '19400203');
    const elder = await fx.register({ idNumber, name: '赵淑兰', phone: '13800000000' });
    const before = await trail(elder.id);
    expect(before.map((l) => [l.action, l.route, l.sub])).toEqual([['change', 'POST /v1/elders', `staff-${fx.county}`]]);

    const started = Date.now();
    const read = await api('GET', `/v1/elders/${elder.id}`, { token: townshipStaff });
    expect(read.status).toBe(200);
    const after = await trail(elder.id);
    expect(after).toHaveLength(2);
    const line = after[0]!; // newest first
    expect(line).toEqual({
      elderId: elder.id,
      at: expect.any(String),
      sub: 'audit-reader',
      role: 'staff',
      route: 'GET /v1/elders/{elderId}',
      action: 'read',
      sourceIp: expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/),
      requestId: read.headers.get('x-request-id'),
    });
    expect(Math.abs(Date.parse(line.at) - started)).toBeLessThan(60_000);
    const json = JSON.stringify(after);
    for (const secret of ['赵淑兰', idNumber, idNumber.slice(-4), '13800000000']) expect(json).not.toContain(secret);
  });

  it('a list writes one line per elder it shows; a refused read writes none', async () => {
    const a = await fx.register({ name: '孙玉兰', township: fx.otherTownship });
    const b = await fx.register({ name: '孙玉梅', township: fx.otherTownship });
    const list = await api('GET', `/v1/elders?township=${fx.otherTownship}&q=${encodeURIComponent('孙玉')}`, { token: fx.staff });
    expect(list.body.items.map((e: { id: string }) => e.id).sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id]) {
      const reads = (await trail(id)).filter((l) => l.action === 'read');
      expect(reads.map((l) => [l.route, l.requestId])).toEqual([['GET /v1/elders', list.headers.get('x-request-id')]]);
    }
    // Township staff of another township are refused the record: no line.
    expect((await api('GET', `/v1/elders/${a.id}`, { token: townshipStaff })).status).toBe(403);
    expect((await trail(a.id)).filter((l) => l.sub === 'audit-reader')).toEqual([]);
  });

  it('changes are lines too: an edit, a family link and its removal', async () => {
    const e = await fx.register({ name: '周桂英' });
    expect((await api('PATCH', `/v1/elders/${e.id}`, { token: fx.staff, body: { phone: '13900000001' } })).status).toBe(200);
    expect((await api('POST', `/v1/elders/${e.id}/family-links`, { token: fx.staff, body: { familySub: 'fam-audit', relation: 'child' } })).status).toBe(201);
    expect((await api('DELETE', `/v1/elders/${e.id}/family-links/fam-audit`, { token: fx.staff })).status).toBe(200);
    expect((await trail(e.id)).map((l) => `${l.action} ${l.route}`)).toEqual([
      'change DELETE /v1/elders/{elderId}/family-links/{familySub}',
      'change POST /v1/elders/{elderId}/family-links',
      'change PATCH /v1/elders/{elderId}',
      'change POST /v1/elders',
    ]);
  });

  it('a care-bed application, filed and read, is on the elder\'s trail too (beds writes audit lines)', async () => {
    const e = await fx.register({ name: '郑桂兰' });
    const filed = await api('POST', '/v1/bed-applications', { token: fx.staff, body: { elderId: e.id, careType: 'nursing' } });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    expect((await api('GET', `/v1/bed-applications/${filed.body.id}`, { token: fx.staff })).status).toBe(200);
    expect((await trail(e.id)).map((l) => `${l.action} ${l.route}`).slice(0, 2)).toEqual([
      'read GET /v1/bed-applications/{id}',
      'change POST /v1/bed-applications',
    ]);
  });

  it('is read by county staff of the elder\'s county only', async () => {
    const e = await fx.register({ name: '吴秀珍' });
    expect((await api('GET', `/v1/elders/${e.id}/audit`, { token: townshipStaff })).status).toBe(403);
    const otherCounty = await countyFixture();
    expect((await api('GET', `/v1/elders/${e.id}/audit`, { token: otherCounty.staff })).status).toBe(404);
  });
});
