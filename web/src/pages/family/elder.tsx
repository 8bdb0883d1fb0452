import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, call, type Answer } from '../../api.js';
import { FamilyOnly } from '../../components/family-only.js';
import { Loading, Page } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { addDays, cstToday, dateLabel, yuan } from '../../format.js';
import { siteKindLabels, slotLabels, t } from '../../messages.js';
import { useLoad } from '../../use-load.js';
import { BedWait } from './bed-wait.js';

type Site = Answer<'listSites'>['items'][number];

/**
 * `/family/elders/:elderId`: where this elder can eat. The elder's township's sites first, with
 * seats left per slot on the chosen day, the cutoff, delivery and the menu; then the others.
 */
export function ElderMeals() {
  return (
    <FamilyOnly>
      <Elder />
    </FamilyOnly>
  );
}

function Elder() {
  const { params } = useRoute();
  const elderId = params.elderId!;
  const today = cstToday();
  const [date, setDate] = useState(addDays(today, 1));
  const data = useLoad(async () => {
    const [elder, sites] = await Promise.all([call('getElder', { params: { elderId } }), call('listSites', { query: { limit: 500 } })]);
    return { elder, sites: sites.items };
  }, [elderId]);

  if (data.error) {
    return (
      <Page title={t.refusedTitle}>
        <ErrorNotice error={data.error} />
        <a class="button" href="/family">{t.back}</a>
      </Page>
    );
  }
  if (!data.data) return <Page title={t.bookTitle}><Loading /></Page>;
  const { elder, sites } = data.data;
  const near = sites.filter((s) => s.township === elder.township);
  const others = sites.filter((s) => s.township !== elder.township);
  const days = Array.from({ length: 7 }, (_, i) => addDays(today, i));
  return (
    <Page title={t.elderTitle(elder.name)}>
      <BedWait elderId={elderId} />
      <fieldset class="chips">
        <legend>{t.chooseDate}</legend>
        {days.map((d, i) => (
          <label key={d} class={d === date ? 'chip on' : 'chip'}>
            <input type="radio" name="date" value={d} checked={d === date} onChange={() => setDate(d)} />
            {i === 0 ? t.today : i === 1 ? t.tomorrow : ''} {dateLabel(d)}
          </label>
        ))}
      </fieldset>
      <h2>{t.sitesNearby}</h2>
      {near.length === 0 && <p class="notice">{sites.length ? t.noSitesNearby : t.noSites}</p>}
      <ul class="cards">
        {near.map((s) => <SiteCard key={s.id} site={s} elderId={elderId} date={date} detailed />)}
      </ul>
      {others.length > 0 && (
        <>
          <h2>{t.sitesOther}</h2>
          <ul class="cards">
            {others.map((s) => <SiteCard key={s.id} site={s} elderId={elderId} date={date} />)}
          </ul>
        </>
      )}
    </Page>
  );
}

function SiteCard(props: { site: Site; elderId: string; date: string; detailed?: boolean }) {
  const { site, date } = props;
  const offered = (['breakfast', 'lunch', 'dinner'] as const).filter((slot) => site.slots[slot]);
  return (
    <li class="card">
      <h3>{site.name}</h3>
      <p>{siteKindLabels[site.kind]} · {site.address}</p>
      <p>{site.delivery ? `✓ ${t.delivery}` : `✕ ${t.noDelivery}`}</p>
      {props.detailed ? (
        <SiteDay siteId={site.id} date={date} />
      ) : (
        <p>{offered.map((slot) => `${slotLabels[slot]} ${yuan(site.slots[slot]!.priceFen)}`).join(' · ')}</p>
      )}
      <a class="button primary" href={`/family/elders/${encodeURIComponent(props.elderId)}/sites/${encodeURIComponent(site.id)}?date=${date}`}>{t.bookHere}</a>
    </li>
  );
}

/** Seats left per slot and the menu of one site on one day. */
function SiteDay(props: { siteId: string; date: string }) {
  const day = useLoad(async () => {
    const [availability, menu] = await Promise.all([
      call('availability', { params: { siteId: props.siteId }, query: { date: props.date } }),
      call('getMenu', { params: { siteId: props.siteId, date: props.date } }).catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined;
        throw e;
      }),
    ]);
    return { availability, menu };
  }, [props.siteId, props.date]);
  if (day.error) return <ErrorNotice error={day.error} />;
  if (!day.data) return <Loading />;
  return (
    <table class="slots">
      <caption class="sr-only">{dateLabel(props.date)}</caption>
      <thead>
        <tr><th scope="col">{t.slot}</th><th scope="col">{t.price}</th><th scope="col">{t.menu}</th></tr>
      </thead>
      <tbody>
        {day.data.availability.slots.map((s) => {
          const dishes = day.data!.menu?.slots[s.slot];
          return (
            <tr key={s.slot}>
              <th scope="row">
                {slotLabels[s.slot]}
                <span class="state">{!s.open ? t.closed : s.remaining <= 0 ? t.full : t.seatsLeft(s.remaining)}</span>
                <span class="small">{t.cutoffAt(s.cutoff)}</span>
              </th>
              <td>{yuan(s.priceFen)}</td>
              <td>{dishes?.length ? dishes.map((d) => d.name).join('、') : t.noMenu}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
