import { offerRoutes as routes } from '#shared/routes/offers.js';
import { handle } from '../../http/handle.js';
import { readOffer } from '../offers.js';

export const getOffer = handle(routes.getOffer, async ({ params }, { principal }) => ({ status: 200, body: await readOffer(principal, params.offerId) }));
