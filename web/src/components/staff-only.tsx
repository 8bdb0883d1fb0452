import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Principal } from '#shared/auth/principal.js';
import { principal, signIn, user } from '../auth.js';
import { t } from '../messages.js';
import { st } from '../staff-messages.js';
import { Page, type NavLink } from './layout.js';

/** The staff menu; the platform page only for county staff (the route refuses township staff). */
export function staffLinks(who: Principal | undefined): NavLink[] {
  return [
    { href: '/staff', label: st.navOccupancy },
    { href: '/staff/vacancies', label: st.navVacancies },
    { href: '/staff/beds', label: st.navBeds },
    { href: '/staff/waiting-list', label: st.navWaiting },
    { href: '/staff/offers', label: st.navOffers },
    { href: '/staff/meals', label: st.navMeals },
    { href: '/staff/sites', label: st.navSites },
    { href: '/staff/alerts', label: st.navAlerts },
    { href: '/staff/settlement', label: st.navSettlement },
    { href: '/staff/elders', label: st.navElders },
    ...(who?.township ? [] : [{ href: '/staff/platform', label: st.navPlatform }]),
  ];
}

/**
 * A staff (or institution) page: one of the allowed roles must be signed in. Not signed in: off
 * to sign in, coming back to this very page. Another role: said in words. The child gets the
 * principal so it knows the area (county, or one township) or the institution.
 */
export function RoleOnly(props: { roles: readonly Principal['role'][]; children: (who: Principal) => ComponentChildren }) {
  const { url } = useLocation();
  const signedIn = !!user.value;
  useEffect(() => {
    // Staff and institutions sign in at the staff realm (TOTP required there).
    if (!signedIn) void signIn(url, 'staff');
  }, [signedIn, url]);
  if (!signedIn) return <Page title={t.signingIn} nav={false} brand={st.brand}><p role="status">{t.signingIn}</p></Page>;
  const who = principal();
  if (!who || !props.roles.includes(who.role)) return <Page title={t.refusedTitle} brand={st.brand} links={[]}><p class="notice">{st.staffOnly}</p></Page>;
  return <>{props.children(who)}</>;
}

/** A page of the staff dashboard: the staff menu, the wide layout. */
export function StaffPage(props: { who: Principal; title: string; children: ComponentChildren }) {
  return <Page title={props.title} brand={st.brand} links={staffLinks(props.who)} wide>{props.children}</Page>;
}
