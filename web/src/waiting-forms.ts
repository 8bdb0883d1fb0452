import { fileApplicationBody, putAdmissionPolicyBody } from '#shared/schemas/bed-applications.js';
import type { Answer, BodyOf } from './api.js';
import { addDays } from './format.js';
import { classOrdinal } from './messages.js';
import { categoryLabels, st } from './staff-messages.js';

/**
 * The waiting list's (轮候) staff forms and words: the admission policy written out as the bureau
 * publishes it, the policy edit form and the application form, each checked with the route's own
 * schema (putAdmissionPolicyBody, fileApplicationBody) so page and server never disagree; the
 * server still decides. Pure functions: the pages and tests/web call them.
 */

export type Policy = Answer<'getAdmissionPolicy'>;
type PriorityClass = Policy['classes'][number];

/** One class's conditions in words: "属于特困或低保，且老年人能力等级2级及以上，且年满80周岁"; an empty match is everyone. */
export function classInWords(c: Pick<PriorityClass, 'match'>): string {
  const parts: string[] = [];
  const { categories, capabilityLevelAtLeast, minAge } = c.match;
  if (categories?.length) parts.push(`属于${categories.map((k) => categoryLabels[k]).join('或')}`);
  if (capabilityLevelAtLeast !== undefined) parts.push(`老年人能力等级${capabilityLevelAtLeast}级及以上`);
  if (minAge !== undefined) parts.push(`年满${minAge}周岁`);
  return parts.length ? parts.join('，且') : '所有老人';
}

/**
 * The policy as the bureau publishes it: "第一类 特困供养：属于特困", one line per class in order,
 * then the line for everyone else (其他), who rank after every class.
 */
export function policyLines(p: Pick<Policy, 'classes'>): string[] {
  return [...p.classes.map((c, i) => `${classOrdinal(i)} ${c.name}：${classInWords(c)}`), st.otherClassLine];
}

/** The policy's two numbers in words. */
export function policyTermsInWords(p: Pick<Policy, 'offerHoldDays' | 'declinesBeforeRequeue'>): string {
  const requeue = p.declinesBeforeRequeue === 0 ? '放弃配床不影响排序' : `放弃配床（含逾期未入住）累计${p.declinesBeforeRequeue}次的，移到本类别末尾重新排队`;
  return `配床后床位保留${p.offerHoldDays}天；${requeue}。`;
}

/** One class of the edit form as typed: numbers as strings ('' = no such condition). */
export interface ClassForm {
  readonly name: string;
  readonly categories: readonly string[];
  /** '' or '0'..'4' */
  readonly capabilityLevelAtLeast: string;
  readonly minAge: string;
}
export interface PolicyForm {
  readonly effectiveFrom: string;
  readonly offerHoldDays: string;
  readonly declinesBeforeRequeue: string;
  readonly classes: readonly ClassForm[];
}
export const emptyClass: ClassForm = { name: '', categories: [], capabilityLevelAtLeast: '', minAge: '' };

/**
 * The form for a new version: the policy in force (or nothing), dated from the earliest day the
 * API accepts: today (China Standard Time, YYYY-MM-DD), or tomorrow when the version in force
 * is dated today (it may already have ordered today's queue).
 */
export function policyFormOf(p: Policy | undefined, today: string): PolicyForm {
  return {
    effectiveFrom: p?.effectiveFrom === today ? addDays(today, 1) : today,
    offerHoldDays: String(p?.offerHoldDays ?? 3),
    declinesBeforeRequeue: String(p?.declinesBeforeRequeue ?? 2),
    classes: p ? p.classes.map((c) => ({
      name: c.name,
      categories: [...(c.match.categories ?? [])],
      capabilityLevelAtLeast: c.match.capabilityLevelAtLeast === undefined ? '' : String(c.match.capabilityLevelAtLeast),
      minAge: c.match.minAge === undefined ? '' : String(c.match.minAge),
    })) : [{ ...emptyClass }],
  };
}

const wholeOf = (typed: string): number => (/^\d{1,3}$/.test(typed.trim()) ? Number(typed.trim()) : Number.NaN);

/**
 * The PUT /v1/admission-policy body from the form, or the problems keyed by field: 'effectiveFrom',
 * 'offerHoldDays', 'declinesBeforeRequeue', 'classes' (the list as a whole, e.g. two classes of one
 * name), 'classes.N.name', 'classes.N.minAge'. The schema decides every rule it holds.
 */
