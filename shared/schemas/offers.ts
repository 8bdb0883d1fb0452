import * as z from 'zod/mini';
import { careType } from './beds.js';
import { described, id, instant, named, pageQuery, text } from './common.js';

/**
 * Offers (轮候配床): a vacant bed held (`reserved`) for the next application of the waiting list
 * for the policy's `offerHoldDays`; accepted (the admission, in the same write), declined by the
 * elder, expired, or withdrawn with its application.
 */
export const offerStatus = z.enum(['open', 'accepted', 'declined', 'expired', 'withdrawn']);

export const offer = named(
  z.object({
    id: z.string(),
    county: z.string(),
    institutionId: z.string(),
    institutionName: z.string(),
    bedId: z.string(),
    bedLabel: z.string(),
    careType,
    applicationId: z.string(),
    elderId: z.string(),
    elderTownship: described(z.string(), 'the elder\'s township: its staff see the offer'),
    priorityClass: described(z.string(), 'the application\'s class when the offer was made'),
    appliedAt: described(instant, 'when the application was filed: the wait counts from it'),
    status: offerStatus,
    madeAt: instant,
    expiresAt: described(instant, 'the bed is held until then (madeAt + offerHoldDays x 24 h); past it the offer expires and the bed goes to the next application'),
    closedAt: z.optional(instant),
    admittedAt: described(z.optional(instant), 'accepted: the admission\'s date'),
    reason: described(z.optional(z.string()), 'declined: the reason given'),
    closedBy: z.optional(z.string()),
  }),
  'Offer',
);

export const offerParams = z.object({ offerId: id('offer') });
export const offersQuery = z.extend(pageQuery, {
  institutionId: z.optional(id('institution')),
  status: z.optional(offerStatus),
});
export const offersPage = z.object({ items: z.array(offer), nextToken: z.optional(z.string()) });

export const acceptOfferBody = z.object({
  admittedAt: described(instant, 'when the elder moved in: not after now + 5 minutes, not before the offer was made, the elder\'s birth date or their last discharge'),
});
export const declineOfferBody = z.object({ reason: described(text(1, 200), 'why the elder declined, as they said it') });

const month = z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM'));
export const figuresQuery = z.object({
  from: described(month, 'first month (China Standard Time)'),
  to: described(month, 'last month: the range spans at most 24 months, from and to included'),
});

export const waitingListFigures = named(
  z.object({
    from: z.string(),
    to: z.string(),
    months: described(
      z.array(z.object({ month: z.string(), made: z.int(), accepted: z.int(), declined: z.int(), expired: z.int(), withdrawn: z.int() })),
      'offers made in each month, by how each ended (open ones count in `made` only)',
    ),
    waits: described(
      z.array(z.object({ institutionId: z.string(), institutionName: z.string(), priorityClass: z.string(), admitted: z.int(), averageWaitDays: z.number(), longestWaitDays: z.number() })),
      'admissions through accepted offers in the months, by institution and class: days from the application to the admission',
    ),
  }),
  'WaitingListFigures',
);
