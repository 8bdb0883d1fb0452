import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { principal, signIn, user } from '../auth.js';
import { Page } from '../components/layout.js';
import { t } from '../messages.js';

/** `/`: what this is, a sign-in button; once signed in, the role's home (family: /family, site: /counter). */
export function Home() {
  const { route } = useLocation();
  const who = principal();
  useEffect(() => {
    if (who?.role === 'family') route('/family', true);
    else if (who?.role === 'site') route('/counter', true);
  }, [who?.role]);
  if (user.value && who && who.role !== 'family' && who.role !== 'site') {
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
      <button type="button" class="primary" onClick={() => void signIn('/')}>{t.signIn}</button>
    </Page>
  );
}
