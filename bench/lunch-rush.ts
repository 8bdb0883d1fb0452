/**
 * The lunch rush of one county: the brief's 36 meal sites serve their elders within 90
 * minutes, each meal sent by the site's card reader as it is served (one record per request,
 * the costliest way). Arrivals follow a bell curve around 12:00; the 90 minutes are played
 * faster (`speedup`), so the local server sees `speedup` times the real request rate.
 */
import { call, registerElders, tokenFor, type HttpBench } from './http.js';
import { median, percentile, pool, round } from './lib.js';

export interface LunchRushResult {
  sites: number;
  meals: number;
  realMinutes: number;
  speedup: number;
  realPeakPerMinute: number;
  realPeakPerSecond: number;
  playedPeakPerSecond: number;
  rejected: number;
  errors: number;
  p50ms: number;
  p99ms: number;
  peakMinuteP99ms: number;
  maxLateMs: number;
  handlerP50ms: number;
  verdict: string;
}

export async function benchLunchRush(b: HttpBench, opts: { quick: boolean }): Promise<LunchRushResult> {
  const { putTownship } = await import('../functions/registry/elders.js');
  const { createSite, putPolicy } = await import('../functions/meals/sites.js');
  const county = '411331';
  const staffP = { sub: 'bench', role: 'staff' as const, county };
  const now = new Date();
  const perSite = opts.quick ? 30 : 80;
  const speedup = opts.quick ? 90 : 30;
  const townships = Array.from({ length: 16 }, (_, t) => `${county}${100 + t}`);
  for (const [t, code] of townships.entries()) await putTownship(staffP, code, { name: `乡镇${t}`, elderlyPopulation: 6000 }, now);
  await putPolicy(staffP, { effectiveFrom: '2020-01-01', rules: [{ match: { categories: ['dibao'], minAge: 60 }, subsidyFen: 500 }, { match: { minAge: 60 }, subsidyFen: 200 }], dailyCapFen: 1000 }, now);

  const sites = [];
  for (let i = 0; i < 36; i++) {
    const township = townships[i % 16]!;
    const site = await createSite(staffP, {
      name: `助餐点${i}`, township, kind: i < 16 ? 'canteen' : 'service_point', address: `${i}号`, delivery: false,
      slots: { lunch: { capacity: 150, priceFen: 1500, cutoff: '10:00' } },
    }, now);
    const elders = await registerElders(staffP, township, perSite, 100_000 + i * 1000);
    sites.push({ id: site.id, elders, token: await tokenFor(b, { role: 'site', sub: `reader-${i}`, county, site: site.id }) });
  }

  // Each meal's minute in the 90: a bell curve around the middle (noon), sigma 18 minutes.
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const meals = sites.flatMap((s) => s.elders.map((elderId) => ({ site: s, elderId, minute: Math.min(89.999, Math.max(0, 45 + 18 * gauss())) })));
  meals.sort((a, b2) => a.minute - b2.minute);
  const perMinute = new Array(90).fill(0) as number[];
  for (const m of meals) perMinute[Math.floor(m.minute)]!++;
  const peakMinute = perMinute.indexOf(Math.max(...perMinute));

  const msPerRealMinute = 60_000 / speedup;
  const timingsFrom = b.timings.length;
  const started = performance.now();
  const servedAt = new Date(Date.now() - 30 * 60_000).toISOString();
  const results = await pool(meals, 200, async (m, i) => {
    const due = started + m.minute * msPerRealMinute;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const late = performance.now() - due;
    const r = await call(b, 'POST', `/v1/meal-sites/${m.site.id}/servings`, m.site.token, {
      records: [{ clientRecordId: `rush-${i}`, elderId: m.elderId, servedAt, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' }],
    });
    const accepted = r.status === 200 && r.body.results[0].status === 'accepted';
    return { minute: m.minute, ms: r.ms, late, accepted, error: r.status !== 200 };
  });
  const lat = results.map((r) => r.ms);
  const peakLat = results.filter((r) => Math.floor(r.minute) === peakMinute).map((r) => r.ms);
  const rejected = results.filter((r) => !r.accepted).length;
  const maxLate = Math.max(...results.map((r) => r.late));
  const out = {
    sites: sites.length,
    meals: meals.length,
    realMinutes: 90,
    speedup,
    realPeakPerMinute: perMinute[peakMinute]!,
    realPeakPerSecond: round(perMinute[peakMinute]! / 60, 2),
    playedPeakPerSecond: round((perMinute[peakMinute]! / 60) * speedup, 1),
    rejected,
    errors: results.filter((r) => r.error).length,
    p50ms: round(median(lat)),
    p99ms: round(percentile(lat, 99)),
    peakMinuteP99ms: round(percentile(peakLat, 99)),
    maxLateMs: round(maxLate),
    handlerP50ms: round(median(b.timings.slice(timingsFrom).filter((t) => t.route === 'POST /v1/meal-sites/{siteId}/servings').map((t) => t.handlerMs))),
    verdict: '',
  };
  out.verdict = rejected === 0 && maxLate < 1000
    ? `nothing rejected; at ${speedup}x the real rate the server kept up (no request started over 1 s late)`
    : `${rejected} not accepted; requests started up to ${round(maxLate)} ms late: the local server fell behind at ${speedup}x`;
  return out;
}
