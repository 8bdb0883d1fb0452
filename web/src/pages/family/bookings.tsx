import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError, call, type Answer } from '../../api.js';
import { FamilyOnly } from '../../components/family-only.js';
import { Loading, Page } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { PriceSplit } from '../../components/price-split.js';
import { cstInstant, cstToday, dateLabel } from '../../format.js';
import { modeLabels, slotLabels, statusLabels, statusMarks, t } from '../../messages.js';
import { useLoad } from '../../use-load.js';

type Booking = Answer<'listBookings'>['items'][number];
type Site = Answer<'listSites'>['items'][number];

/** `/family/bookings[?elder=]`: upcoming and past bookings of the family's elders; cancel before the cutoff. */
export function MyBookings() {
  return (
    <FamilyOnly>
      <Bookings />
    </FamilyOnly>
  );
}

function Bookings() {
  const { query } = useRoute();
  const data = useLoad(async () => {
    const [elders, sites] = await Promise.all([call('myElders', {}), call('listSites', { query: { limit: 500 } })]);
    const chosen = elders.items.filter((e) => !query.elder || e.id === query.elder);
    const lists = await Promise.all(chosen.map((e) => call('listBookings', { query: { elderId: e.id, limit: 100 } })));
    return { elders: chosen, sites: new Map(sites.items.map((s) => [s.id, s])), bookings: lists.flatMap((l) => l.items) };
  }, [query.elder]);
  if (data.error) return <Page title={t.bookingsTitle}><ErrorNotice error={data.error} /></Page>;
  if (!data.data) return <Page title={t.bookingsTitle}><Loading /></Page>;
  const today = cstToday();
  const names = new Map(data.data.elders.map((e) => [e.id, e.name]));
  const order = (a: Booking, b: Booking) => a.date.localeCompare(b.date) || slotOrder[a.slot] - slotOrder[b.slot];
  const upcoming = data.data.bookings.filter((b) => b.status === 'booked' && b.date >= today).sort(order);
  const past = data.data.bookings.filter((b) => !(b.status === 'booked' && b.date >= today)).sort((a, b) => order(b, a));
  const list = (items: Booking[]) =>
    items.length === 0 ? <p class="muted">{t.noBookings}</p> : (
      <ul class="cards">
        {items.map((b) => <BookingCard key={b.id} booking={b} site={data.data!.sites.get(b.siteId)} elderName={names.get(b.elderId) ?? ''} onChange={data.reload} />)}
      </ul>
    );
  return (
    <Page title={t.bookingsTitle}>
      <h2>{t.upcoming}</h2>
      {list(upcoming)}
      <h2>{t.past}</h2>
      {list(past)}
    </Page>
  );
}

const slotOrder = { breakfast: 0, lunch: 1, dinner: 2 } as const;

function BookingCard(props: { booking: Booking; site: Site | undefined; elderName: string; onChange: () => void }) {
  const b = props.booking;
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const cutoff = props.site?.slots[b.slot]?.cutoff;
  const cancellable = b.status === 'booked' && cutoff !== undefined && Date.now() < cstInstant(b.date, cutoff).getTime();
  const cancel = async () => {
    setBusy(true);
    try {
      await call('cancelBooking', { params: { bookingId: b.id } });
      props.onChange();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  const title = `${dateLabel(b.date)} ${slotLabels[b.slot]}`;
  return (
    <li class="card" data-testid="booking">
      <h3>{title}</h3>
      <p>
        <span class={`status ${b.status}`}><span aria-hidden="true">{statusMarks[b.status]} </span>{statusLabels[b.status]}</span>
      </p>
      <p>{props.elderName} · {props.site?.name ?? ''} · {modeLabels[b.mode]}</p>
      {b.deliveryAddress && <p>{t.deliveryAddress}：{b.deliveryAddress}</p>}
      <PriceSplit priceFen={b.priceFen} subsidyFen={b.subsidyFen} payFen={b.payFen} label={title} />
      <ErrorNotice error={error} />
      {b.status === 'booked' && !cancellable && <p class="small">{t.cancelClosed}</p>}
      {cancellable && !asking && <button type="button" onClick={() => setAsking(true)}>{t.cancel}</button>}
      {cancellable && asking && (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation panel with two buttons, not a group of form fields (fieldset)
        <div class="confirm" role="group" aria-label={t.cancel}>
          <p>{t.cancelAsk}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void cancel()}>{t.cancelYes}</button>
            <button type="button" onClick={() => setAsking(false)}>{t.cancelNo}</button>
          </div>
        </div>
      )}
    </li>
  );
}
