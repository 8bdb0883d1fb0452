import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { openHomeCareBed as open } from '../home-care.js';

export const openHomeCareBed = handle(routes.openHomeCareBed, async ({ body }, { principal, now }) => ({ status: 201, body: await open(principal, body, now) }));
