import { offerRoutes as routes } from '#shared/routes/offers.js';
import { handle } from '../../http/handle.js';
import { declineOffer as decline } from '../offers.js';

export const declineOffer = handle(routes.declineOffer, async ({ params, body }, { principal, now }) => ({ status: 200, body: await decline(principal, params.offerId, body.reason, now) }));
