import { DEMO_COUNTY } from './demo.js';
import type { LocalAccount } from './oidc.js';

/**
 * The demo county's accounts on the local sign-in pages (their claims are those of `npm run -s
 * token`). Each is listed by its role's realm (shared/auth/realms.ts): family and site on the
 * public realm's page, staff and institution on the staff realm's (/oidc-staff).
 */
export const demoAccounts = (): LocalAccount[] => [
  { id: 'family-demo', label: '家属（演示家庭，绑定两位老人）', claims: { role: 'family', sub: 'family-demo', county: DEMO_COUNTY } },
  { id: 'staff-demo', label: '县民政局工作人员（全县）', claims: { role: 'staff', sub: 'staff-demo', county: DEMO_COUNTY } },
  { id: 'staff-township-demo', label: '乡镇民政所工作人员（赊店镇）', claims: { role: 'staff', sub: 'staff-township-demo', county: DEMO_COUNTY, township: `${DEMO_COUNTY}100` } },
];
export const demoSiteAccount = (siteId: string): LocalAccount => ({ id: 'site-demo', label: '助餐点工作人员（赊店镇长者食堂）', claims: { role: 'site', sub: 'site-demo', county: DEMO_COUNTY, site: siteId } });
export const demoInstitutionAccount = (institutionId: string): LocalAccount => ({ id: 'institution-demo', label: '养老机构工作人员', claims: { role: 'institution', sub: 'institution-demo', county: DEMO_COUNTY, institution: institutionId } });
