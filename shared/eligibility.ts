/**
 * Conditions on an elder that county policies use: the subsidy policy's rules (老年助餐补贴) and the
 * waiting list's priority classes (轮候). One meaning for both: a condition holds when every field
 * it names holds; `categories` means any one of them. Pure, no I/O.
 */
export interface RuleMatch {
  readonly categories?: readonly string[];
  readonly minAge?: number;
  readonly maxAge?: number;
  readonly capabilityLevelAtLeast?: number;
}

/** The elder as a policy sees them on a given day (age in whole years on that China Standard Time date). */
export interface Eligibility {
  readonly age: number;
  readonly categories: readonly string[];
  /** Capability level (能力等级, GB/T 42195-2022): 0 intact to 4 total loss; absent counts as 0. */
  readonly capabilityLevel?: number;
}

export function ruleMatches(match: RuleMatch, e: Eligibility): boolean {
  if (match.categories?.length && !match.categories.some((c) => e.categories.includes(c))) return false;
  if (match.minAge !== undefined && e.age < match.minAge) return false;
  if (match.maxAge !== undefined && e.age > match.maxAge) return false;
  if (match.capabilityLevelAtLeast !== undefined && (e.capabilityLevel ?? 0) < match.capabilityLevelAtLeast) return false;
  return true;
}
