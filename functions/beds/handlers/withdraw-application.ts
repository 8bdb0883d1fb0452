import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { withdrawApplication as withdraw } from '../applications.js';

export const withdrawApplication = handle(routes.withdrawApplication, async ({ params }, { principal, now }) => ({ status: 200, body: await withdraw(principal, params.id, now) }));
