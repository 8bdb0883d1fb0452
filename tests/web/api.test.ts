import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, configureApi, pathOf, routes } from '../../web/src/api.js';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the API module: URLs and types from the route table', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fills path templates from the route table, encoding each parameter', () => {
    expect(pathOf(routes.availability, { siteId: 'site_1' })).toBe('/v1/meal-sites/site_1/availability');
    expect(pathOf(routes.getMenu, { siteId: 'a b', date: '2026-12-02' })).toBe('/v1/meal-sites/a%20b/menus/2026-12-02');
    expect(() => pathOf(routes.getElder, {})).toThrow(/elderId/);
  });

  it('sends the token, the query, the body and the Idempotency-Key', async () => {
    const fetch = vi.fn(async () => answer(201, { id: 'bk_1' }));
    vi.stubGlobal('fetch', fetch);
    configureApi({ token: () => 'tok', unauthorized: () => {} });
    await call('createBooking', { body: { elderId: 'e', siteId: 's', date: '2026-12-02', slot: 'lunch', mode: 'dine_in' }, idempotencyKey: 'k-1' });
    await call('availability', { params: { siteId: 's' }, query: { date: '2026-12-02' } });
    expect(fetch.mock.calls.map((c: unknown[]) => c[0])).toEqual(['/v1/bookings', '/v1/meal-sites/s/availability?date=2026-12-02']);
    const init = (fetch.mock.calls[0] as unknown[])[1] as RequestInit;
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({ authorization: 'Bearer tok', 'idempotency-key': 'k-1', 'content-type': 'application/json' });
    expect(JSON.parse(String(init.body))).toMatchObject({ slot: 'lunch' });
  });

  it('turns refusals into catalogue codes, 401 into signing in again, anything else into a generic failure', async () => {
    const unauthorized = vi.fn();
    configureApi({ token: () => undefined, unauthorized });
    vi.stubGlobal('fetch', vi.fn(async () => answer(409, { error: { code: 'SLOT_FULL', message: 'full', details: [] } })));
    await expect(call('myElders', {})).rejects.toMatchObject({ code: 'SLOT_FULL', status: 409 });
    vi.stubGlobal('fetch', vi.fn(async () => answer(401, { message: 'Unauthorized' })));
    await expect(call('myElders', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(unauthorized).toHaveBeenCalledOnce();
    vi.stubGlobal('fetch', vi.fn(async () => answer(418, { error: { code: 'TEAPOT' } })));
    await expect(call('myElders', {})).rejects.toMatchObject({ code: 'UNEXPECTED' });
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('offline'); }));
    const e = await call('myElders', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: 'NETWORK' });
  });

  it('takes API Gateway\'s own 403 {"message":"Forbidden"} (the authorizer refused the token) as signing in again, and keeps the API\'s 403s', async () => {
    const unauthorized = vi.fn();
    configureApi({ token: () => 'expired', unauthorized });
    vi.stubGlobal('fetch', vi.fn(async () => answer(403, { message: 'Forbidden' })));
    await expect(call('myElders', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(unauthorized).toHaveBeenCalledOnce();
    vi.stubGlobal('fetch', vi.fn(async () => answer(403, { error: { code: 'FORBIDDEN', message: 'no', details: [] } })));
    await expect(call('myElders', {})).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(unauthorized).toHaveBeenCalledOnce();
  });

  it('is typed by the routes\' schemas (checked by tsc)', () => {
    const typeOnly = () => {
      // @ts-expect-error getElder needs its elderId
      void call('getElder', {});
      // @ts-expect-error a booking's slot is breakfast, lunch or dinner
      void call('createBooking', { body: { elderId: 'e', siteId: 's', date: 'd', slot: 'supper', mode: 'dine_in' } });
      // @ts-expect-error myElders takes no body
      void call('myElders', { body: {} });
    };
    expect(typeof typeOnly).toBe('function');
  });
});
