import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { signOut, user } from '../auth.js';
import { t } from '../messages.js';

/** Every page: a skip link, the header with the main menu, one h1, the content. */
export function Page(props: { title: string; children: ComponentChildren; nav?: boolean }) {
  useEffect(() => {
    document.title = `${props.title} · ${t.appName}`;
  }, [props.title]);
  const signedIn = !!user.value;
  return (
    <>
      <a class="skip" href="#main">{t.skipToContent}</a>
      <header class="top">
        <p class="brand">{t.appName}</p>
        {signedIn && props.nav !== false && (
          <nav aria-label={t.mainNav}>
            <a href="/family">{t.navElders}</a>
            <a href="/family/bookings">{t.navBookings}</a>
            <button type="button" class="link" onClick={() => void signOut()}>{t.signOut}</button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}

export const Loading = () => <p role="status" class="muted">{t.loading}</p>;
