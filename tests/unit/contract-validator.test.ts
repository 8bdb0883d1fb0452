import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { errorCatalogue } from '../../shared/http/error-codes.js';
import { documentedRouteList } from '../../shared/routes/docs.js';
import { routeList } from '../../shared/routes/index.js';
import { ContractValidator } from '../support/contract.js';

// The validator every integration test's traffic goes through must itself be able to fail.
const doc = buildOpenApi(documentedRouteList, 'test') as Record<string, any>;
const v = new ContractValidator(doc);
const err = (code: string) => ({ error: { code, message: 'm', details: [] } });

describe('the response validator built from the OpenAPI document', () => {
  it('refuses a status the operation does not declare', () => {
    expect(v.check({ method: 'GET', path: '/v1/health', status: 418, contentType: 'application/json', body: err('INTERNAL') })[0]).toMatch(/not declared/);
  });

  it('refuses a code filed under another status, and accepts it under its own', () => {
    const wrong = v.check({ method: 'POST', path: '/v1/bookings', status: 409, contentType: 'application/json', body: err('CUTOFF_PASSED') });
    expect(wrong[0]).toMatch(/does not match/);
    expect(v.check({ method: 'POST', path: '/v1/bookings', status: 422, contentType: 'application/json', body: err('CUTOFF_PASSED') })).toEqual([]);
  });

  it('refuses a success body with a field the schema forbids or without one it requires', () => {
    expect(v.check({ method: 'GET', path: '/v1/health', status: 200, contentType: 'application/json', body: { surprise: 1 } })[0]).toMatch(/does not match/);
  });

  it('accepts API Gateway\'s own 401 shape on token routes, and the envelope', () => {
    expect(v.check({ method: 'GET', path: '/v1/elders/eld_1', status: 401, contentType: 'application/json', body: { message: 'Unauthorized' } })).toEqual([]);
    expect(v.check({ method: 'GET', path: '/v1/elders/eld_1', status: 401, contentType: 'application/json', body: err('UNAUTHORIZED') })).toEqual([]);
  });

  it('files every catalogue code of every route under the status the catalogue gives it', () => {
    for (const r of routeList) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      for (const code of r.errors ?? []) {
        const status = String(errorCatalogue[code].status);
        const enumOf = op.responses[status]?.content['application/json'].schema;
        expect(JSON.stringify(enumOf), `${r.name} ${code}`).toContain(`"${code}"`);
      }
    }
  });
});
