import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { principal, signIn, user } from '../auth.js';
import { Page } from '../components/layout.js';
import { t } from '../messages.js';

/** `/`: what this is, a sign-in button; once signed in, the role's home (family: /family, site: /counter, staff: /staff, institution: /institution). */
export function Home() {
  const { route } = useLocation();
  const who = principal();
  useEffect(() => {
    if (who?.role === 'family') route('/family', true);
    // Staff to their dashboard, institution staff to their bed board (issue 14).
    else if (who?.role === 'staff') route('/staff', true);
    else if (who?.role === 'institution') route('/institution', true);
    else if (who?.role === 'site') route('/counter', true);
  }, [who?.role]);
  // Every role but the platform's (an integration account) has pages of its own.
  if (user.value && who?.role === 'platform') {
    return (
      <Page title={t.homeTitle} nav={false}>
        <p class="notice">{t.otherRoleHome}</p>
      </Page>
    );
  }
  return (
    <Page title={t.homeTitle} nav={false}>
      <p>{t.homeIntro}</p>
      <p>{t.homeSignInHint}</p>
      {/* Two providers (realms): staff must give a TOTP code, families and meal sites need not. */}
      <button type="button" class="primary" onClick={() => void signIn('/', 'public')}>{t.signInPublic}</button>
      <p>{t.signInStaffHint}</p>
      <button type="button" class="sign-in" onClick={() => void signIn('/', 'staff')}>{t.signInStaff}</button>
    </Page>
  );
}
