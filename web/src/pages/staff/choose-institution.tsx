import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Principal } from '#shared/auth/principal.js';
import { call } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { institutionKindLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

/**
 * `/staff/beds`: choose an institution of the area to open its bed board. The list is what the
 * API offers today: institutions with vacant beds (GET /v1/vacancies) and, for township staff,
 * every institution of the township (GET /v1/occupancy's byInstitution); an institution with
 * no vacant bed elsewhere is opened by its id. TODO: GET /v1/institutions once it exists.
 */
export function ChooseInstitution() {
  return <RoleOnly roles={['staff']}>{(who) => <Choose who={who} />}</RoleOnly>;
}

function Choose(props: { who: Principal }) {
  const { route } = useLocation();
  const [typed, setTyped] = useState('');
  const data = useLoad(async () => {
    const [vacancies, occupancy] = await Promise.all([call('vacancies', { query: {} }), call('occupancy', { query: {} })]);
    const list = new Map<string, { id: string; name: string; township: string; kind?: string; vacant: number }>();
    for (const i of occupancy.byInstitution ?? []) list.set(i.institutionId, { id: i.institutionId, name: i.name, township: i.township, vacant: i.vacant });
    for (const i of vacancies.items) list.set(i.institutionId, { id: i.institutionId, name: i.name, township: i.township, kind: i.kind, vacant: i.vacant });
    const names = new Map(occupancy.byTownship.map((t) => [t.township, t.name ?? t.township]));
    return { items: [...list.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')), names };
  }, []);
  return (
    <StaffPage who={props.who} title={st.chooseInstitution}>
      <ErrorNotice error={data.error} />
      {data.loading && <Loading />}
      {data.data && (
        <div class="table-wrap">
          <table class="data">
            <caption class="sr-only">{st.chooseInstitution}</caption>
            <thead><tr><th scope="col">{st.institution}</th><th scope="col">{st.township}</th><th scope="col">{st.kind}</th><th scope="col">{st.vacant}</th></tr></thead>
            <tbody>
              {data.data.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row"><a href={`/staff/beds/${encodeURIComponent(i.id)}`}>{i.name}</a></th>
                  <td>{data.data!.names.get(i.township) ?? i.township}</td>
                  <td>{i.kind ? (institutionKindLabels[i.kind] ?? i.kind) : ''}</td>
                  <td>{i.vacant}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^[A-Za-z0-9_-]+$/.test(typed.trim())) route(`/staff/beds/${encodeURIComponent(typed.trim())}`);
        }}
      >
        <div class="field">
          <label for="institution-id">{st.institutionId}</label>
          <input id="institution-id" type="text" autocomplete="off" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
        </div>
        <button type="submit" class="primary">{st.open}</button>
      </form>
    </StaffPage>
  );
}
