import { quoteSubsidy, type Mode, type Slot, type SubsidyPolicy } from '#functions/meals/domain/subsidy.js';
import type { EstimateBasis, Figures } from './outbox-logic.js';

/**
 * The price, subsidy and pay the counter shows before the server has priced a meal (offline,
 * or in the moment before the upload answers): marked 预计 on the page and replaced by the
 * server's figures once the record is uploaded. Computed with the server's own `quoteSubsidy`
 * and the policy in force today (cached on the device for the day).
 *
 * What the counter can know without the network, best first:
 * - the same elder already has a meal in this slot today (on this device): no subsidy, full price;
 * - the elder booked this meal: the booking's own figures (price and expected subsidy);
 * - the elder's age (from the ID number, or the site's minimal view): the rules that need only
 *   age; categories are not visible to a site, so this is a floor the server may raise;
 * - nothing (an unknown card offline): the price only, subsidy 待核定.
 */
export interface EstimateInput {
  /** The slot's price at this site, fen. */
  readonly priceFen: number;
  readonly mode: Mode;
  readonly policy?: SubsidyPolicy;
  readonly booking?: { readonly slot: Slot; readonly mode: Mode; readonly priceFen: number; readonly subsidyFen: number };
  /** Whole years on the meal's date, when known. */
  readonly age?: number;
  /** The same elder (same card, ID number or elder id) already has a meal in this slot today. */
  readonly repeat: boolean;
}

export function estimate(i: EstimateInput): Figures & { basis: EstimateBasis } {
  if (i.repeat) return { priceFen: i.booking?.priceFen ?? i.priceFen, subsidyFen: 0, payFen: i.booking?.priceFen ?? i.priceFen, basis: 'repeat' };
  if (i.booking && i.booking.mode === i.mode) {
    return { priceFen: i.booking.priceFen, subsidyFen: i.booking.subsidyFen, payFen: i.booking.priceFen - i.booking.subsidyFen, basis: 'booking' };
  }
  const priceFen = i.booking?.priceFen ?? i.priceFen;
  if (i.age === undefined) return { priceFen, basis: 'unknown' };
  const q = quoteSubsidy(i.policy, { age: i.age, categories: [] }, priceFen, i.mode);
  return { priceFen, subsidyFen: q.subsidyFen, payFen: q.payFen, basis: 'age' };
}
