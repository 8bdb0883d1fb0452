import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { readApplication } from '../applications.js';

export const getApplication = handle(routes.getApplication, async ({ params }, { principal, now }) => ({ status: 200, body: await readApplication(principal, params.id, now) }));
