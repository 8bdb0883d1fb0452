import * as z from 'zod/mini';
import { defineRoutes, type RouteDocs } from '../http/route.js';
import {
  admissionPolicy, admissionPolicyQuery, applicationParams, applicationsQuery, bedApplication, bedApplicationFamilyView, elderApplicationParams, fileApplicationBody, putAdmissionPolicyBody, queuePage,
} from '../schemas/bed-applications.js';

const tag = 'Waiting list';

/**
 * Care-bed applications and the waiting list (轮候), part 1. Queue rules: the first class of the
 * policy in force today (China Standard Time) that the elder matches ranks the application
 * (on the categories and assessment level recorded at filing, and the age today); within a
 * class the earlier application comes first, ties by id. Pooled per county: the county's queue
 * holds every open application; an institution's queue is the part of it that names that
 * institution, or names none and prefers its township or no township.
 */
export const bedApplicationRoutes = defineRoutes({
  putAdmissionPolicy: {
    method: 'PUT', path: '/v1/admission-policy', fn: 'beds', access: ['staff'], tag,
    body: putAdmissionPolicyBody, responses: { 200: admissionPolicy }, errors: ['DATE_IN_PAST'],
  },
  getAdmissionPolicy: {
    method: 'GET', path: '/v1/admission-policy', fn: 'beds', access: ['staff'], tag,
    query: admissionPolicyQuery, responses: { 200: admissionPolicy }, errors: ['NOT_FOUND'],
  },
  fileApplication: {
    method: 'POST', path: '/v1/bed-applications', fn: 'beds', access: ['staff'], tag,
    body: fileApplicationBody, responses: { 201: bedApplication }, idempotent: true, audit: 'change',
    errors: ['NOT_FOUND', 'APPLICATION_EXISTS', 'ELDER_DECEASED', 'IDEMPOTENCY_KEY_REUSED'],
  },
  listApplications: {
    method: 'GET', path: '/v1/bed-applications', fn: 'beds', access: ['staff'], tag,
    query: applicationsQuery, responses: { 200: queuePage }, errors: ['NOT_FOUND', 'INVALID_PAGE_TOKEN'], audit: 'read',
  },
  getApplication: {
    method: 'GET', path: '/v1/bed-applications/{id}', fn: 'beds', access: ['staff', 'family'], tag,
    params: applicationParams, responses: { 200: z.union([bedApplication, bedApplicationFamilyView]) }, errors: ['NOT_FOUND'], audit: 'read',
  },
  withdrawApplication: {
    method: 'POST', path: '/v1/bed-applications/{id}/withdraw', fn: 'beds', access: ['staff', 'family'], tag,
    params: applicationParams, responses: { 200: z.union([bedApplication, bedApplicationFamilyView]) }, errors: ['NOT_FOUND', 'APPLICATION_CLOSED'], audit: 'change',
  },
  getElderApplication: {
    method: 'GET', path: '/v1/elders/{elderId}/bed-application', fn: 'beds', access: ['staff', 'family'], tag,
    params: elderApplicationParams, responses: { 200: z.union([bedApplication, bedApplicationFamilyView]) }, errors: ['NOT_FOUND'], audit: 'read',
  },
});

/**
 * The routes' prose for the OpenAPI document (shared/routes/docs.ts), apart from the specs: the
 * functions bundle the specs, and esbuild leaves this object out of them as nothing there reads it.
 */
export const bedApplicationRouteDocs = {
  putAdmissionPolicy: {
    summary: 'Set the county\'s admission policy (轮候规则) version effective from a date (county staff).',
    description: 'Versioned like the subsidy policy: the queue of a day is ordered by the version in force on it. effectiveFrom may be today at the earliest, or tomorrow when a version dated today is in force (it may already have ordered today\'s queue); earlier is 422 DATE_IN_PAST with the earliest date in details. The county\'s first version may carry a past date. Putting a future effectiveFrom again replaces that version. Emits admission_policy.updated.',
  },
  getAdmissionPolicy: {
    summary: 'The admission policy in force on a date (default today, China Standard Time).',
  },
  fileApplication: {
    summary: 'File a care-bed application for an elder of the caller\'s area: it joins the waiting list.',
    description: 'One open application (waiting or offered) per elder in the county: another is 409 APPLICATION_EXISTS with the open one\'s id in details (a guard item written in the same transaction decides races). The elder\'s categories and assessment level at filing are recorded and rank the application. An elder recorded deceased is 422 ELDER_DECEASED; preferred institutions must be of the county (404 otherwise) and public (kinds welfare_home, public, public_built_private_run, regional_center: the waiting list fills only their beds; another kind is 400 on institutionIds.N). Emits bed_application.filed.',
  },
  listApplications: {
    summary: 'The waiting list in order, with each application\'s position, class and queue time.',
    description: 'Without institutionId, the county\'s pooled queue; with it, that institution\'s queue (applications naming it, or naming none and preferring its township or none). careType narrows it to the applications for that care type (a nursing bed goes to the next nursing application); positions count within the queue asked for. Ordered by the admission policy in force today; the order is recomputed from the stored applications on every read (no stored score). Township staff see the applications of their township\'s elders, at their places in the whole queue. Pages continue after the last application of the previous page.',
  },
  getApplication: {
    summary: 'One application: in full for staff of the elder\'s area; for a family linked to the elder, only its status, position and class.',
    description: 'Position and class are those of the county\'s pooled queue today. A family not linked to the elder gets 404, as for an unknown id.',
  },
  withdrawApplication: {
    summary: 'Withdraw an application (staff of the elder\'s area, or a family linked to the elder): it leaves the queue and a new one may be filed. A family gets its view (status, no position).',
    description: 'An application already withdrawn (or admitted) is 409 APPLICATION_CLOSED. Emits bed_application.withdrawn.',
  },
  getElderApplication: {
    summary: 'An elder\'s care-bed application: the open one (waiting or offered), else the most recent closed one; in full for staff of the elder\'s area, the family view for a family linked to the elder.',
    description: 'For the family page, which knows its elder and not the application. The family view carries the position and its reason: the class (`priorityClass`, `classRank`: 0 for the policy\'s first class) and `queuedAt`, the time that orders the elder within the class; nothing of other elders. 404 when the elder has never had an application, and for a family not linked to the elder (as for an unknown elder); 403 for staff outside the elder\'s area. Found through the elder\'s own record: two reads whatever the county holds (position and class are those of the county\'s pooled queue today, as for GET /v1/bed-applications/{id}).',
  },
} satisfies RouteDocs<typeof bedApplicationRoutes>;
