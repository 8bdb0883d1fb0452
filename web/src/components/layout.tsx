import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { signOut, user } from '../auth.js';
import { t } from '../messages.js';

/** A menu entry of a role's pages. */
export interface NavLink {
  readonly href: string;
  readonly label: string;
}

/**
 * Every page: a skip link, the header with the main menu, one h1, the content. `links` replaces
 * the family menu with another role's (staff, institution); `wide` is for desk pages with
 * tables and charts.
 */
export function Page(props: { title: string; children: ComponentChildren; nav?: boolean; links?: readonly NavLink[]; wide?: boolean; brand?: string }) {
  useEffect(() => {
    document.title = `${props.title} · ${props.brand ?? t.appName}`;
  }, [props.title, props.brand]);
  const signedIn = !!user.value;
  return (
    <>
      <a class="skip" href="#main">{t.skipToContent}</a>
      <header class="top">
        <p class="brand">{props.brand ?? t.appName}</p>
        {signedIn && props.nav !== false && (
          <nav aria-label={t.mainNav}>
            {props.links ? (
              props.links.map((l) => <a key={l.href} href={l.href}>{l.label}</a>)
            ) : (
              <>
                <a href="/family">{t.navElders}</a>
                <a href="/family/bookings">{t.navBookings}</a>
              </>
            )}
            <button type="button" class="link" onClick={() => void signOut()}>{t.signOut}</button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1} class={props.wide ? 'wide' : undefined}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

export const Loading = () => <p role="status" class="muted">{t.loading}</p>;
