import * as z from 'zod/mini';
import { defineRoutes, type RouteDocs } from '../http/route.js';
import { pageQuery, townshipCode } from '../schemas/common.js';
import {
  auditTrail,
  elderList,
  elderMinimalView,
  elderParams,
  elderSearchQuery,
  familyLinkParams,
  patchElderBody,
  removedFamilyLink,
  elderView,
  familyLink,
  familyLinkBody,
  lookupElderBody,
  putTownshipBody,
  registerElderBody,
  township,
  reportDeceasedBody,
} from '../schemas/elders.js';

export const registryRoutes = defineRoutes({
  putTownship: {
    method: 'PUT',
    path: '/v1/townships/{township}',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: z.object({ township: townshipCode }),
    body: putTownshipBody,
    responses: { 200: township },
  },
  registerElder: {
    method: 'POST',
    path: '/v1/elders',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    body: registerElderBody,
    responses: { 201: elderView },
    errors: ['ELDER_EXISTS', 'CARD_IN_USE', 'UNKNOWN_TOWNSHIP', 'IDEMPOTENCY_KEY_REUSED'],
    idempotent: true,
    audit: 'change',
  },
  getElder: {
    method: 'GET',
    path: '/v1/elders/{elderId}',
    fn: 'registry',
    access: ['staff', 'family', 'site'],
    tag: 'Elders and areas',
    params: elderParams,
    responses: { 200: z.union([elderView, elderMinimalView]) },
    errors: ['NOT_FOUND'],
    audit: 'read',
  },
  myElders: {
    method: 'GET',
    path: '/v1/me/elders',
    fn: 'registry',
    access: ['family'],
    tag: 'Elders and areas',
    responses: { 200: z.object({ items: z.array(elderView) }) },
    audit: 'read',
  },
  lookupElder: {
    method: 'POST',
    path: '/v1/elders/lookup',
    fn: 'registry',
    // Institutions find the elder they admit (the bed board's admission), in their own county.
    access: ['site', 'staff', 'institution'],
    tag: 'Elders and areas',
    body: lookupElderBody,
    responses: { 200: elderMinimalView },
    errors: ['NOT_FOUND'],
    audit: 'read',
  },
  linkFamily: {
    method: 'POST',
    path: '/v1/elders/{elderId}/family-links',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: elderParams,
    body: familyLinkBody,
    responses: { 201: familyLink },
    errors: ['NOT_FOUND', 'ALREADY_LINKED', 'IDEMPOTENCY_KEY_REUSED'],
    idempotent: true,
    audit: 'change',
  },
  reportDeceased: {
    method: 'POST',
    path: '/v1/elders/{elderId}/deceased',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: elderParams,
    body: reportDeceasedBody,
    responses: { 200: elderView },
    errors: ['NOT_FOUND', 'ALREADY_DECEASED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER'],
    audit: 'change',
  },
  // ---- administration (issue 14): staff search, edit, unlink
  elderAudit: {
    method: 'GET',
    path: '/v1/elders/{elderId}/audit',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: elderParams,
    query: pageQuery,
    responses: { 200: auditTrail },
    errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'],
  },
  listElders: {
    method: 'GET',
    path: '/v1/elders',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    query: elderSearchQuery,
    responses: { 200: elderList },
    errors: ['INVALID_PAGE_TOKEN'],
    audit: 'read',
  },
  patchElder: {
    method: 'PATCH',
    path: '/v1/elders/{elderId}',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: elderParams,
    body: patchElderBody,
    responses: { 200: elderView },
    errors: ['NOT_FOUND', 'CARD_IN_USE'],
    audit: 'change',
  },
  unlinkFamily: {
    method: 'DELETE',
    path: '/v1/elders/{elderId}/family-links/{familySub}',
    fn: 'registry',
    access: ['staff'],
    tag: 'Elders and areas',
    params: familyLinkParams,
    responses: { 200: removedFamilyLink },
    errors: ['NOT_FOUND'],
    audit: 'change',
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const registryRouteDocs = {
  putTownship: {
    summary: 'Create or update a township (name, elderly population for per-1,000 indicators).',
    description: 'County-level staff of the township\'s county only.',
  },
  registerElder: {
    summary: 'Register an elder. The ID number is validated (GB 11643) and never returned in full.',
    description: 'Birth date, age and gender are derived from the ID number. An ID number already registered is 409 ELDER_EXISTS with the existing id in details (when it is in the caller\'s county).',
  },
  getElder: {
    summary: 'An elder: full view for staff of the area and linked families, minimal view for meal sites.',
  },
  myElders: {
    summary: 'The elders linked to the calling family account, each as the family sees it.',
    description: 'Only the caller\'s own links in the caller\'s county; an account with no links gets an empty list.',
  },
  lookupElder: {
    summary: 'Find an elder of the caller\'s county by ID number or meal card number (minimal view).',
  },
  linkFamily: {
    summary: 'Link a family account to an elder so it can see the elder and book meals.',
  },
  reportDeceased: {
    summary: 'Record the date an elder died: records dated on or after it are refused, bookings from it on cancelled.',
    description: 'Servings and bookings dated before the date of death stay valid (a meal the day before, uploaded late, is paid). A report with an earlier date than the one recorded corrects it (`elder.deceased` again, with `correctedFrom`) and cancels bookings from the new date on; the same or a later date is 409 ALREADY_DECEASED with the recorded date. A date after today is 422 DATE_IN_FUTURE; before the birth date, 422 DATE_OUT_OF_ORDER.',
  },
  elderAudit: {
    summary: 'Who read or changed this elder\'s personal data: the audit trail, newest first (county staff only).',
    description: 'One line per request that read or changed the record through the registry: the caller\'s sub and role, the route (its template, not its values), the time, the source IP and the request id; never the data. Lines are kept 400 days. Township staff get 403: the audit is the county bureau\'s. Paged: limit and nextToken.',
  },
  listElders: {
    summary: 'The elders of the caller\'s area (or of one township in it), searchable by name prefix, card number or full ID number.',
    description: 'County staff see their county, township staff their township; a township outside the area is 403. Without q: by township, then id. `q` is, in this order: a valid full ID number (matched by its fingerprint: at most one elder), a card number (letters, digits or dashes with a digit: at most one), or else the start of a name (by township, then name). Paged: limit and nextToken. A URL\'s query string reaches CloudFront\'s standard access logs: pages should find a person by ID number with POST /v1/elders/lookup (the number in the body) and keep q for names and cards.',
  },
  patchElder: {
    summary: 'Change an elder\'s phone, address, village, categories, capability level, dietary needs or meal card (staff of the area).',
    description: 'Only the fields given change; null clears phone, address, village or cardNo. A card number another elder holds is 409 CARD_IN_USE (the old card is released and the new one claimed in one transaction). A change that races another change or a death report is decided again on the fresh record, so neither is lost. Emits elder.updated. Idempotent by nature: sending the same change again leaves the same record.',
  },
  unlinkFamily: {
    summary: 'Remove a family account\'s link to an elder: it no longer sees the elder or books for them.',
    description: '404 NOT_FOUND when the elder has no link to that account (also when it was already removed: the state asked for holds). Emits elder.family_unlinked.',
  },
} satisfies RouteDocs<typeof registryRoutes>;
