/**
 * Subsidy rules (补贴), as the contract states them. Pure functions: no I/O, no AWS types.
 *
 * For one meal: the largest matching rule's amount, plus the delivery add-on for a delivered
 * meal to an elder at or above its capability level; nothing for a meal priced under the
 * minimum price; never more than the price; and never more than what is left of the elder's
 * daily cap. "One subsidised meal per elder per slot per day" is enforced by the store with a
 * conditional write, because only the database can see all sites at once.
 */
import { ruleMatches, type Eligibility, type RuleMatch } from '#shared/eligibility.js';

export { ruleMatches, type Eligibility, type RuleMatch };

export const slots = ['breakfast', 'lunch', 'dinner'] as const;
export type Slot = (typeof slots)[number];
export const modes = ['dine_in', 'pickup', 'delivery'] as const;
export type Mode = (typeof modes)[number];

export interface SubsidyPolicy {
  readonly effectiveFrom: string;
  readonly rules: readonly { readonly match: RuleMatch; readonly subsidyFen: number }[];
  readonly minPriceFen?: number;
  readonly dailyCapFen?: number;
  readonly deliverySubsidy?: { readonly capabilityLevelAtLeast: number; readonly subsidyFen: number };
  readonly siteSubsidyPerDinerFen?: number;
}

export interface SubsidyQuote {
  readonly subsidyFen: number;
  readonly payFen: number;
  /** Why the amount is what it is, for the serving record and the auditors. */
  readonly basis: 'rule' | 'no_matching_rule' | 'below_min_price' | 'daily_cap_reached' | 'slot_already_subsidised';
}

/**
 * The subsidy for one meal before the per-slot guard: `usedTodayFen` is what the elder has
 * already been granted today (for the daily cap).
 */
export function quoteSubsidy(policy: SubsidyPolicy | undefined, e: Eligibility, priceFen: number, mode: Mode, usedTodayFen = 0): SubsidyQuote {
  const none = (basis: SubsidyQuote['basis']): SubsidyQuote => ({ subsidyFen: 0, payFen: priceFen, basis });
  if (!policy) return none('no_matching_rule');
  if (policy.minPriceFen !== undefined && priceFen < policy.minPriceFen) return none('below_min_price');
  let amount = 0;
  for (const r of policy.rules) if (r.subsidyFen > amount && ruleMatches(r.match, e)) amount = r.subsidyFen;
  if (amount === 0 && !(mode === 'delivery' && policy.deliverySubsidy)) return none('no_matching_rule');
  const d = policy.deliverySubsidy;
  if (mode === 'delivery' && d && (e.capabilityLevel ?? 0) >= d.capabilityLevelAtLeast) amount += d.subsidyFen;
  if (amount === 0) return none('no_matching_rule');
  amount = Math.min(amount, priceFen);
  if (policy.dailyCapFen !== undefined) {
    const left = Math.max(0, policy.dailyCapFen - usedTodayFen);
    if (left === 0) return none('daily_cap_reached');
    amount = Math.min(amount, left);
  }
  return { subsidyFen: amount, payFen: priceFen - amount, basis: 'rule' };
}

/** The policy in force on `date`: the latest version effective on or before it. */
export function policyOn<P extends { effectiveFrom: string }>(versions: readonly P[], date: string): P | undefined {
  let best: P | undefined;
  for (const v of versions) if (v.effectiveFrom <= date && (!best || v.effectiveFrom > best.effectiveFrom)) best = v;
  return best;
}
