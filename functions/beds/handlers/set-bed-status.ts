import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { setBedStatus as set } from '../institutions.js';

export const setBedStatus = handle(routes.setBedStatus, async ({ params, body }, { principal, now }) => ({ status: 200, body: await set(principal, params.bedId, body.status, body.reason, now) }));
