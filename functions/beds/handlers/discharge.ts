import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { discharge as dischargeElder } from '../residents.js';

export const discharge = handle(routes.discharge, async ({ params, body }, { principal, now }) => ({ status: 200, body: await dischargeElder(principal, params.institutionId, body, now) }));
