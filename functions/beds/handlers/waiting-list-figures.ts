import { offerRoutes as routes } from '#shared/routes/offers.js';
import { handle } from '../../http/handle.js';
import { readWaitingListFigures } from '../offers.js';

export const waitingListFigures = handle(routes.waitingListFigures, async ({ query }, { principal }) => ({ status: 200, body: await readWaitingListFigures(principal, query.from, query.to) }));
