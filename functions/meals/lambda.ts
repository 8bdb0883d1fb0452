import { idempotency } from '../http/idempotency.js';
import { mealRoutes } from '#shared/routes/meals.js';
import { httpLambda } from '../http/lambda.js';
import { pageTokenKey } from '../lib/page-token-key.js';
import { closeAlert } from './handlers/close-alert.js';
import { listAlerts } from './handlers/list-alerts.js';
import { availability } from './handlers/availability.js';
import { cancelBooking } from './handlers/cancel-booking.js';
import { createBooking } from './handlers/create-booking.js';
import { createSite } from './handlers/create-site.js';
import { getMenu } from './handlers/get-menu.js';
import { getPolicy } from './handlers/get-policy.js';
import { getSite } from './handlers/get-site.js';
import { kitchenList } from './handlers/kitchen-list.js';
import { listBookings } from './handlers/list-bookings.js';
import { listServings } from './handlers/list-servings.js';
import { listSites } from './handlers/list-sites.js';
import { patchSite } from './handlers/patch-site.js';
import { putMenu } from './handlers/put-menu.js';
import { putPolicy } from './handlers/put-policy.js';
import { recordServings } from './handlers/record-servings.js';
import { voidServing } from './handlers/void-serving.js';

/** Entry point of the meals function: sites, menus, subsidy policy, bookings, servings. */
export const handler = httpLambda('meals', mealRoutes, {
  createSite, patchSite, listSites, listAlerts, closeAlert, getSite, availability, putMenu, getMenu, putPolicy, getPolicy, createBooking, listBookings, kitchenList, cancelBooking, recordServings, listServings, voidServing,
}, idempotency, pageTokenKey);
