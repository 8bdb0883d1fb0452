import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { readElderApplication } from '../elder-application.js';

export const getElderApplication = handle(routes.getElderApplication, async ({ params }, { principal, now }) => ({ status: 200, body: await readElderApplication(principal, params.elderId, now) }));
