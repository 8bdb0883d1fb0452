import { routes } from '#shared/routes/index.js';
import { handle } from '../../http/handle.js';
import { putMenu as put } from '../sites.js';

export const putMenu = handle(routes.putMenu, async ({ params, body }, { principal, now }) => ({ status: 200, body: await put(principal, params.siteId, params.date, body, now) }));
