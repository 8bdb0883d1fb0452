import * as z from 'zod/mini';
import { defineRoutes, type RouteDocs } from '../http/route.js';
import { townshipCode } from '../schemas/common.js';
import {
  availability, booking, patchSiteBody, bookingList, bookingParams, bookingsQuery, createBookingBody, createSiteBody, dateQuery, kitchenList, mealSite, menu, menuParams,
  putMenuBody, putPolicyBody, serving, servingList, servingsQuery, servingParams, servingsBody, servingsBodyDoc, servingsResults, siteParams, subsidyPolicy, voidBody,
} from '../schemas/meals.js';
import { isoDate, pageQuery } from '../schemas/common.js';
import { alert, alertParams, alertsQuery, closeAlertBody } from '../schemas/reports.js';

const tag = 'Meals';
const all = ['staff', 'site', 'institution', 'family', 'platform'] as const;

export const mealRoutes = defineRoutes({
  createSite: {
    method: 'POST', path: '/v1/meal-sites', fn: 'meals', access: ['staff'], tag,
    body: createSiteBody, responses: { 201: mealSite }, idempotent: true, errors: ['IDEMPOTENCY_KEY_REUSED'],
  },
  listSites: {
    method: 'GET', path: '/v1/meal-sites', fn: 'meals', access: all, tag,
    query: z.extend(pageQuery, { township: z.optional(townshipCode) }), responses: { 200: z.object({ items: z.array(mealSite), nextToken: z.optional(z.string()) }) }, errors: ['INVALID_PAGE_TOKEN'],
  },
  getSite: {
    method: 'GET', path: '/v1/meal-sites/{siteId}', fn: 'meals', access: all, tag,
    params: siteParams, responses: { 200: mealSite }, errors: ['NOT_FOUND'],
  },
  patchSite: {
    method: 'PATCH', path: '/v1/meal-sites/{siteId}', fn: 'meals', access: ['staff'], tag,
    params: siteParams, body: patchSiteBody, responses: { 200: mealSite }, errors: ['NOT_FOUND', 'CAPACITY_BELOW_BOOKED'],
  },
  availability: {
    method: 'GET', path: '/v1/meal-sites/{siteId}/availability', fn: 'meals', access: all, tag,
    params: siteParams, query: dateQuery, responses: { 200: availability }, errors: ['NOT_FOUND'],
  },
  putMenu: {
    method: 'PUT', path: '/v1/meal-sites/{siteId}/menus/{date}', fn: 'meals', access: ['site', 'staff'], tag,
    params: menuParams, body: putMenuBody, responses: { 200: menu }, errors: ['NOT_FOUND'],
  },
  getMenu: {
    method: 'GET', path: '/v1/meal-sites/{siteId}/menus/{date}', fn: 'meals', access: all, tag,
    params: menuParams, responses: { 200: menu }, errors: ['NOT_FOUND'],
  },
  putPolicy: {
    method: 'PUT', path: '/v1/subsidy-policy', fn: 'meals', access: ['staff'], tag,
    body: putPolicyBody, responses: { 200: subsidyPolicy }, errors: ['DATE_IN_PAST'],
  },
  getPolicy: {
    method: 'GET', path: '/v1/subsidy-policy', fn: 'meals', access: ['staff', 'site', 'family'], tag,
    query: z.object({ date: z.optional(isoDate) }), responses: { 200: subsidyPolicy }, errors: ['NOT_FOUND'],
  },
  createBooking: {
    method: 'POST', path: '/v1/bookings', fn: 'meals', access: ['family', 'site', 'staff'], tag,
    body: createBookingBody, responses: { 201: booking }, idempotent: true,
    errors: ['NOT_FOUND', 'SLOT_FULL', 'ALREADY_BOOKED', 'SITE_SUSPENDED', 'CUTOFF_PASSED', 'DELIVERY_NOT_OFFERED', 'SLOT_NOT_OFFERED', 'ELDER_DECEASED', 'DATE_IN_PAST', 'DATE_IN_FUTURE', 'IDEMPOTENCY_KEY_REUSED'],
  },
  listBookings: {
    method: 'GET', path: '/v1/bookings', fn: 'meals', access: ['family', 'staff'], tag,
    query: bookingsQuery, responses: { 200: bookingList }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'],
  },
  kitchenList: {
    method: 'GET', path: '/v1/meal-sites/{siteId}/bookings', fn: 'meals', access: ['site', 'staff'], tag,
    params: siteParams, query: dateQuery, responses: { 200: kitchenList }, errors: ['NOT_FOUND'],
  },
  cancelBooking: {
    method: 'POST', path: '/v1/bookings/{bookingId}/cancel', fn: 'meals', access: ['family', 'site', 'staff'], tag,
    params: bookingParams, responses: { 200: booking },
    errors: ['NOT_FOUND', 'CUTOFF_PASSED', 'NOT_CANCELLABLE'],
  },
  recordServings: {
    method: 'POST', path: '/v1/meal-sites/{siteId}/servings', fn: 'meals', access: ['site'], tag,
    params: siteParams, body: servingsBody, docBody: servingsBodyDoc, responses: { 200: servingsResults }, errors: ['NOT_FOUND'],
  },
  listServings: {
    method: 'GET', path: '/v1/meal-sites/{siteId}/servings', fn: 'meals', access: ['site', 'staff'], tag,
    params: siteParams, query: servingsQuery, responses: { 200: servingList }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'],
  },
  voidServing: {
    method: 'POST', path: '/v1/servings/{servingId}/void', fn: 'meals', access: ['site', 'staff'], tag,
    params: servingParams, body: voidBody, responses: { 200: serving }, errors: ['NOT_FOUND', 'ALREADY_VOIDED'],
  },
  listAlerts: {
    method: 'GET', path: '/v1/alerts', fn: 'meals', access: ['staff'], tag: 'Welfare alerts',
    query: alertsQuery, responses: { 200: z.object({ items: z.array(alert), nextToken: z.optional(z.string()) }) }, errors: ['INVALID_PAGE_TOKEN'],
  },
  closeAlert: {
    method: 'POST', path: '/v1/alerts/{alertId}/close', fn: 'meals', access: ['staff'], tag: 'Welfare alerts',
    params: alertParams, body: closeAlertBody, responses: { 200: alert }, errors: ['NOT_FOUND', 'ALREADY_CLOSED'],
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const mealRouteDocs = {
  createSite: {
    summary: 'Register a meal site (canteen, service point, central kitchen) with its slots, capacity, prices and booking cutoff.',
  },
  listSites: {
    summary: 'The county\'s meal sites, optionally of one township, by township and site id.',
  },
  getSite: {
    summary: 'One meal site.',
  },
  patchSite: {
    summary: 'Change a meal site: name, address, delivery, slots (capacity, price, cutoff), kitchen stream, or suspend and resume it (staff of its area).',
    description: 'Lowering a slot\'s capacity below the seats already booked for any date from today to the end of the booking window (30 days ahead) is 409 CAPACITY_BELOW_BOOKED, with date, slot and booked in details; bookings arriving meanwhile are counted (the check and the bookings are serialised on the site and its seat counters). A suspended site takes no new bookings (POST /v1/bookings answers 422 SITE_SUSPENDED); existing bookings stay, can be cancelled, and are served and recorded as usual, as are walk-in servings uploaded late. Emits meal_site.updated. Idempotent by nature: the same change again leaves the same site.',
  },
  availability: {
    summary: 'Seats per slot on a date: capacity, booked, remaining, price, and whether booking is still open.',
  },
  putMenu: {
    summary: 'Set the dishes per slot for a date.',
  },
  getMenu: {
    summary: 'The menu of a site on a date.',
  },
  putPolicy: {
    summary: 'Set the county\'s subsidy policy version effective from a date (county staff).',
    description: 'A meal is priced with the version in force on its date. effectiveFrom may be today at the earliest, or tomorrow when a version dated today is in force (it may have priced today\'s meals); earlier is 422 DATE_IN_PAST with the earliest date in details. The county\'s first version may carry a past date. Putting a future effectiveFrom again replaces that version.',
  },
  getPolicy: {
    summary: 'The subsidy policy in force on a date (default today).',
  },
  createBooking: {
    summary: 'Book a meal for an elder: dine-in, pick-up or delivery. Shows price, expected subsidy and what the elder pays.',
    description: 'A suspended site is 422 SITE_SUSPENDED. date must lie in the booking window, today to 30 days ahead: before it is 422 DATE_IN_PAST, after it 422 DATE_IN_FUTURE (details give the window as mustNotBeBefore and mustNotBeAfter); today\'s slots close at the site\'s cutoff (422 CUTOFF_PASSED). A date on or after the elder\'s date of death is 422 ELDER_DECEASED.',
  },
  listBookings: {
    summary: 'An elder\'s bookings, newest date first.',
  },
  kitchenList: {
    summary: 'The kitchen\'s list for a date: counts per slot, mode and dietary need, and delivery addresses.',
  },
  cancelBooking: {
    summary: 'Cancel a booking before the cutoff; the seat comes back.',
  },
  recordServings: {
    summary: 'Record up to 200 meals served. Each record succeeds or fails on its own; results come back in request order.',
    description: 'Idempotent per clientRecordId: a record sent again with the same content (elder as identified, servedAt as an instant, slot, mode, verifiedBy, bookingId) is `duplicate` with the first servingId; the same clientRecordId with other content is rejected `RECORD_ID_CONFLICT` and the first record is unchanged (within one request, whatever the date; across requests, on the same China Standard Time date, and reported by the anomalies report when on two dates). The subsidy is computed by the server. A second meal for the same elder, date and slot is accepted with subsidyFen 0. A record is rejected SERVED_AT_IN_FUTURE after now + 5 minutes, TOO_LATE more than 7 days back, and ELDER_DECEASED when its China Standard Time date is on or after the elder\'s date of death (meals before it are accepted and subsidised as usual).',
  },
  listServings: {
    summary: 'Meals a site served on a date (China Standard Time), by clientRecordId.',
    description: 'Paged in the order the records are stored: by the device\'s clientRecordId (a device that numbers its records in sequence lists them in the order it recorded them). Each item carries servedAt.',
  },
  voidServing: {
    summary: 'Void a serving: its subsidy is reversed; the record stays with who voided it and why.',
  },
  listAlerts: {
    summary: 'Welfare alerts (探访关爱) in the caller\'s area, newest first: a booked elder living alone did not come.',
    description: 'Township staff see their township\'s; county staff the county\'s, or one township\'s with `township`. Open (the default) and closed alerts are each read from an index of that status only.',
  },
  closeAlert: {
    summary: 'Close a welfare alert with a note of what the visit found.',
  },
} satisfies RouteDocs<typeof mealRoutes>;
