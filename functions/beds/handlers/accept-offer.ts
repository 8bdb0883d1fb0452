import { offerRoutes as routes } from '#shared/routes/offers.js';
import { handle } from '../../http/handle.js';
import { acceptOffer as accept } from '../offers.js';

export const acceptOffer = handle(routes.acceptOffer, async ({ params, body }, { principal, now }) => ({ status: 201, body: await accept(principal, params.offerId, body, now) }));
