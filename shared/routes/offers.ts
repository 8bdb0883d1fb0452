import { defineRoutes, type RouteDocs } from '../http/route.js';
import { residence } from '../schemas/beds.js';
import { acceptOfferBody, declineOfferBody, figuresQuery, offer, offerParams, offersPage, offersQuery, waitingListFigures } from '../schemas/offers.js';

const tag = 'Waiting list';

/**
 * Offers of the waiting list (轮候配床) and its figures. Offers are made by the product, never by
 * a request: when a bed of a public institution (kinds welfare_home, public,
 * public_built_private_run, regional_center) is or becomes vacant and the county has an
 * admission policy in force, the next waiting application of that institution's queue whose
 * care type and tags the bed meets gets it, held `reserved` for the policy's offerHoldDays.
 */
export const offerRoutes = defineRoutes({
  listOffers: {
    method: 'GET', path: '/v1/offers', fn: 'beds', access: ['staff', 'institution'], tag,
    query: offersQuery, responses: { 200: offersPage }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'], audit: 'read',
  },
  getOffer: {
    method: 'GET', path: '/v1/offers/{offerId}', fn: 'beds', access: ['staff', 'institution'], tag,
    params: offerParams, responses: { 200: offer }, errors: ['NOT_FOUND'], audit: 'read',
  },
  acceptOffer: {
    method: 'POST', path: '/v1/offers/{offerId}/accept', fn: 'beds', access: ['staff', 'institution'], tag,
    params: offerParams, body: acceptOfferBody, responses: { 201: residence }, idempotent: true,
    errors: ['NOT_FOUND', 'OFFER_CLOSED', 'ELDER_ALREADY_ADMITTED', 'ELDER_DECEASED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER', 'IDEMPOTENCY_KEY_REUSED'],
  },
  declineOffer: {
    method: 'POST', path: '/v1/offers/{offerId}/decline', fn: 'beds', access: ['staff', 'institution'], tag,
    params: offerParams, body: declineOfferBody, responses: { 200: offer }, audit: 'change',
    errors: ['NOT_FOUND', 'OFFER_CLOSED'],
  },
  waitingListFigures: {
    method: 'GET', path: '/v1/waiting-list/figures', fn: 'beds', access: ['staff'], tag,
    query: figuresQuery, responses: { 200: waitingListFigures }, errors: [],
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const offerRouteDocs = {
  listOffers: {
    summary: 'Offers of beds to applications, newest first (staff of the area; an institution sees its own).',
    description: 'An institution\'s account sees only its own offers (another institutionId is 403). Township staff see offers at institutions of their township and offers to elders of their township.',
  },
  getOffer: {
    summary: 'One offer.',
    description: 'Another institution\'s account, or staff of another area, get 403; an id the caller\'s county does not have, 404.',
  },
  acceptOffer: {
    summary: 'Accept an open offer: the elder is admitted into the held bed in the same write that closes the offer and the application.',
    description: 'One transaction: the offer (open and not past expiresAt), the bed (still held for this offer), the elder\'s residence guard, the application (admitted) and the elder\'s application guard, the counters and the change log. An offer already accepted, declined, withdrawn or past its hold is 409 OFFER_CLOSED (whatever races: twenty parallel accepts admit once). Dates as for an admission: 422 DATE_IN_FUTURE, DATE_OUT_OF_ORDER (also before the offer was made), ELDER_DECEASED; 409 ELDER_ALREADY_ADMITTED when the elder took a bed elsewhere meanwhile (decline the offer then). Emits offer.accepted and resident.admitted.',
  },
  declineOffer: {
    summary: 'Record that the elder declined an open offer: the bed is freed and offered to the next application.',
    description: 'The application stays in the queue with the decline recorded, and rests for the policy\'s offerHoldDays (no new offer: the beds free at that moment are not pressed on it one after another); after declinesBeforeRequeue declines (an offer left to expire counts as one: 逾期视为放弃) it moves to the end of its class. 409 OFFER_CLOSED when the offer is no longer open. Emits offer.declined (and offer.made for the next application, if any).',
  },
  waitingListFigures: {
    summary: 'Waiting-list figures for staff: offers per month by outcome, and the average wait from application to admission by institution and class.',
    description: 'Months in China Standard Time; at most 24. Township staff see the institutions of their township. Computed from the offers themselves (no stored totals to drift).',
  },
} satisfies RouteDocs<typeof offerRoutes>;
