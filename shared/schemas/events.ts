import * as z from 'zod/mini';
import { countyCode, described, instant, isoDate, named } from './common.js';
import { bedStatus, careType } from './beds.js';
import { mealMode, slotName } from './meals.js';

/**
 * The events the county sends to the smart elderly-care platform (by webhook and in the pull
 * feed), one schema per type. They carry ids, codes and amounts, never names, phones or ID
 * numbers: the platform matches people by the masked ID number and our elder id. The OpenAPI
 * document's `webhooks` section is built from this catalogue, and the delivery tests parse
 * every event they receive with it, so the catalogue can't drift from what is sent.
 */
const fen = z.int().check(z.minimum(0));
const s = z.string();

export const eventData = {
  'township.updated': z.object({ code: s, name: s, elderlyPopulation: z.int() }),
  'elder.registered': z.object({ elderId: s, township: s, birthDate: isoDate, gender: z.enum(['male', 'female']), idNumberMasked: s, categories: z.array(s), capabilityLevel: z.nullable(z.int()) }),
  'elder.updated': z.object({ elderId: s, changed: z.array(s), categories: z.optional(z.array(s)), capabilityLevel: z.optional(z.int()) }),
  'elder.assessed': z.object({ elderId: s, changed: z.array(s), capabilityLevel: z.optional(z.int()) }),
  'elder.family_linked': z.object({ elderId: s, relation: s }),
  'elder.family_unlinked': z.object({ elderId: s, relation: s }),
  'elder.deceased': z.object({ elderId: s, dateOfDeath: isoDate, correctedFrom: described(z.optional(isoDate), 'present when this corrects an earlier report: the date it replaces (always later than dateOfDeath)') }),
  'meal_site.registered': z.object({ siteId: s, township: s, kind: s, delivery: z.boolean(), slots: z.partialRecord(slotName, z.object({ capacity: z.int(), priceFen: fen, cutoff: s })) }),
  'meal_site.updated': z.object({ siteId: s, changed: z.array(s), status: z.enum(['active', 'suspended']), delivery: z.boolean(), slots: z.partialRecord(slotName, z.object({ capacity: z.int(), priceFen: fen, cutoff: s })) }),
  'menu.updated': z.object({ siteId: s, date: isoDate }),
  'subsidy_policy.updated': z.looseObject({ effectiveFrom: isoDate }),
  'booking.created': z.object({ bookingId: s, elderId: s, siteId: s, date: isoDate, slot: slotName, mode: mealMode, priceFen: fen, subsidyFen: fen }),
  'booking.cancelled': z.object({ bookingId: s, reason: z.enum(['requested', 'elder_deceased']) }),
  'booking.served': z.object({ bookingId: s, servingId: s }),
  'booking.no_show': z.object({ bookingId: s, elderId: s }),
  'alert.raised': z.object({ kind: z.literal('no_show_living_alone'), elderId: s, bookingId: s, township: s, date: isoDate, slot: slotName }),
  'alert.closed': z.object({ alertId: s, elderId: s }),
  'serving.recorded': z.object({ servingId: s, siteId: s, elderId: s, date: isoDate, slot: slotName, mode: mealMode, priceFen: fen, subsidyFen: fen, verifiedBy: s, bookingId: z.optional(s) }),
  'serving.voided': z.object({ servingId: s, subsidyFen: fen, reason: s }),
  'institution.registered': z.object({ institutionId: s, name: s, township: s, kind: s, starRating: z.optional(z.int()) }),
  'institution.updated': z.object({ institutionId: s, changed: z.array(s), name: s, township: s, kind: s, starRating: z.optional(z.int()) }),
  'beds.added': z.object({ institutionId: s, beds: z.array(z.object({ bedId: s, label: s, careType, tags: z.array(s) })) }),
  'bed.status_changed': z.object({ bedId: s, institutionId: s, from: bedStatus, to: bedStatus }),
  'resident.admitted': z.object({ elderId: s, institutionId: s, bedId: s, careType, admittedAt: instant }),
  'resident.discharged': z.object({ elderId: s, institutionId: s, bedId: s, dischargedAt: instant, reason: s }),
  'resident.transferred': z.object({ elderId: s, institutionId: s, fromBedId: s, toBedId: s, transferredAt: z.optional(instant) }),
  'home_care_bed.opened': z.looseObject({ homeCareBedId: s, elderId: s, institutionId: s, startedAt: s }),
  'home_care_bed.closed': z.object({ homeCareBedId: s, closedAt: s }),
  'admission_policy.updated': z.looseObject({ effectiveFrom: isoDate }),
  'bed_application.filed': z.object({ applicationId: s, elderId: s, careType: s, tags: z.array(s), institutionIds: z.optional(z.array(s)), township: z.optional(s), capabilityLevelAtFiling: z.optional(z.int()), appliedAt: instant }),
  'bed_application.withdrawn': z.object({ applicationId: s, elderId: s, withdrawnAt: instant }),
  'offer.made': z.object({ offerId: s, applicationId: s, elderId: s, institutionId: s, bedId: s, careType, priorityClass: s, expiresAt: instant }),
  'offer.accepted': z.object({ offerId: s, applicationId: s, elderId: s, institutionId: s, bedId: s, admittedAt: instant }),
  'offer.declined': z.object({ offerId: s, applicationId: s, elderId: s, institutionId: s, bedId: s, declinedAt: instant, reason: s }),
  'offer.expired': z.object({ offerId: s, applicationId: s, elderId: s, institutionId: s, bedId: s, expiredAt: instant }),
} as const;
export type EventType = keyof typeof eventData;

