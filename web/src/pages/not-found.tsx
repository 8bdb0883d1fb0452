import { Page } from '../components/layout.js';
import { t } from '../messages.js';

export function NotFound() {
  return (
    <Page title={t.notFoundTitle}>
      <p>{t.notFoundText}</p>
      <a class="button" href="/">{t.backHome}</a>
    </Page>
  );
}
