import type { Principal } from '#shared/auth/principal.js';
import { AppError } from '#shared/http/errors.js';
import { elderCategories, type RegisterElderInput } from '#shared/schemas/elders.js';
import { linkFamily, putTownship, registerElder } from '#functions/registry/elders.js';
import { backfillNameIndex, getSeedMarker, listTownshipElderIds, putSeedMarker } from '#functions/registry/store.js';
import { createSite, listSites, putMenu, putPolicy } from '#functions/meals/sites.js';
import { createBooking } from '#functions/meals/bookings.js';
import { recordServings } from '#functions/meals/servings.js';
import { cstDate } from '#shared/time.js';
import { addBeds, createInstitution, listBeds } from '#functions/beds/institutions.js';
import { countersOf } from '#functions/beds/store.js';
import { admit } from '#functions/beds/residents.js';
import { openHomeCareBed } from '#functions/beds/home-care.js';
import { institutionKinds } from '#shared/schemas/beds.js';
import { fileApplication, putAdmissionPolicy } from '#functions/beds/applications.js';
import { fillVacancies } from '#functions/beds/offers.js';
import { checkCharacter } from '#shared/id-number.js';

/**
 * The demo county, sized from the brief: 社旗县 (Henan), 16 townships, about 112,000 elderly
 * residents (7,879 beds at 70 per 1,000), and a few thousand registered elders with family
 * links. Everything goes through the same use cases as API requests. Deterministic (seeded
 * random numbers), so every laptop gets the same county.
 */
import { DEMO_COUNTY } from './demo.js';
export { DEMO_COUNTY };
const SEED_NAME = 'demo-county-v1';
const MEALS_SEED = 'demo-meals-v1';
const BEDS_SEED = 'demo-beds-v1';
const WAITING_SEED = 'demo-waiting-list-v1';

