import { api, countyFixture, token } from './api.js';

export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const siteBody = (township: string, over: Record<string, unknown> = {}) => ({
  name: '城关镇长者食堂',
  township,
  kind: 'canteen',
  address: '城关镇人民路 1 号',
  delivery: true,
  slots: {
    breakfast: { capacity: 50, priceFen: 500, cutoff: '07:00' },
    lunch: { capacity: 100, priceFen: 1500, cutoff: '10:00' },
    dinner: { capacity: 80, priceFen: 1200, cutoff: '16:00' },
  },
  ...over,
});

/** A county with a site, a subsidy policy and helpers for elders, families and devices. */
export async function mealsFixture(policy: Record<string, unknown> = { effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }] }) {
  const fx = await countyFixture();
  const newSite = async (over: Record<string, unknown> = {}) => {
    const r = await api('POST', '/v1/meal-sites', { token: fx.staff, body: siteBody(fx.township, over) });
    if (r.status !== 201) throw new Error(`site: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; county: string };
  };
  const site = await newSite();
  const p = await api('PUT', '/v1/subsidy-policy', { token: fx.staff, body: policy });
  if (p.status !== 200) throw new Error(`policy: ${p.status} ${JSON.stringify(p.body)}`);
  const siteToken = (siteId = site.id) => token({ role: 'site', sub: `device-${siteId}`, county: fx.county, site: siteId });
  const family = async (elderId: string) => {
    const sub = `fam-${elderId}`;
    await api('POST', `/v1/elders/${elderId}/family-links`, { token: fx.staff, body: { familySub: sub, relation: 'child' } });
    return token({ role: 'family', sub, county: fx.county });
  };
  return { ...fx, site, newSite, siteToken, family };
}
