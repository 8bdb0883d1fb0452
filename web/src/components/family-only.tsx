import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { principal, signIn, user } from '../auth.js';
import { t } from '../messages.js';
import { Page } from './layout.js';

/**
 * Family pages need a signed-in family account. Not signed in: off to sign in, coming back to
 * this very page (deep links work). Another role: said in words.
 */
export function FamilyOnly(props: { children: ComponentChildren }) {
  const { url } = useLocation();
  const signedIn = !!user.value;
  useEffect(() => {
    if (!signedIn) void signIn(url, 'public');
  }, [signedIn, url]);
  if (!signedIn) return <Page title={t.signingIn} nav={false}><p role="status">{t.signingIn}</p></Page>;
  if (principal()?.role !== 'family') return <Page title={t.homeTitle}><p class="notice">{t.notFamily} <a href="/">{t.backHome}</a></p></Page>;
  return <>{props.children}</>;
}