const TOWNSHIPS: readonly [string, number][] = [
  ['赊店镇', 16800], ['桥头镇', 7400], ['饶良镇', 6900], ['兴隆镇', 6300], ['晋庄镇', 6100], ['李店镇', 7000],
  ['苗店镇', 6600], ['郝寨镇', 5900], ['朱集镇', 5800], ['下洼镇', 6200], ['太和乡', 6400], ['大冯营乡', 6700],
  ['陌陂镇', 6500], ['城郊乡', 8200], ['唐庄乡', 5600], ['青台镇', 5000],
];
export const demoTownshipCode = (i: number): string => `${DEMO_COUNTY}${String(100 + i).padStart(3, '0')}`;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '秀英桂兰玉凤兰英建国国华志强明德淑珍文华金花春梅荣德振华翠花秋菊保国永福长青德胜红梅桂芳福林海山宝山凤英玉珍';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid ID number for the demo county; the sequence number keeps each one unique. */
export function demoIdNumber(birth: Date, seq: number, male: boolean): string {
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  const s = (seq % 500) * 2 + (male ? 1 : 0);
  const first17 = `${DEMO_COUNTY}${ymd}${String(s).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

async function pool<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

export interface SeedResult {
  readonly skipped: boolean;
  readonly sampleElderId: string;
  readonly familyElderIds: string[];
  readonly elders: number;
}

/**
 * Care beds as the brief counts them for 社旗县: 69 institutions with 7,879 beds, 5,515 of them
 * nursing-type (70%); residents in about an eighth of the beds (the demo has 3,200 registered
 * elders, not the county's 112,000); 80 home care beds.
 */
export async function seedBeds(say: (line: string) => void): Promise<{ skipped: boolean; institutionId: string; beds: number }> {
  const existing = await getSeedMarker(BEDS_SEED);
  if (existing) return { skipped: true, institutionId: String(existing.institutionId), beds: Number(existing.beds) };
  const staff: Principal = { sub: 'seed', role: 'staff', county: DEMO_COUNTY };
  const now = new Date();
  const random = rng(69);
  const TOTAL_BEDS = 7879;
  const NURSING = 5515;
  // A large welfare home and regional centres, then smaller homes, day-care and rural happiness homes.
  const sizes = Array.from({ length: 69 }, (_, i) => (i === 0 ? 600 : i < 6 ? 300 : i < 30 ? 120 : i < 50 ? 70 : 40));
  const scale = TOTAL_BEDS / sizes.reduce((a, b) => a + b, 0);
  const bedCounts = sizes.map((n) => Math.floor(n * scale));
  bedCounts[0]! += TOTAL_BEDS - bedCounts.reduce((a, b) => a + b, 0);
  let nursingLeft = NURSING;
  let bedsLeft = TOTAL_BEDS;
  const institutions: { id: string; township: string; beds: string[]; nursing: number; n: number }[] = [];
  // An interrupted seed left some institutions behind: reuse them by name (names are unique).
  const existingInstitutions = new Map((await countersOf(DEMO_COUNTY)).filter((c) => c.institutionId).map((c) => [String(c.name), String(c.institutionId)]));
  for (let i = 0; i < 69; i++) {
    const t = i % TOWNSHIPS.length;
    const kind = i === 0 ? 'welfare_home' : i < 6 ? 'regional_center' : institutionKinds[i % institutionKinds.length]!;
    const name = `${TOWNSHIPS[t]![0]}${i < 6 ? '区域性养老服务中心' : kind === 'rural_happiness_home' ? `第${i}农村幸福院` : kind === 'day_care' ? `第${i}日间照料中心` : `第${i}养老院`}`;
    const inst = existingInstitutions.has(name)
      ? { id: existingInstitutions.get(name)!, township: demoTownshipCode(t) }
      : await createInstitution(staff, { name, township: demoTownshipCode(t), kind, starRating: 1 + (i % 5) }, now);
    const n = bedCounts[i]!;
    // Nursing beds in proportion, so the county ends at exactly 5,515.
    const nursing = i === 68 ? nursingLeft : Math.round((nursingLeft / bedsLeft) * n);
    nursingLeft -= nursing;
    bedsLeft -= n;
    institutions.push({ id: inst.id, township: inst.township, beds: [], nursing, n });
  }
  let bedsAdded = 0;
  let shown = 0;
  await pool(institutions, 3, async (inst) => {
    for (let start = 0; start < inst.n; start += 95) {
      const chunk = Array.from({ length: Math.min(95, inst.n - start) }, (_, k) => {
        const b = start + k;
        return { label: `${Math.floor(b / 40) + 1}号楼-${Math.floor((b % 40) / 10) + 1}层-${(Math.floor((b % 40) / 2) % 5) + 1}${String((b % 10) + 1).padStart(2, '0')}室-${(b % 2) + 1}床`, careType: b < inst.nursing ? ('nursing' as const) : ('ordinary' as const), tags: b < inst.nursing && b % 7 === 0 ? ['dementia_care'] : [] };
      });
      try {
        await addBeds(staff, inst.id, { beds: chunk }, now);
      } catch (e) {
        // Added by an interrupted earlier seed.
        if (!(e instanceof AppError && e.code === 'BED_LABEL_EXISTS')) throw e;
      }
      bedsAdded += chunk.length;
      if (bedsAdded - shown >= 2000) {
        shown = bedsAdded;
        say(`beds: ${bedsAdded}/${TOTAL_BEDS} in 69 institutions`);
  for (const inst of institutions) inst.beds = (await listBeds(staff, inst.id)).map((b) => b.id);
      }
    }
  });
  say(`beds: ${bedsAdded}/${TOTAL_BEDS} in 69 institutions`);
  for (const inst of institutions) inst.beds = (await listBeds(staff, inst.id)).map((b) => b.id);

  // Residents: elders of each institution's township, about a fifth of the beds.
  let admitted = 0;
  await pool(institutions, 2, async (inst, i) => {
    const elderIds = await listTownshipElderIds(inst.township, 40, 60 + (i % 3) * 40);
    const take = Math.min(elderIds.length, Math.ceil(inst.beds.length / 8));
    for (let k = 0; k < take; k++) {
      try {
        await admit(staff, inst.id, { bedId: inst.beds[k * 3 % inst.beds.length]!, elderId: elderIds[k]!, admittedAt: new Date(now.getTime() - Math.floor(random() * 400) * 86_400_000).toISOString() }, now);
        admitted++;
      } catch {
        /* an elder near two institutions is admitted once: the guard says no to the second */
      }
    }
  });
  say(`residents admitted: ${admitted}`);
  let homeCare = 0;
  for (let k = 0; k < 80; k++) {
    const inst = institutions[k % 6]!;
    const [elderId] = await listTownshipElderIds(inst.township, 1, 180 + Math.floor(k / 6));
    if (!elderId) continue;
    try {
      await openHomeCareBed(staff, { elderId, institutionId: inst.id, address: `${inst.township.slice(-3)}村${k + 1}号`, startedAt: '2026-03-01' }, now);
      homeCare++;
    } catch {
      /* one open home care bed per elder */
    }
  }
  say(`home care beds: ${homeCare}`);
  await putSeedMarker(BEDS_SEED, { institutionId: institutions[0]!.id, beds: TOTAL_BEDS, seededAt: now.toISOString() });
  return { skipped: false, institutionId: institutions[0]!.id, beds: TOTAL_BEDS };
}

/**
 * The waiting list (轮候): an admission policy of three classes as a county publishes one (特困
 * first, then 低保/低收入 elders who lost capacity, then 80 and over) and a dozen applications, one
 * of them for the demo family's first elder, so the family page shows a place in the queue. Filed
 * after the beds: the applications, then the policy, then the vacant beds of public institutions
 * offered (now). About a second; skipped once done.
 */
export async function seedWaitingList(registry: SeedResult, say: (line: string) => void): Promise<{ skipped: boolean; applications: number }> {
  const existing = await getSeedMarker(WAITING_SEED);
  if (existing) return { skipped: true, applications: Number(existing.applications) };
  const staff: Principal = { sub: 'seed', role: 'staff', county: DEMO_COUNTY };
  const now = new Date();
  // Elders past the ones the bed seed admitted (township offsets 60 to about 160) or gave a home
  // care bed (180 to 193), within the 200 a township has.
  const elderIds = [registry.familyElderIds[0]!];
  for (let t = 0; t < 4; t++) elderIds.push(...(await listTownshipElderIds(demoTownshipCode(t), 3, 194)));
  let filed = 0;
  // A minute apart, oldest first: within a class the queue reads in the order filed.
  for (const [k, elderId] of elderIds.entries()) {
    try {
      await fileApplication(staff, { elderId, careType: k % 3 === 2 ? 'ordinary' : 'nursing', tags: k % 4 === 1 ? ['dementia_care'] : [], ...(k % 5 === 3 && { township: demoTownshipCode(k % 4) }) }, new Date(now.getTime() - (elderIds.length - k) * 60_000));
      filed++;
    } catch (e) {
      // One open application per elder (an interrupted earlier seed), or an elder the seed admitted.
      if (!(e instanceof AppError)) throw e;
    }
  }
  // The policy after the applications: filing back-dated under a policy would make offers
  // (to any application) dated in the past. Then the vacant public beds are offered, now.
  await putAdmissionPolicy(staff, {
    effectiveFrom: '2020-01-01',
    classes: [
      { name: '特困供养', match: { categories: ['tekun'] } },
      { name: '低保低收入失能', match: { categories: ['dibao', 'low_income'], capabilityLevelAtLeast: 2 } },
      { name: '高龄', match: { minAge: 80 } },
    ],
    offerHoldDays: 3,
    declinesBeforeRequeue: 2,
  }, now).catch((e: unknown) => {
    // A version already there (an interrupted earlier seed) stands.
    if (!(e instanceof AppError && e.code === 'DATE_IN_PAST')) throw e;
  });
  const offers = await fillVacancies(DEMO_COUNTY, new Date());
  say(`waiting list: an admission policy, ${filed} applications, ${offers.length} beds offered`);
  await putSeedMarker(WAITING_SEED, { applications: filed, seededAt: now.toISOString() });
  return { skipped: false, applications: filed };
}

/**
 * The subsidy policy, the 36 meal sites and today's and tomorrow's menus: what a family needs
 * to book. Needs only the townships; reuses sites already there, so running it twice is safe.
 */
export async function seedMealSites(say: (line: string) => void): Promise<{ id: string; township: string; delivery: boolean }[]> {
  const staff: Principal = { sub: 'seed', role: 'staff', county: DEMO_COUNTY };
  const now = new Date();
  // The county's first version, dated when its policy was adopted; an interrupted earlier seed
  // already put it, and a version in force is never replaced (DATE_IN_PAST).
  await putPolicy(staff, {
    effectiveFrom: '2025-01-01',
    rules: [
      { match: { categories: ['dibao', 'tekun'], minAge: 60 }, subsidyFen: 500 },
      { match: { minAge: 80 }, subsidyFen: 300 },
      { match: { minAge: 60 }, subsidyFen: 100 },
    ],
    deliverySubsidy: { capabilityLevelAtLeast: 2, subsidyFen: 200 },
    dailyCapFen: 1000,
    siteSubsidyPerDinerFen: 300,
  }, now).catch((e: unknown) => {
    if (!(e instanceof AppError && e.code === 'DATE_IN_PAST')) throw e;
  });

  // An interrupted seed left some sites behind: reuse them by name rather than add twins.
  const existingSites = new Map((await listSites(staff, undefined, { limit: 500 })).items.map((x) => [x.name, x]));
  const sites: { id: string; township: string; delivery: boolean }[] = [];
  for (let i = 0; i < 36; i++) {
    const t = i % TOWNSHIPS.length;
    const kind = i < 16 ? 'canteen' : i === 35 ? 'central_kitchen' : 'service_point';
    const name = `${TOWNSHIPS[t]![0]}${kind === 'canteen' ? '长者食堂' : kind === 'central_kitchen' ? '中央厨房' : `第${Math.floor(i / 16) + 1}助餐点`}`;
    const site = existingSites.get(name) ?? await createSite(staff, {
      name,
      township: demoTownshipCode(t),
      kind,
      address: `${TOWNSHIPS[t]![0]}${['人民路', '建设路', '解放街', '文化路'][i % 4]}${10 + i}号`,
      delivery: kind !== 'service_point' || i % 2 === 0,
      slots: {
        ...(kind === 'canteen' && { breakfast: { capacity: 40, priceFen: 500, cutoff: '07:00' } }),
        lunch: { capacity: kind === 'canteen' ? 120 : 60, priceFen: 1500, cutoff: '10:00' },
        dinner: { capacity: kind === 'canteen' ? 80 : 40, priceFen: 1200, cutoff: '16:00' },
      },
      ...(kind === 'canteen' && { kitchenStreamUrl: `https://live.example.invalid/kitchen/${i}` }),
    }, now);
    sites.push({ id: site.id, township: site.township, delivery: site.delivery });
  }
  say(`meal sites: ${sites.length}`);

  const today = cstDate(now);
  const tomorrow = cstDate(new Date(now.getTime() + 86_400_000));
  for (const site of sites) {
    for (const date of [today, tomorrow]) {
      await putMenu(staff, site.id, date, { slots: { lunch: [{ name: '红烧豆腐', tags: ['soft'] }, { name: '清炒时蔬', tags: ['low_salt'] }, { name: '小米粥', tags: ['soft', 'diabetic'] }], dinner: [{ name: '番茄鸡蛋面', tags: ['soft'] }] } }, now);
    }
  }

  say('menus: today and tomorrow');
  return sites;
}

