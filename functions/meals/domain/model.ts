import type * as z from 'zod/mini';
import type { createSiteBody, putMenuBody, putPolicyBody } from '#shared/schemas/meals.js';
import type { Mode, Slot } from './subsidy.js';

/** Meal records as the Meals table keeps them. */
export type MealSite = z.output<typeof createSiteBody> & {
  readonly id: string;
  readonly county: string;
  /** Sites registered before suspension existed have no status: read as active. */
  readonly status: 'active' | 'suspended';
  readonly createdAt: string;
  readonly updatedAt: string;
};

export type Menu = z.output<typeof putMenuBody> & { readonly siteId: string; readonly date: string; readonly updatedAt: string };

export type PolicyVersion = z.output<typeof putPolicyBody> & { readonly county: string; readonly version: string; readonly updatedAt: string };

export interface Booking {
  readonly id: string;
  readonly status: 'booked' | 'cancelled' | 'served' | 'no_show';
  readonly county: string;
  readonly elderId: string;
  readonly siteId: string;
  readonly date: string;
  readonly slot: Slot;
  readonly mode: Mode;
  readonly deliveryAddress?: string;
  /** Snapshots for the kitchen list, so it needs no read of the registry. */
  readonly elderName: string;
  readonly elderTownship: string;
  readonly dietaryNeeds: string[];
  readonly livingAlone: boolean;
  readonly priceFen: number;
  readonly subsidyFen: number;
  readonly payFen: number;
  readonly bookedBy: { readonly role: string; readonly sub: string };
  readonly servingId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Serving {
  readonly id: string;
  readonly status: 'recorded' | 'voided';
  readonly county: string;
  readonly township: string;
  readonly siteId: string;
  readonly clientRecordId: string;
  readonly elderId: string;
  readonly date: string;
  readonly slot: Slot;
  readonly mode: Mode;
  readonly servedAt: string;
  readonly verifiedBy: string;
  readonly priceFen: number;
  readonly subsidyFen: number;
  readonly payFen: number;
  readonly subsidyBasis: string;
  readonly policyVersion?: string;
  readonly siteSubsidyPerDinerFen?: number;
  readonly categories: string[];
  readonly age: number;
  readonly capabilityLevel?: number;
  readonly bookingId?: string;
  /**
   * Digest of what the device sent under its clientRecordId (`recordDigest` in
   * domain/record-content.ts); absent on servings stored before it was kept.
   */
  readonly digest?: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  readonly voided?: { readonly at: string; readonly by: string; readonly reason: string };
}

export interface Alert {
  readonly id: string;
  readonly kind: 'no_show_living_alone';
  readonly status: 'open' | 'closed';
  readonly county: string;
  readonly township: string;
  readonly elderId: string;
  readonly bookingId: string;
  readonly siteId: string;
  readonly date: string;
  readonly slot: Slot;
  readonly raisedAt: string;
  readonly closed?: { readonly at: string; readonly by: string; readonly note: string };
}
