import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, callFile, configureApi } from '../../web/src/api.js';
import { roomOf } from '../../web/src/pages/institution/board.js';
import { fetchAnomalies } from '../../web/src/pages/staff/meals.js';
import { percent } from '../../web/src/pages/staff/figures.js';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the staff pages\' small rules', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('groups a bed by its room: the label up to its last separator', () => {
    expect(roomOf('1号楼-101-2')).toBe('1号楼-101');
    expect(roomOf('A 3')).toBe('A');
    expect(roomOf('二楼/东/5')).toBe('二楼/东');
    expect(roomOf('101')).toBe('101');
  });

  it('writes rates (fractions with four decimals) as percentages with one decimal', () => {
    expect(percent(0.1667)).toBe('16.7%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(1)).toBe('100.0%');
  });

  it('polls an anomalies job (202) until it is done, and says a failed one as an error', async () => {
    const job = { reportId: 'r1', kind: 'meals.anomalies', month: '2026-11', requestedAt: '2026-12-01T00:00:00+08:00' };
    const fetch = vi.fn()
      .mockResolvedValueOnce(json(202, { ...job, status: 'running' }))
      .mockResolvedValueOnce(json(202, { ...job, status: 'running' }))
      .mockResolvedValueOnce(json(200, { ...job, status: 'done', result: { month: '2026-11', items: [{ kind: 'over_capacity' }] } }))
      .mockResolvedValueOnce(json(202, { ...job, status: 'running' }))
      .mockResolvedValueOnce(json(200, { ...job, status: 'failed', error: { code: 'INTERNAL', message: 'x' } }));
    vi.stubGlobal('fetch', fetch);
    configureApi({ token: () => 'tok', unauthorized: () => {} });
    expect((await fetchAnomalies('2026-11', 1)).items).toEqual([{ kind: 'over_capacity' }]);
    expect(fetch.mock.calls.map((c) => String(c[0]))).toEqual(['/v1/reports/meals/anomalies?month=2026-11', '/v1/reports/jobs/r1', '/v1/reports/jobs/r1']);
    await expect(fetchAnomalies('2026-11', 1)).rejects.toBeInstanceOf(ApiError);
  });

  it('downloads a file as the bytes sent: the CSV keeps its byte-order mark', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x22, 0x61, 0x22]);
    const fetch = vi.fn(async () => new Response(bytes, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' } }));
    vi.stubGlobal('fetch', fetch);
    configureApi({ token: () => 'tok', unauthorized: () => {} });
    const blob = await callFile('settlementReport', { query: { month: '2026-11', siteId: 's1' } }, 'text/csv');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([...bytes]);
    expect(fetch.mock.calls[0]).toEqual(['/v1/reports/meals/settlement?month=2026-11&siteId=s1', expect.objectContaining({ headers: expect.objectContaining({ accept: 'text/csv', authorization: 'Bearer tok' }) })]);
  });
});
