import { idempotency } from '../http/idempotency.js';
import { bedApplicationRoutes } from '#shared/routes/bed-applications.js';
import { bedRoutes } from '#shared/routes/beds.js';
import { offerRoutes } from '#shared/routes/offers.js';
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
import { fileApplication } from './handlers/file-application.js';
import { getAdmissionPolicy } from './handlers/get-admission-policy.js';
import { getApplication } from './handlers/get-application.js';
import { getElderApplication } from './handlers/get-elder-application.js';
import { listApplications } from './handlers/list-applications.js';
import { putAdmissionPolicy } from './handlers/put-admission-policy.js';
import { withdrawApplication } from './handlers/withdraw-application.js';
import { acceptOffer } from './handlers/accept-offer.js';
import { declineOffer } from './handlers/decline-offer.js';
import { getOffer } from './handlers/get-offer.js';
import { listOffers } from './handlers/list-offers.js';
import { waitingListFigures } from './handlers/waiting-list-figures.js';
import { writeAuditLines } from '../lib/audit.js';

/** Entry point of the beds function: institutions, beds, residents, home care beds, occupancy, the waiting list and its offers. */
export const handler = httpLambda('beds', { ...bedRoutes, ...bedApplicationRoutes, ...offerRoutes }, {
  bedLog, createInstitution, listInstitutions, getInstitution, patchInstitution, addBeds, listBeds, admit, discharge, transfer, setBedStatus, openHomeCareBed, closeHomeCareBed, occupancy, vacancies, occupancyHistory,
  putAdmissionPolicy, getAdmissionPolicy, fileApplication, listApplications, getApplication, withdrawApplication,
  listOffers, getOffer, acceptOffer, declineOffer, waitingListFigures,
  getElderApplication,
}, idempotency, pageTokenKey, writeAuditLines);
