import type { Principal } from '#shared/auth/principal.js';
import { AppError } from '#shared/http/errors.js';
import { elderCategories, type RegisterElderInput } from '#shared/schemas/elders.js';
import { linkFamily, putTownship, registerElder } from '#functions/registry/elders.js';
import { getSeedMarker, putSeedMarker } from '#functions/registry/store.js';
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

export async function seedDemoCounty(opts: { eldersPerTownship?: number; progress?: (line: string) => void } = {}): Promise<SeedResult> {
  const existing = await getSeedMarker(SEED_NAME);
  if (existing) return { skipped: true, ...(existing as Omit<SeedResult, 'skipped'>) };
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
  await pool(inputs, 8, async (input, i) => {
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
  });

  // About a third of elders have a family account linked; the demo family has two parents.
  const links = ids.flatMap((elderId, i) => (i % 3 === 0 ? [{ elderId, familySub: `family-${String(i).padStart(5, '0')}` }] : []));
  const familyElderIds = [ids[1]!, ids[2]!];
  links.push(...familyElderIds.map((elderId) => ({ elderId, familySub: 'family-demo' })));
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
