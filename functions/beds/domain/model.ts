import type { institutionKinds } from '#shared/institution-kinds.js';
import type { BedStatus, CareType } from './occupancy.js';

export interface Institution {
  readonly id: string;
  readonly county: string;
  readonly township: string;
  readonly name: string;
  readonly kind: (typeof institutionKinds)[number];
  readonly starRating?: number;
  readonly address?: string;
  readonly createdAt: string;
  readonly updatedAt?: string;
}

export interface Bed {
  readonly id: string;
  readonly institutionId: string;
  readonly county: string;
  readonly township: string;
  readonly label: string;
  readonly careType: CareType;
  readonly tags: string[];
  readonly status: BedStatus;
  readonly occupant?: { readonly elderId: string; readonly since: string };
  /** When the last occupant left (the discharge's or transfer's own date, ISO): nobody can be admitted before it. */
  readonly vacantSince?: string;
  /** While reserved for an open offer of the waiting list: the offer's id. */
  readonly offerId?: string;
  readonly updatedAt: string;
}

export interface Residence {
  readonly elderId: string;
  readonly county: string;
  readonly institutionId: string;
  readonly bedId: string;
  readonly bedLabel: string;
  /** When the elder moved into this bed (admission or transfer, as dated; ISO). */
  readonly since: string;
}

export interface HomeCareBed {
  readonly id: string;
  readonly elderId: string;
  readonly institutionId: string;
  readonly county: string;
  readonly township: string;
  readonly address: string;
  readonly startedAt: string;
  readonly status: 'open' | 'closed';
  readonly closedAt?: string;
}

/** Who did what to which bed, when and why: kept for every change. */
export interface BedLogEntry {
  readonly action: 'beds_added' | 'admitted' | 'discharged' | 'transferred' | 'status_changed' | 'offer_made' | 'offer_accepted' | 'offer_declined' | 'offer_expired' | 'offer_withdrawn';
  readonly at: string;
  readonly by: string;
  readonly elderId?: string;
  readonly bedId?: string;
  readonly toBedId?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly count?: number;
  readonly offerId?: string;
}
