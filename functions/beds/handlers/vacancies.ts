import { bedRoutes as routes } from '#shared/routes/beds.js';
import { handle } from '../../http/handle.js';
import { findVacancies } from '../occupancy.js';

export const vacancies = handle(routes.vacancies, async ({ query }, { principal, now }) => ({ status: 200, body: await findVacancies(principal, query, now) }));
