import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call, callFile } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { cstToday, yuan } from '../../format.js';
import { categoryLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

/**
 * `/staff/settlement`: a meal site's monthly settlement (GET /v1/reports/meals/settlement): the
 * figures and by category on the page, the lines in the downloads: the server's CSV (the same
 * route with `Accept: text/csv`) or an Excel workbook written here (./settlement-xlsx.ts,
 * loaded on demand).
 */
export function Settlement() {
  return <RoleOnly roles={['staff']}>{(who) => <SettlementPage who={who} />}</RoleOnly>;
}

/** Hands a file to the browser's downloads. */
function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const lastMonth = () => {
  const [y, m] = cstToday().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

function SettlementPage(props: { who: Principal }) {
  const sites = useLoad(() => call('listSites', { query: { limit: 500, ...(props.who.township && { township: props.who.township }) } }), []);
  const [choice, setChoice] = useState<{ siteId: string; month: string }>();
  const [draft, setDraft] = useState({ siteId: '', month: lastMonth() });
  const report = useLoad(async () => (choice ? call('settlementReport', { query: choice }) : undefined), [choice?.siteId, choice?.month]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const s = report.data;
  const download = async (kind: 'csv' | 'xlsx') => {
    if (!s || !choice) return;
    setBusy(kind);
    setError(undefined);
    try {
      const name = `助餐结算-${s.month}-${s.siteId}.${kind}`;
      if (kind === 'csv') save(await callFile('settlementReport', { query: choice }, 'text/csv'), name);
      else save(await (await import('./settlement-xlsx.js')).settlementXlsx(s), name);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(undefined);
    }
  };
  const siteId = draft.siteId || sites.data?.items[0]?.id || '';
  return (
    <StaffPage who={props.who} title={st.settlementTitle}>
      <ErrorNotice error={sites.error} />
      {sites.loading && <Loading />}
      {sites.data && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (siteId && /^\d{4}-\d{2}$/.test(draft.month)) setChoice({ siteId, month: draft.month });
          }}
        >
          <div class="field">
            <label for="site">{st.chooseSite}</label>
            <select id="site" value={siteId} onChange={(e) => setDraft({ ...draft, siteId: e.currentTarget.value })}>
              {sites.data.items.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="month">{st.month}</label>
            <input id="month" type="month" value={draft.month} onChange={(e) => setDraft({ ...draft, month: e.currentTarget.value })} />
          </div>
          <button type="submit" class="primary">{st.showSettlement}</button>
        </form>
      )}
      <ErrorNotice error={report.error} />
      {choice && report.loading && <Loading />}
      {s && (
        <section aria-labelledby="settlement">
          <h2 id="settlement">{s.siteName} · {s.month}</h2>
          <dl class="figures">
            <div><dt>{st.meals}</dt><dd data-testid="s-meals">{s.meals}</dd></div>
            <div><dt>{st.subsidised}</dt><dd>{s.subsidisedMeals}</dd></div>
            <div><dt>{st.mealSubsidy}</dt><dd>{yuan(s.mealSubsidyFen)}</dd></div>
            <div><dt>{st.siteSubsidy}</dt><dd>{yuan(s.siteSubsidyFen)}</dd></div>
            <div><dt>{st.totalSubsidy}</dt><dd data-testid="s-total">{yuan(s.totalFen)}</dd></div>
          </dl>
          {s.byCategory.length > 0 && (
            <div class="table-wrap">
              <table class="data">
                <caption>{st.byCategory}</caption>
                <thead><tr><th scope="col">{st.category}</th><th scope="col" class="num">{st.meals}</th><th scope="col" class="num">{st.subsidy}</th></tr></thead>
                <tbody>
                  {s.byCategory.map((c) => (
                    <tr key={c.category}><th scope="row">{categoryLabels[c.category as keyof typeof categoryLabels] ?? c.category}</th><td class="num">{c.meals}</td><td class="num">{yuan(c.subsidyFen)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p>{st.lineCount(s.lines.length)}</p>
          <div class="actions">
            <button type="button" class="primary" disabled={!!busy} onClick={() => void download('xlsx')}>{st.downloadXlsx}</button>
            <button type="button" disabled={!!busy} onClick={() => void download('csv')}>{st.downloadCsv}</button>
          </div>
          {busy && <p role="status">{st.preparing}</p>}
          <ErrorNotice error={error} />
        </section>
      )}
    </StaffPage>
  );
}
