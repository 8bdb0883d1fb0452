import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { getAdmissionPolicy as get } from '../applications.js';

export const getAdmissionPolicy = handle(routes.getAdmissionPolicy, async ({ query }, { principal, now }) => ({ status: 200, body: await get(principal, query.date, now) }));
