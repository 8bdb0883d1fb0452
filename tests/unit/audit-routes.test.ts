import { describe, expect, it } from 'vitest';
import { auditedElderIds } from '../../functions/lib/audit-lines.js';
import { buildOpenApi } from '../../shared/http/openapi.js';
import { routeKey } from '../../shared/http/route.js';
import { routeList } from '../../shared/routes/index.js';

// Issue 15, point 4: every route that reads or changes an elder's personal data writes audit
// lines. Which routes those are is found here from the contract, not listed by hand: a route
// whose success answer carries an elder's record or link, or that acts on one elder (an
// `elderId` in its path), must declare `audit`.
// Care-bed applications and offers name the elder with their class (特困, 低保...) and care needs.
const personal = ['Elder', 'ElderMinimal', 'FamilyLink', 'RemovedFamilyLink', 'BedApplication', 'BedApplicationFamilyView', 'QueueEntry', 'Offer'];
const doc = buildOpenApi(routeList, 'test') as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const openapiPath = (path: string) => path;

describe('audited routes', () => {
  const carries = (r: (typeof routeList)[number]) => {
    const op = doc.paths[openapiPath(r.path)]?.[r.method.toLowerCase()];
    const ok = Object.entries(op?.responses ?? {}).filter(([status]) => status.startsWith('2')).map(([, v]) => JSON.stringify(v));
    return ok.some((json) => personal.some((name) => json.includes(`"#/components/schemas/${name}"`)));
  };

  it('finds some (the check is not vacuous)', () => {
    expect(routeList.filter(carries).length).toBeGreaterThanOrEqual(6);
  });

  it.each(routeList.map((r) => [routeKey(r), r] as const))('%s declares audit if it reads or changes an elder', (_, r) => {
    const actsOnOne = r.path.includes('{elderId}') && !r.path.endsWith('/audit');
    if (carries(r) || actsOnOne) expect(r.audit, 'personal data: declare audit').toBe(r.method === 'GET' || r.path.endsWith('/lookup') ? 'read' : 'change');
    else expect(r.audit).toBeUndefined();
  });
});

describe('auditedElderIds', () => {
  it.each([
    ['the path', { elderId: 'E1' }, { whatever: 1 }, ['E1']],
    ['an elder view', {}, { id: 'E2', name: '王' }, ['E2']],
    ['a link', {}, { elderId: 'E3', familySub: 'f' }, ['E3']],
    ['a list, once each', {}, { items: [{ id: 'E4' }, { id: 'E5' }, { id: 'E4' }] }, ['E4', 'E5']],
    ['an empty search', {}, { items: [] }, []],
  ])('from %s', (_, params, body, ids) => {
    expect(auditedElderIds(params, body)).toEqual(ids);
  });
});
