import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { call } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { careTypeLabels, institutionKindLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { cstDateTime } from './figures.js';

type Query = { careType?: 'nursing' | 'ordinary'; township?: string; tag?: string };

/**
 * `/staff/vacancies`: institutions with vacant beds by care type, tag and township
 * (GET /v1/vacancies). An institution whose beds were not updated for more than 7 days is
 * marked in words (数据超过7天未更新) and listed after the fresh ones: call before sending a family.
 */
export function Vacancies() {
  return <RoleOnly roles={['staff']}>{(who) => <VacanciesPage who={who} />}</RoleOnly>;
}

function VacanciesPage(props: { who: Principal }) {
  const townships = useLoad(async () => (await call('occupancy', { query: {} })).byTownship.map((t) => ({ code: t.township, name: t.name ?? t.township })), []);
  const [draft, setDraft] = useState<Query>({});
  const [query, setQuery] = useState<Query>({});
  const [tagProblem, setTagProblem] = useState(false);
  const result = useLoad(() => call('vacancies', { query }), [query.careType, query.township, query.tag]);
  const names = new Map((townships.data ?? []).map((t) => [t.code, t.name]));
  return (
    <StaffPage who={props.who} title={st.vacanciesTitle}>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const tag = draft.tag?.trim();
          const bad = !!tag && !/^[a-z][a-z0-9_]{1,31}$/.test(tag);
          setTagProblem(bad);
          if (!bad) setQuery({ ...draft, tag: tag || undefined });
        }}
      >
        <div class="field">
          <label for="care-type">{st.careType}</label>
          <select id="care-type" value={draft.careType ?? ''} onChange={(e) => setDraft({ ...draft, careType: (e.currentTarget.value || undefined) as Query['careType'] })}>
            <option value="">{st.anyCareType}</option>
            <option value="nursing">{careTypeLabels.nursing}</option>
            <option value="ordinary">{careTypeLabels.ordinary}</option>
          </select>
        </div>
        {!props.who.township && (
          <div class="field">
            <label for="township">{st.township}</label>
            <select id="township" value={draft.township ?? ''} onChange={(e) => setDraft({ ...draft, township: e.currentTarget.value || undefined })}>
              <option value="">{st.anyTownship}</option>
              {(townships.data ?? []).map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
            </select>
          </div>
        )}
        <div class="field">
          <label for="tag">{st.tag}</label>
          <input id="tag" type="text" autocomplete="off" value={draft.tag ?? ''} aria-describedby="tag-hint" aria-invalid={tagProblem ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, tag: e.currentTarget.value })} />
          <span class={tagProblem ? 'field-problem' : 'field-hint'} id="tag-hint">{st.tagHint}</span>
        </div>
        <button type="submit" class="primary">{st.search}</button>
      </form>
      <ErrorNotice error={result.error} />
      {result.loading && <Loading />}
      {result.data && result.data.items.length === 0 && <p class="notice">{st.noVacancies}</p>}
      {result.data && result.data.items.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="vacancies">
            <caption class="sr-only">{st.vacanciesTitle}</caption>
            <thead><tr><th scope="col">{st.institution}</th><th scope="col">{st.township}</th><th scope="col">{st.kind}</th><th scope="col" class="num">{st.vacant}</th><th scope="col">{st.lastUpdate}</th><th scope="col">{st.manageBeds}</th></tr></thead>
            <tbody>
              {result.data.items.map((i) => (
                <tr key={i.institutionId} data-institution={i.institutionId}>
                  <th scope="row">
                    {i.name}
                    {i.starRating && <span class="small">{st.stars(i.starRating)}</span>}
                  </th>
                  <td>{names.get(i.township) ?? i.township}</td>
                  <td>{institutionKindLabels[i.kind] ?? i.kind}</td>
                  <td class="num">{i.vacant}</td>
                  <td>
                    {i.lastBedUpdateAt ? cstDateTime(i.lastBedUpdateAt) : ''}
                    {i.stale && <span class="stale">{st.stale}<span class="small">{st.staleHint}</span></span>}
                  </td>
                  <td><a href={`/staff/beds/${encodeURIComponent(i.institutionId)}`}>{st.manageBeds}<span class="sr-only">：{i.name}</span></a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffPage>
  );
}