/**
 * Meal assistance in the demo county: 36 sites (a canteen in every township, service points and
 * a central kitchen), a county subsidy policy (dibao/tekun 5 yuan, 80+ 3 yuan, 60+ 1 yuan,
 * delivery +2 yuan at capability level 2+, 3 yuan per diner to the site), menus, tomorrow's
 * bookings and yesterday's servings, all through the same use cases as the API.
 */
export async function seedMeals(_registry: SeedResult, say: (line: string) => void): Promise<{ skipped: boolean; siteId: string; sites: number }> {
  const existing = await getSeedMarker(MEALS_SEED);
  if (existing) return { skipped: true, siteId: String(existing.siteId), sites: Number(existing.sites) };
  const staff: Principal = { sub: 'seed', role: 'staff', county: DEMO_COUNTY };
  const now = new Date();
  const random = rng(36);
  const sites = await seedMealSites(say);
  const tomorrow = cstDate(new Date(now.getTime() + 86_400_000));

  // Tomorrow's bookings and two days of servings, from elders living near each site.
  let bookings = 0;
  let servings = 0;
  let sitesDone = 0;
  await pool(sites, 2, async (site, i) => {
    const elderIds = await listTownshipElderIds(site.township, 60, i % 2 === 0 ? 0 : 30);
    for (const elderId of elderIds.slice(0, 12)) {
      const mode = site.delivery && random() < 0.3 ? 'delivery' : random() < 0.2 ? 'pickup' : 'dine_in';
      try {
        await createBooking(staff, { elderId, siteId: site.id, date: tomorrow, slot: 'lunch', mode, ...(mode === 'delivery' && { deliveryAddress: `${site.township.slice(-3)}村${Math.floor(random() * 50) + 1}号` }) }, now);
        bookings++;
      } catch {
        /* the same elder may be near two sites: one booking per slot is the rule */
      }
    }
    const device: Principal = { sub: `seed-device-${i}`, role: 'site', county: DEMO_COUNTY, site: site.id };
    for (const daysAgo of [1]) {
      const day = cstDate(new Date(now.getTime() - daysAgo * 86_400_000));
      const records = elderIds.slice(0, 30).map((elderId, k) => ({
        clientRecordId: `seed-${site.id}-${day}-${k}`,
        elderId,
        servedAt: new Date(Date.parse(`${day}T11:${String(10 + (k % 50)).padStart(2, '0')}:00+08:00`)).toISOString(),
        slot: 'lunch',
        mode: 'dine_in',
        verifiedBy: random() < 0.1 ? 'manual' : random() < 0.5 ? 'card' : 'face',
      }));
      const results = await recordServings(device, site.id, records, now);
      servings += results.filter((r) => r.status === 'accepted').length;
    }
    if (++sitesDone % 12 === 0) say(`bookings and servings: ${sitesDone}/${sites.length} sites`);
  });
  say(`bookings: ${bookings}, servings: ${servings}`);

  await putSeedMarker(MEALS_SEED, { siteId: sites[0]!.id, sites: sites.length, seededAt: now.toISOString() });
  return { skipped: false, siteId: sites[0]!.id, sites: sites.length };
}