/** What each event means, for the OpenAPI document and the README. */
export const eventSummaries: Record<EventType, string> = {
  'township.updated': 'A township\'s name or elderly population (the per-1,000 denominators) was set.',
  'elder.registered': 'An elder was registered (by staff or by the platform\'s enrolment).',
  'elder.updated': 'An elder\'s categories, capability level or other profile fields changed (`changed` names them; names and phones are not sent).',
  'elder.assessed': 'A care-needs assessment set the elder\'s capability level.',
  'elder.family_linked': 'A family account was linked to the elder.',
  'elder.family_unlinked': 'Staff removed a family account\'s link to the elder (the account is not named).',
  'elder.deceased': 'The elder\'s death was recorded, or its date corrected to an earlier one (`correctedFrom`); open bookings dated on or after dateOfDeath are cancelled (each as booking.cancelled).',
  'meal_site.registered': 'A meal site (canteen, service point, central kitchen) was registered with its slots and prices.',
  'meal_site.updated': 'Staff changed a meal site: `changed` names the fields; status, delivery and slots are given as they now are (a suspended site takes no new bookings).',
  'menu.updated': 'A site\'s menu for a date was set.',
  'subsidy_policy.updated': 'A subsidy policy version was put in force from `effectiveFrom` (data carries the whole policy).',
  'booking.created': 'A meal was booked, with its price and the subsidy quoted.',
  'booking.cancelled': 'A booking was cancelled (by request, or because the elder died).',
  'booking.served': 'A booked meal was served (the serving is its own serving.recorded).',
  'booking.no_show': 'A booked meal was not collected by the end of its slot.',
  'alert.raised': 'Welfare alert (探访关爱): an elder living alone missed a booked meal.',
  'alert.closed': 'Staff closed a welfare alert after a visit or call.',
  'serving.recorded': 'A meal was served: the record subsidies are paid on.',
  'serving.voided': 'A serving was reversed, its subsidy with it.',
  'institution.registered': 'A care institution was registered.',
  'institution.updated': 'Staff changed an institution\'s name, address, kind or star rating (`changed` names the fields; the address is not sent).',
  'beds.added': 'Beds were added to an institution.',
  'bed.status_changed': 'A bed became vacant, reserved or out of service.',
  'resident.admitted': 'An elder was admitted to a bed.',
  'resident.discharged': 'A resident left their bed (home, hospital, death, transfer out).',
  'resident.transferred': 'A resident moved to another bed of the same institution.',
  'home_care_bed.opened': 'A home care bed (家庭养老床位) was opened for an elder.',
  'home_care_bed.closed': 'A home care bed was closed.',
  'admission_policy.updated': 'An admission policy (轮候规则) version was put in force from `effectiveFrom` (data carries the whole policy).',
  'bed_application.filed': 'Staff filed a care-bed application for an elder: it joined the waiting list (轮候).',
  'bed_application.withdrawn': 'A care-bed application was withdrawn: it left the waiting list (an open offer of it is withdrawn and its bed freed).',
  'offer.made': 'A vacant bed was offered to the next application of the waiting list and is held (reserved) until expiresAt.',
  'offer.accepted': 'An offer was accepted: the elder was admitted (resident.admitted follows) and the application closed.',
  'offer.declined': 'The elder declined an offer: the bed was freed for the next application; the application stays in the queue.',
  'offer.expired': 'An offer passed its hold unanswered: the bed was freed for the next application (the lapse counts as a decline).',
};
export const eventTypes = Object.keys(eventData) as EventType[];

const envelopeFields = {
  id: described(z.string(), 'Unique per event and stable across retries and replays: deduplicate on it (it is also the `webhook-id`).'),
  occurredAt: instant,
  county: countyCode,
  entity: described(z.string(), '`<kind>:<id>`. Events of one entity are delivered in the order they happened.'),
  sequence: described(z.int().check(z.minimum(1)), 'Position in the county\'s feed: dense, increasing, never reused.'),
};

/** One event as delivered: the envelope, with `data` as the catalogue says for its type. */
export const platformEvent = named(
  z.object({ ...envelopeFields, type: z.enum(eventTypes as [EventType, ...EventType[]]), data: z.record(z.string(), z.unknown()) }),
  'PlatformEvent',
);
export type PlatformEvent = z.output<typeof platformEvent>;

/** The envelope typed for one event type, for the OpenAPI `webhooks` section and for tests. */
export const typedEvent = (type: EventType) => z.object({ ...envelopeFields, type: z.literal(type), data: eventData[type] });
