import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { closeHomeCareBed as close } from '../home-care.js';

export const closeHomeCareBed = handle(routes.closeHomeCareBed, async ({ params, body }, { principal, now }) => ({ status: 200, body: await close(principal, params.id, body.closedAt, now) }));
