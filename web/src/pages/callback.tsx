import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { completeSignIn, currentRealm, signIn } from '../auth.js';
import { Page } from '../components/layout.js';
import { clientErrorSentences, t } from '../messages.js';

/** `/auth/callback`: the provider sends the browser back here with a code. */
export function Callback() {
  const { route } = useLocation();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    completeSignIn().then((target) => route(target, true), () => setFailed(true));
  }, []);
  return (
    <Page title={failed ? t.signIn : t.signingIn} nav={false}>
      {failed ? (
        <>
          <p class="notice error" role="alert"><span aria-hidden="true">⚠ </span>{clientErrorSentences.SIGN_IN_FAILED}</p>
          <button type="button" class="primary" onClick={() => void signIn('/', currentRealm())}>{t.signIn}</button>
        </>
      ) : (
        <p role="status">{t.signingIn}</p>
      )}
    </Page>
  );
}
