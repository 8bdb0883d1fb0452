import { call } from '../../api.js';
import { FamilyOnly } from '../../components/family-only.js';
import { Loading, Page } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { dietaryLabels, genderLabels, t } from '../../messages.js';
import { useLoad } from '../../use-load.js';

/** `/family`: the elders linked to this family account. */
export function MyElders() {
  return (
    <FamilyOnly>
      <Elders />
    </FamilyOnly>
  );
}

function Elders() {
  const elders = useLoad(() => call('myElders', {}), []);
  return (
    <Page title={t.myEldersTitle}>
      {elders.loading && !elders.data && <Loading />}
      <ErrorNotice error={elders.error} />
      {elders.data && elders.data.items.length === 0 && <p class="notice">{t.myEldersEmpty}</p>}
      <ul class="cards">
        {elders.data?.items.map((e) => (
          <li key={e.id} class="card">
            <h2>{e.name}</h2>
            <p>
              {genderLabels[e.gender]} · {t.ageYears(e.age)}
              {e.dietaryNeeds.length > 0 && ` · ${e.dietaryNeeds.map((d) => dietaryLabels[d]).join('、')}`}
            </p>
            <div class="actions">
              <a class="button primary" href={`/family/elders/${encodeURIComponent(e.id)}`}>{t.bookMeal}</a>
              <a class="button" href={`/family/bookings?elder=${encodeURIComponent(e.id)}`}>{t.viewBookings}</a>
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
