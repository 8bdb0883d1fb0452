import { ageOn } from '#shared/time.js';
import type { ElderMinimalView, ElderView } from '#shared/schemas/elders.js';
import type { Principal } from '#shared/auth/principal.js';
import { staffCoversTownship } from '#shared/auth/area.js';

/** An elder as the registry keeps it (the ID number only as fingerprint and sealed copy). */
export interface Elder {
  readonly id: string;
  readonly county: string;
  readonly township: string;
  readonly village?: string;
  /** Home address (for meal delivery), as staff typed it. */
  readonly address?: string;
  readonly name: string;
  readonly phone?: string;
  readonly birthDate: string;
  readonly gender: 'male' | 'female';
  readonly idNumberMasked: string;
  readonly idFingerprint: string;
  readonly idSealed: string;
  readonly categories: ElderView['categories'];
  readonly capabilityLevel?: number;
  readonly dietaryNeeds: ElderView['dietaryNeeds'];
  readonly cardNo?: string;
  readonly status: 'active' | 'deceased';
  readonly dateOfDeath?: string;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

export function fullView(e: Elder, today: string): ElderView {
  return {
    id: e.id,
    idNumberMasked: e.idNumberMasked,
    name: e.name,
    ...(e.phone && { phone: e.phone }),
    birthDate: e.birthDate,
    age: ageOn(e.birthDate, today),
    gender: e.gender,
    county: e.county,
    township: e.township,
    ...(e.village && { village: e.village }),
    ...(e.address && { address: e.address }),
    categories: [...e.categories],
    ...(e.capabilityLevel !== undefined && { capabilityLevel: e.capabilityLevel }),
    dietaryNeeds: [...e.dietaryNeeds],
    ...(e.cardNo && { cardNo: e.cardNo }),
    status: e.status,
    ...(e.dateOfDeath && { dateOfDeath: e.dateOfDeath }),
    registeredAt: e.registeredAt,
  };
}

/** The counter view: no phone, no categories (poverty status is nobody's business at a till). */
export function minimalView(e: Elder, today: string): ElderMinimalView {
  return {
    id: e.id,
    idNumberMasked: e.idNumberMasked,
    name: e.name,
    age: ageOn(e.birthDate, today),
    gender: e.gender,
    township: e.township,
    dietaryNeeds: [...e.dietaryNeeds],
    status: e.status,
  };
}

export type ElderAccess = 'full' | 'minimal' | 'none';

/**
 * Which view of an elder a caller gets. Staff of the elder's area and linked families see the
 * full record; meal sites and institutions of the county the minimal one; everyone else none.
 */
export function elderAccess(p: Principal, e: Pick<Elder, 'county' | 'township'>, linkedToFamily: boolean): ElderAccess {
  if (p.county !== e.county) return 'none';
  switch (p.role) {
    case 'staff':
      return staffCoversTownship(p, e.township) ? 'full' : 'none';
    case 'family':
      return linkedToFamily ? 'full' : 'none';
    case 'site':
    case 'institution':
      return 'minimal';
    default:
      return 'none';
  }
}
