import { defineRoutes } from '../http/route.js';
import { pageQuery } from '../schemas/common.js';
import {
  addBedsBody, admissionBody, bed, bedList, bedLog, bedParams, bedStatusBody, bedsQuery, closeHomeCareBody, createInstitutionBody, dischargeBody, history, historyQuery,
  homeCareBed, homeCareBody, homeCareParams, institution, institutionList, institutionParams, institutionsQuery, patchInstitutionBody, occupancy, occupancyQuery, residence, transferBody, vacancies, vacanciesQuery,
} from '../schemas/beds.js';

const tag = 'Beds';

export const bedRoutes = defineRoutes({
  createInstitution: {
    method: 'POST', path: '/v1/institutions', fn: 'beds', access: ['staff'], tag,
    summary: 'Register a care institution (welfare home, public, private, regional centre, day-care, rural happiness home...).',
    body: createInstitutionBody, responses: { 201: institution }, idempotent: true, errors: ['IDEMPOTENCY_KEY_REUSED'],
  },
  listInstitutions: {
    method: 'GET', path: '/v1/institutions', fn: 'beds', access: ['staff'], tag,
    summary: 'The institutions of the caller\'s area (or of one township in it, or of one kind), by township and id.',
    description: 'County staff see their county, township staff their township; a township outside the area is 403. Read from the occupancy counters\' partition (one item per institution), never by a Scan.',
    query: institutionsQuery, responses: { 200: institutionList }, errors: ['INVALID_PAGE_TOKEN'],
  },
  getInstitution: {
    method: 'GET', path: '/v1/institutions/{institutionId}', fn: 'beds', access: ['staff', 'institution'], tag,
    summary: 'One institution: for staff of its area and its own staff.',
    params: institutionParams, responses: { 200: institution }, errors: ['NOT_FOUND'],
  },
  patchInstitution: {
    method: 'PATCH', path: '/v1/institutions/{institutionId}', fn: 'beds', access: ['staff'], tag,
    summary: 'Change an institution\'s name, address, kind or star rating (staff of its area).',
    description: 'The vacancy search\'s copy of name, kind and star rating changes in the same transaction. Emits institution.updated. Idempotent by nature: the same change again leaves the same record.',
    params: institutionParams, body: patchInstitutionBody, responses: { 200: institution }, errors: ['NOT_FOUND'],
  },
  addBeds: {
    method: 'POST', path: '/v1/institutions/{institutionId}/beds', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Add up to 95 beds at once (all or nothing). Labels are unique per institution; its beds carry at most 16 distinct tags.',
    params: institutionParams, body: addBedsBody, responses: { 201: bedList }, errors: ['NOT_FOUND', 'BED_LABEL_EXISTS', 'TOO_MANY_TAGS'],
  },
  listBeds: {
    method: 'GET', path: '/v1/institutions/{institutionId}/beds', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'An institution\'s beds by label, optionally of one status.', params: institutionParams, query: bedsQuery, responses: { 200: bedList }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'],
  },
  bedLog: {
    method: 'GET', path: '/v1/institutions/{institutionId}/log', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Every bed change of the institution, newest first: who, when, why.',
    params: institutionParams, query: pageQuery, responses: { 200: bedLog }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'],
  },
  admit: {
    method: 'POST', path: '/v1/institutions/{institutionId}/admissions', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Admit an elder into a vacant bed. An elder is in at most one bed in the county.',
    description: 'A late entry (admittedAt in the past) is accepted and the bed is occupied from now. admittedAt after now + 5 minutes is 422 DATE_IN_FUTURE; before the birth date, the bed\'s `vacantSince` or the elder\'s last discharge, 422 DATE_OUT_OF_ORDER; an elder recorded deceased, 422 ELDER_DECEASED.',
    params: institutionParams, body: admissionBody, responses: { 201: residence }, idempotent: true,
    errors: ['NOT_FOUND', 'BED_NOT_VACANT', 'ELDER_ALREADY_ADMITTED', 'ELDER_DECEASED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER', 'IDEMPOTENCY_KEY_REUSED'],
  },
  discharge: {
    method: 'POST', path: '/v1/institutions/{institutionId}/discharges', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Discharge an elder; the bed becomes vacant.', params: institutionParams, body: dischargeBody, responses: { 200: bed },
    errors: ['NOT_FOUND', 'NOT_ADMITTED_HERE', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER'],
  },
  transfer: {
    method: 'POST', path: '/v1/institutions/{institutionId}/transfers', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Move an elder to another bed of the same institution in one atomic step.',
    params: institutionParams, body: transferBody, responses: { 200: residence },
    errors: ['NOT_FOUND', 'NOT_ADMITTED_HERE', 'BED_NOT_VACANT', 'ELDER_DECEASED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER'],
  },
  setBedStatus: {
    method: 'PUT', path: '/v1/beds/{bedId}/status', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Mark a bed vacant, reserved or out of service (not while occupied, nor while held for an offer of the waiting list: 409 BED_HELD).', description: 'A bed made vacant at a public institution is offered at once to the next suitable application of the waiting list when the county has an admission policy in force: the answer then shows it reserved with its offerId.', params: bedParams, body: bedStatusBody, responses: { 200: bed }, errors: ['NOT_FOUND', 'BED_OCCUPIED', 'BED_HELD'],
  },
  openHomeCareBed: {
    method: 'POST', path: '/v1/home-care-beds', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Open a home care bed (家庭养老床位): the elder\'s own bed, served by an institution.',
    body: homeCareBody, responses: { 201: homeCareBed }, idempotent: true,
    errors: ['NOT_FOUND', 'HOME_CARE_BED_EXISTS', 'ELDER_DECEASED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER', 'IDEMPOTENCY_KEY_REUSED'],
  },
  closeHomeCareBed: {
    method: 'POST', path: '/v1/home-care-beds/{id}/close', fn: 'beds', access: ['institution', 'staff'], tag,
    summary: 'Close a home care bed.', params: homeCareParams, body: closeHomeCareBody, responses: { 200: homeCareBed },
    errors: ['NOT_FOUND', 'ALREADY_CLOSED', 'DATE_IN_FUTURE', 'DATE_OUT_OF_ORDER'],
  },
  occupancy: {
    method: 'GET', path: '/v1/occupancy', fn: 'beds', access: ['staff'], tag,
    summary: 'Occupancy of the county, a township or an institution, from counters: the cost does not grow with the number of beds.',
    query: occupancyQuery, responses: { 200: occupancy }, errors: ['NOT_FOUND'],
  },
  vacancies: {
    method: 'GET', path: '/v1/vacancies', fn: 'beds', access: ['staff'], tag,
    summary: 'Institutions with vacant beds of a care type (and tag), with how many and whether their data is stale.',
    query: vacanciesQuery, responses: { 200: vacancies },
  },
  occupancyHistory: {
    method: 'GET', path: '/v1/occupancy/history', fn: 'beds', access: ['staff'], tag,
    summary: 'One occupancy point a day (snapshots taken daily), for plots.', query: historyQuery, responses: { 200: history },
  },
});
