import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { addDays, cstToday, yuan } from '../../format.js';
import { modeLabels, slotLabels } from '../../messages.js';
import { anomalyKindLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

type Anomalies = Answer<'anomaliesReport'>;
type Job = Answer<'getReportJob'>;

/**
 * `/staff/meals`: the daily meal report of the staff's area by site (GET /v1/reports/meals/daily),
 * and the month's anomalies for auditors (GET /v1/reports/meals/anomalies: answered at once for
 * a small month, or 202 with a report job polled at GET /v1/reports/jobs/{id} every 2 seconds).
 */
export function Meals() {
  return <RoleOnly roles={['staff']}>{(who) => <MealsPage who={who} />}</RoleOnly>;
}

function MealsPage(props: { who: Principal }) {
  const [date, setDate] = useState(addDays(cstToday(), -1));
  const report = useLoad(() => call('dailyReport', { query: { date } }), [date]);
  const r = report.data;
  return (
    <StaffPage who={props.who} title={st.mealsTitle}>
      <div class="field">
        <label for="report-date">{st.date}</label>
        <input id="report-date" type="date" value={date} max={cstToday()} onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
      </div>
      <ErrorNotice error={report.error} />
      {report.loading && <Loading />}
      {r && r.sites.length === 0 && <p class="notice">{st.noSites}</p>}
      {r && r.sites.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="daily-report">
            <caption>{st.mealsTitle} {r.date}</caption>
            <thead>
              <tr>
                <th scope="col">{st.site}</th>
                <th scope="col" class="num">{st.servings}</th>
                {(['breakfast', 'lunch', 'dinner'] as const).map((s) => <th key={s} scope="col" class="num">{slotLabels[s]}</th>)}
                {(['dine_in', 'pickup', 'delivery'] as const).map((m) => <th key={m} scope="col" class="num">{modeLabels[m]}</th>)}
                <th scope="col" class="num">{st.subsidised}</th>
                <th scope="col" class="num">{st.subsidy}</th>
                <th scope="col" class="num">{st.elders}</th>
                <th scope="col" class="num">{st.voided}</th>
              </tr>
            </thead>
            <tbody>
              {r.sites.map((s) => <SummaryRow key={s.siteId} name={s.name} s={s} />)}
            </tbody>
            <tfoot><SummaryRow name={st.total} s={r.totals} /></tfoot>
          </table>
        </div>
      )}
      <AnomaliesSection />
    </StaffPage>
  );
}

function SummaryRow(props: { name: string; s: Answer<'dailyReport'>['totals'] }) {
  const { s } = props;
  return (
    <tr>
      <th scope="row">{props.name}</th>
      <td class="num">{s.servings}</td>
      {(['breakfast', 'lunch', 'dinner'] as const).map((k) => <td key={k} class="num">{s.bySlot[k] ?? 0}</td>)}
      {(['dine_in', 'pickup', 'delivery'] as const).map((k) => <td key={k} class="num">{s.byMode[k] ?? 0}</td>)}
      <td class="num">{s.subsidisedMeals}</td>
      <td class="num">{yuan(s.subsidyFen)}</td>
      <td class="num">{s.distinctElders}</td>
      <td class="num">{s.voided}</td>
    </tr>
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const thisMonth = () => cstToday().slice(0, 7);

/** Asks for the month's anomalies; a big month comes back as a job, polled until it is done. */
export async function fetchAnomalies(month: string, poll = 2000): Promise<Anomalies> {
  const first = (await call('anomaliesReport', { query: { month } })) as Anomalies | Job;
  if (!('reportId' in first)) return first;
  let job: Job = first;
  while (job.status === 'running') {
    await sleep(poll);
    job = await call('getReportJob', { params: { reportId: job.reportId } });
  }
  if (job.status === 'failed' || !job.result) throw new ApiError('INTERNAL', 500);
  return job.result;
}

function AnomaliesSection() {
  const [month, setMonth] = useState(thisMonth());
  const [state, setState] = useState<{ running?: boolean; result?: Anomalies; error?: ApiError }>({});
  return (
    <section aria-labelledby="anomalies">
      <h2 id="anomalies">{st.anomaliesTitle}</h2>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setState({ running: true });
          try {
            setState({ result: await fetchAnomalies(month) });
          } catch (err) {
            setState({ error: err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0) });
          }
        }}
      >
        <div class="field">
          <label for="anomaly-month">{st.month}</label>
          <input id="anomaly-month" type="month" value={month} max={thisMonth()} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary" disabled={state.running}>{st.runAnomalies}</button>
      </form>
      {state.running && <p role="status">{st.anomaliesRunning}</p>}
      <ErrorNotice error={state.error} />
      {state.result && (
        state.result.items.length === 0 ? (
          <p class="notice ok" role="status">✓ {st.anomaliesNone}</p>
        ) : (
          <>
            <p role="status">{st.anomalyCount(state.result.items.length)}</p>
            <div class="table-wrap">
              <table class="data" data-testid="anomalies">
                <caption class="sr-only">{st.anomaliesTitle}</caption>
                <thead><tr><th scope="col">{st.anomalyKind}</th><th scope="col">{st.anomalyDetail}</th></tr></thead>
                <tbody>
                  {state.result.items.map((a, i) => (
                    <tr key={i}><th scope="row">{anomalyKindLabels[a.kind] ?? a.kind}</th><td>{anomalyDetail(a)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
    </section>
  );
}

/** The facts of one anomaly in words: dates, counts, shares; ids only where nothing else names it. */
function anomalyDetail(a: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof a.date === 'string') parts.push(String(a.date));
  if (Array.isArray(a.dates)) parts.push((a.dates as string[]).join('、'));
  if (typeof a.slot === 'string') parts.push(slotLabels[a.slot as keyof typeof slotLabels] ?? String(a.slot));
  if (typeof a.servings === 'number' && typeof a.capacity === 'number') parts.push(`${a.servings} / ${a.capacity}`);
  if (typeof a.minutesApart === 'number') parts.push(`相隔 ${a.minutesApart} 分钟`);
  if (typeof a.manualShare === 'number' && typeof a.countyManualShare === 'number') parts.push(`人工核验 ${Math.round(a.manualShare * 100)}%（全县 ${Math.round(a.countyManualShare * 100)}%）`);
  if (typeof a.dateOfDeath === 'string') parts.push(`去世日期 ${a.dateOfDeath}`);
  if (typeof a.siteId === 'string') parts.push(`助餐点 ${a.siteId}`);
  if (typeof a.elderId === 'string') parts.push(`老人 ${a.elderId}`);
  return parts.join('；');
}
