import { idempotency } from '../http/idempotency.js';
import { bedRoutes } from '#shared/routes/beds.js';
import { httpLambda } from '../http/lambda.js';
import { pageTokenKey } from '../lib/page-token-key.js';
import { addBeds } from './handlers/add-beds.js';
import { bedLog } from './handlers/bed-log.js';
import { admit } from './handlers/admit.js';
import { closeHomeCareBed } from './handlers/close-home-care-bed.js';
import { createInstitution } from './handlers/create-institution.js';
import { discharge } from './handlers/discharge.js';
import { getInstitution } from './handlers/get-institution.js';
import { listInstitutions } from './handlers/list-institutions.js';
import { patchInstitution } from './handlers/patch-institution.js';
import { listBeds } from './handlers/list-beds.js';
import { occupancy } from './handlers/occupancy.js';
import { occupancyHistory } from './handlers/occupancy-history.js';
import { openHomeCareBed } from './handlers/open-home-care-bed.js';
import { setBedStatus } from './handlers/set-bed-status.js';
import { transfer } from './handlers/transfer.js';
import { vacancies } from './handlers/vacancies.js';

/** Entry point of the beds function: institutions, beds, residents, home care beds, occupancy. */
export const handler = httpLambda('beds', bedRoutes, {
  bedLog, createInstitution, listInstitutions, getInstitution, patchInstitution, addBeds, listBeds, admit, discharge, transfer, setBedStatus, openHomeCareBed, closeHomeCareBed, occupancy, vacancies, occupancyHistory,
}, idempotency, pageTokenKey);
