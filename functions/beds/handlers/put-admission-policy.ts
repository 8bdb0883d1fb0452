import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { putAdmissionPolicy as put } from '../applications.js';

export const putAdmissionPolicy = handle(routes.putAdmissionPolicy, async ({ body }, { principal, now }) => ({ status: 200, body: await put(principal, body, now) }));
