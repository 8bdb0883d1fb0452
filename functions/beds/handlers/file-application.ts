import { bedApplicationRoutes as routes } from '#shared/routes/bed-applications.js';
import { handle } from '../../http/handle.js';
import { fileApplication as file } from '../applications.js';

export const fileApplication = handle(routes.fileApplication, async ({ body }, { principal, now }) => ({ status: 201, body: await file(principal, body, now) }));