export function policyBodyOf(form: PolicyForm): { ok: true; body: BodyOf<'putAdmissionPolicy'> } | { ok: false; problems: Record<string, 'invalid'> } {
  const problems: Record<string, 'invalid'> = {};
  const classes = form.classes.map((c, i) => {
    const minAge = c.minAge.trim() === '' ? undefined : wholeOf(c.minAge);
    if (Number.isNaN(minAge)) problems[`classes.${i}.minAge`] = 'invalid';
    return {
      name: c.name.trim(),
      match: {
        ...(c.categories.length && { categories: [...c.categories] }),
        ...(c.capabilityLevelAtLeast !== '' && { capabilityLevelAtLeast: Number(c.capabilityLevelAtLeast) }),
        ...(minAge !== undefined && { minAge }),
      },
    };
  });
  const body = { effectiveFrom: form.effectiveFrom, classes, offerHoldDays: wholeOf(form.offerHoldDays), declinesBeforeRequeue: wholeOf(form.declinesBeforeRequeue) };
  const parsed = putAdmissionPolicyBody.safeParse(body);
  if (parsed.success && Object.keys(problems).length === 0) return { ok: true, body: body as BodyOf<'putAdmissionPolicy'> };
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const [a, i, b] = issue.path.map(String);
    // A class's name, or its age; anything else about a class (its categories come from
    // checkboxes) is about the list as a whole.
    problems[a === 'classes' && i !== undefined && (b === 'name' || (b === 'match' && issue.path[3] === 'minAge')) ? `classes.${i}.${b === 'name' ? 'name' : 'minAge'}` : (a ?? '')] = 'invalid';
  }
  return { ok: false, problems };
}

/** The application form as typed: tags as typed ("dementia_care, hospice"), preferred institutions as chosen. */
export interface ApplicationForm {
  readonly elderId: string;
  readonly careType: 'nursing' | 'ordinary';
  readonly tags: string;
  readonly institutionIds: readonly string[];
  /** '' = any township */
  readonly township: string;
}

/**
 * The POST /v1/bed-applications body, or problems keyed 'tags', 'institutionIds', 'township'.
 * Tags may be separated by spaces, commas (also the full-width ，) or 、, and are lower-cased as
 * bed tags are.
 */
export function applicationBodyOf(form: ApplicationForm): { ok: true; body: BodyOf<'fileApplication'> } | { ok: false; problems: Record<string, 'invalid'> } {
  const tags = form.tags.normalize('NFKC').split(/[\s,、]+/).filter(Boolean).map((x) => x.toLowerCase());
  const body = {
    elderId: form.elderId,
    careType: form.careType,
    tags,
    ...(form.institutionIds.length && { institutionIds: [...form.institutionIds] }),
    ...(form.township && { township: form.township }),
  };
  const parsed = fileApplicationBody.safeParse(body);
  if (parsed.success) return { ok: true, body: body as BodyOf<'fileApplication'> };
  return { ok: false, problems: Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? ''), 'invalid' as const])) };
}

type QueueEntry = Answer<'listApplications'>['items'][number];
/** What happened to an application's offers: "已放弃2次，已重新排队", or '' when none was declined. */
export function declinesInWords(e: Pick<QueueEntry, 'declinedAt' | 'requeued'>): string {
  if (e.declinedAt.length === 0) return '';
  return `已放弃${e.declinedAt.length}次${e.requeued ? '，已移到本类别末尾重新排队' : ''}`;
}

/** Average days, one decimal: 12.5天. */
export const days = (n: number): string => `${(Math.round(n * 10) / 10).toFixed(1)}天`;

/**
 * What is wrong with a figures range (months YYYY-MM, as the month inputs give them), in words,
 * before it is sent: the API refuses the same (shared/routes/offers.ts, at most 24 months).
 */
export function figuresRangeProblem(from: string, to: string): string | undefined {
  const month = /^\d{4}-(0[1-9]|1[0-2])$/;
  if (!month.test(from) || !month.test(to)) return '请选择起止月份。';
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  const span = index(to) - index(from) + 1;
  if (span < 1) return '截止月份不能早于起始月份。';
  if (span > 24) return '一次最多查询24个月，请缩短时间范围。';
  return undefined;
}
