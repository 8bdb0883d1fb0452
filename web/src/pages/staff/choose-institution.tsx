import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { institutionKindLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

type Institution = Answer<'listInstitutions'>['items'][number];

/**
 * `/staff/beds`: choose an institution of the area (GET /v1/institutions, every page of it) to
 * open its bed board. County staff may narrow the list to one township; township staff get
 * their township's only (the API decides).
 */
export function ChooseInstitution() {
  return <RoleOnly roles={['staff']}>{(who) => <Choose who={who} />}</RoleOnly>;
}

/** Every institution of the area (or of one township), following nextToken. */
export async function allInstitutions(township: string): Promise<Institution[]> {
  const out: Institution[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('listInstitutions', { query: { limit: 100, ...(township && { township }), ...(nextToken && { nextToken }) } });
    out.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

function Choose(props: { who: Principal }) {
  const [township, setTownship] = useState('');
  const names = useLoad(async () => (await call('occupancy', { query: {} })).byTownship.map((t) => ({ code: t.township, name: t.name ?? t.township })), []);
  const data = useLoad(async () => (await allInstitutions(township)).sort((a, b) => a.township.localeCompare(b.township) || a.name.localeCompare(b.name, 'zh-CN')), [township]);
  const nameOf = new Map((names.data ?? []).map((t) => [t.code, t.name]));
  return (
    <StaffPage who={props.who} title={st.chooseInstitution}>
      {!props.who.township && (names.data?.length ?? 0) > 1 && (
        <div class="field">
          <label for="institution-township">{st.township}</label>
          <select id="institution-township" value={township} onChange={(e) => setTownship(e.currentTarget.value)}>
            <option value="">{st.anyTownship}</option>
            {names.data!.map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
          </select>
        </div>
      )}
      <ErrorNotice error={data.error ?? names.error} />
      {data.loading && <Loading />}
      {data.data && data.data.length === 0 && <p class="notice">{st.noInstitutions}</p>}
      {data.data && data.data.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="institutions">
            <caption class="sr-only">{st.chooseInstitution}</caption>
            <thead><tr><th scope="col">{st.institution}</th><th scope="col">{st.township}</th><th scope="col">{st.kind}</th><th scope="col">{st.starsCol}</th></tr></thead>
            <tbody>
              {data.data.map((i) => (
                <tr key={i.id} data-institution={i.id}>
                  <th scope="row"><a href={`/staff/beds/${encodeURIComponent(i.id)}`}>{i.name}</a></th>
                  <td>{nameOf.get(i.township) ?? i.township}</td>
                  <td>{institutionKindLabels[i.kind] ?? i.kind}</td>
                  <td>{i.starRating ? st.stars(i.starRating) : st.notRated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </StaffPage>
  );
}
