import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { cstDateTime } from './figures.js';

/**
 * `/staff/platform`: events the city platform did not accept after every retry (dead letters),
 * oldest first, and a button to send them again (POST /v1/platform/dead-letters/replay). County
 * staff only: township staff are told so in words (the API refuses them too).
 */
export function Platform() {
  return <RoleOnly roles={['staff']}>{(who) => <PlatformPage who={who} />}</RoleOnly>;
}

function PlatformPage(props: { who: Principal }) {
  const county = !props.who.township;
  const list = useLoad(async () => (county ? call('listDeadLetters', { query: { limit: 500 } }) : undefined), [county]);
  const [result, setResult] = useState<Answer<'replayDeadLetters'>>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  if (!county) return <StaffPage who={props.who} title={st.platformTitle}><p class="notice">{st.countyOnly}</p></StaffPage>;
  const items = list.data?.items ?? [];
  return (
    <StaffPage who={props.who} title={st.platformTitle}>
      <p>{st.platformIntro}</p>
      {result && <p class="notice ok" role="status">✓ {st.replayed(result.replayed, result.remaining)}</p>}
      <ErrorNotice error={list.error ?? error} />
      {list.loading && <Loading />}
      {list.data && (
        <>
          <p class="figure-line" data-testid="dead-count">{items.length === 0 ? st.noDead : st.deadCount(items.length, !!list.data.nextToken)}</p>
          {items.length > 0 && (
            <>
              <button
                type="button"
                class="primary"
                disabled={busy}
                onClick={async () => {
                  setBusy(true);
                  setError(undefined);
                  try {
                    setResult(await call('replayDeadLetters', { body: {} }));
                    list.reload();
                  } catch (e) {
                    setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                {st.replay}
              </button>
              <div class="table-wrap">
                <table class="data" data-testid="dead-letters">
                  <caption class="sr-only">{st.platformTitle}</caption>
                  <thead><tr><th scope="col">{st.occurredAt}</th><th scope="col">{st.eventType}</th><th scope="col" class="num">{st.attempts}</th><th scope="col">{st.reasonCol}</th></tr></thead>
                  <tbody>
                    {items.map((d) => (
                      <tr key={d.eventId}>
                        <td>{cstDateTime(d.occurredAt)}</td>
                        <td>{d.type}</td>
                        <td class="num">{d.attempts}</td>
                        <td>{d.reason === 'behind_parked_event' ? st.behindParked : st.exhausted}{d.lastError ? `（${d.lastError}）` : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </StaffPage>
  );
}