const NAME_INDEX_SEED = 'elder-name-index';

/**
 * Data kept from before the staff search existed: gives its elders their name keys (gsi2),
 * once (a marker records it). Fresh seeds write them with each elder.
 */
async function indexElderNames(say: (line: string) => void): Promise<void> {
  if (await getSeedMarker(NAME_INDEX_SEED)) return;
  let n = 0;
  for (const i of TOWNSHIPS.keys()) n += await backfillNameIndex(demoTownshipCode(i));
  if (n) say(`elder names indexed for the staff search: ${n}`);
  await putSeedMarker(NAME_INDEX_SEED, { indexedAt: new Date().toISOString(), elders: n });
}

export async function seedRegistry(opts: {
  eldersPerTownship?: number;
  progress?: (line: string) => void;
  /** Runs once the townships and the demo family's two elders are in, before the other elders. */
  afterDemoFamily?: () => Promise<void>;
} = {}): Promise<SeedResult> {
  const existing = await getSeedMarker(SEED_NAME);
  if (existing) {
    await indexElderNames(opts.progress ?? (() => undefined));
    return { skipped: true, ...(existing as Omit<SeedResult, 'skipped'>) };
  }
  const say = opts.progress ?? (() => undefined);
  const perTownship = opts.eldersPerTownship ?? 200;
  const staff: Principal = { sub: 'seed', role: 'staff', county: DEMO_COUNTY };
  const now = new Date();
  const random = rng(20251124);
  const pick = <T>(xs: readonly T[] | string): T => xs[Math.floor(random() * xs.length)] as T;

  for (const [i, [name, elderlyPopulation]] of TOWNSHIPS.entries()) {
    await putTownship(staff, demoTownshipCode(i), { name, elderlyPopulation }, now);
  }
  say(`townships: ${TOWNSHIPS.length}`);

  const rates: Record<(typeof elderCategories)[number], number> = {
    dibao: 0.08, dibao_edge: 0.04, tekun: 0.03, low_income: 0.1, living_alone: 0.12, empty_nest: 0.25, left_behind: 0.1, disabled: 0.06,
  };
  const inputs: RegisterElderInput[] = [];
  for (let t = 0; t < TOWNSHIPS.length; t++) {
    for (let k = 0; k < perTownship; k++) {
      const n = t * perTownship + k;
      const birth = new Date(Date.UTC(1928, 0, 1) + Math.floor(random() * 38 * 365.25) * 86_400_000);
      const male = random() < 0.47;
      const level = random();
      inputs.push({
        idNumber: demoIdNumber(birth, n, male),
        name: pick<string>(SURNAMES) + pick<string>(GIVEN) + (random() < 0.6 ? pick<string>(GIVEN) : ''),
        phone: `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
        township: demoTownshipCode(t),
        categories: elderCategories.filter((c) => random() < rates[c]),
        capabilityLevel: level < 0.7 ? 0 : level < 0.85 ? 1 : level < 0.93 ? 2 : level < 0.98 ? 3 : 4,
        dietaryNeeds: [...(random() < 0.1 ? ['diabetic' as const] : []), ...(random() < 0.2 ? ['low_salt' as const] : []), ...(random() < 0.1 ? ['soft' as const] : [])],
        ...(random() < 0.6 && { cardNo: `SQ${String(100000 + n)}` }),
      });
    }
  }

  const ids: string[] = new Array(inputs.length);
  let done = 0;
  let lastShown = 0;
  const register = async (input: RegisterElderInput, i: number) => {
    try {
      ids[i] = (await registerElder(staff, input, now)).id;
    } catch (e) {
      // A rerun after an interrupted seed finds some elders already there: reuse them.
      if (e instanceof AppError && e.code === 'ELDER_EXISTS') ids[i] = String(e.details[0]?.id);
      else throw e;
    }
    done++;
    const pct = Math.floor((done / inputs.length) * 10) * 10;
    if (pct > lastShown) {
      lastShown = pct;
      say(`elders: ${done}/${inputs.length} (${pct}%)`);
    }
  };

  // The demo family's two parents first, linked at once, so its pages have something to show
  // while the rest of the county seeds.
  const demoFamily = [1, 2];
  for (const i of demoFamily) await register(inputs[i]!, i);
  const familyElderIds = [ids[1]!, ids[2]!];
  for (const elderId of familyElderIds) {
    try {
      await linkFamily(staff, elderId, { familySub: 'family-demo', relation: 'child' }, now);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'ALREADY_LINKED')) throw e;
    }
  }
  say('the demo family (family-demo) and its two elders');
  await opts.afterDemoFamily?.();
  await pool(inputs.map((input, i) => ({ input, i })).filter(({ i }) => !demoFamily.includes(i)), 8, ({ input, i }) => register(input, i));

  // About a third of elders have a family account linked.
  const links = ids.flatMap((elderId, i) => (i % 3 === 0 ? [{ elderId, familySub: `family-${String(i).padStart(5, '0')}` }] : []));
  await pool(links, 8, async (l) => {
    try {
      await linkFamily(staff, l.elderId, { familySub: l.familySub, relation: 'child' }, now);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'ALREADY_LINKED')) throw e;
    }
  });
  say(`family links: ${links.length}`);

  const result = { sampleElderId: ids[0]!, familyElderIds, elders: ids.length };
  await putSeedMarker(SEED_NAME, { ...result, seededAt: now.toISOString() });
  return { skipped: false, ...result };
}
