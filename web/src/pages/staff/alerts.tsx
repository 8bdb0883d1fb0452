import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { dateLabel } from '../../format.js';
import { slotLabels } from '../../messages.js';
import { st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { cstDateTime } from './figures.js';

type Alert = Answer<'listAlerts'>['items'][number];
type Elder = Answer<'getElder'>;

/**
 * `/staff/alerts`: open welfare alerts (探访关爱) of the staff's area, newest first (township
 * staff get their township's only: the API decides), each with the elder's name and phone so
 * staff can call, and a close-with-note form. A closed alert leaves the list.
 */
export function Alerts() {
  return <RoleOnly roles={['staff']}>{(who) => <AlertsPage who={who} />}</RoleOnly>;
}

function AlertsPage(props: { who: Principal }) {
  const [closed, setClosed] = useState<string>();
  const data = useLoad(async () => {
    const alerts = (await call('listAlerts', { query: { status: 'open', limit: 100 } })).items;
    const ids = [...new Set(alerts.map((a) => a.elderId))];
    const elders = await Promise.all(ids.map((elderId) => call('getElder', { params: { elderId } }).catch(() => undefined)));
    return { alerts, elders: new Map(ids.map((id, i) => [id, elders[i]])) };
  }, []);
  return (
    <StaffPage who={props.who} title={st.alertsTitle}>
      <p>{st.alertsIntro}</p>
      {closed && <p class="notice ok" role="status">✓ {st.alertClosed}</p>}
      <ErrorNotice error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && data.data.alerts.length === 0 && <p class="notice">{st.noAlerts}</p>}
      {data.data && data.data.alerts.length > 0 && (
        <ul class="cards" data-testid="alerts">
          {data.data.alerts.map((a) => (
            <AlertCard key={a.id} alert={a} elder={data.data!.elders.get(a.elderId)} onClosed={() => { setClosed(a.id); data.reload(); }} />
          ))}
        </ul>
      )}
    </StaffPage>
  );
}

function AlertCard(props: { alert: Alert; elder: Elder | undefined; onClosed: () => void }) {
  const { alert, elder } = props;
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const noteId = `note-${alert.id}`;
  return (
    <li class="card" data-alert={alert.id}>
      <h2>{elder?.name ?? st.alertElder}</h2>
      <p class="status">{st.alertMissed(dateLabel(alert.date), slotLabels[alert.slot])}</p>
      {elder && <p>{elder.idNumberMasked}{'phone' in elder && elder.phone ? ` · ${elder.phone}` : ''}</p>}
      <p class="small">{cstDateTime(alert.raisedAt)}</p>
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>{st.closeAlert}</button>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setError(undefined);
            if (note.trim().length < 2) return setProblem('请写明探访或电话联系的情况（至少2个字）。');
            setProblem(undefined);
            setBusy(true);
            try {
              await call('closeAlert', { params: { alertId: alert.id }, body: { note: note.trim() } });
              props.onClosed();
            } catch (err) {
              setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
            } finally {
              setBusy(false);
            }
          }}
        >
          <div class="field">
            <label for={noteId}>{st.note}</label>
            <span class="field-hint" id={`${noteId}-hint`}>{st.noteHint}</span>
            <textarea id={noteId} rows={3} maxLength={1000} value={note} aria-describedby={`${noteId}-hint`} aria-invalid={problem ? 'true' : undefined} onInput={(e) => setNote(e.currentTarget.value)} />
            {problem && <p class="field-problem">{problem}</p>}
          </div>
          <ErrorNotice error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{st.confirmClose}</button>
            <button type="button" onClick={() => setOpen(false)}>{st.cancel}</button>
          </div>
        </form>
      )}
    </li>
  );
}
