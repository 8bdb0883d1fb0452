import { useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { quoteSubsidy, type Mode } from '#functions/meals/domain/subsidy.js';
import { ageOn } from '#shared/time.js';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import type { FormState, Problems } from '../../booking-form.js';
import { FamilyOnly } from '../../components/family-only.js';
import { Loading, Page } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { PriceSplit } from '../../components/price-split.js';
import { addDays, cstToday, dateLabel } from '../../format.js';
import { fieldProblems, modeLabels, slotLabels, t } from '../../messages.js';
import { useLoad } from '../../use-load.js';

const orNone = <T,>(p: Promise<T>): Promise<T | undefined> =>
  p.catch((e: unknown) => {
    if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  });

/**
 * `/family/elders/:elderId/sites/:siteId?date=`: book one meal. Date, slot (seats left, cutoff),
 * dine-in / pick-up / delivery, then 原价 / 补贴 / 自付 before confirming. The preview is computed
 * with the API's own subsidy function and the policy in force on the date; the booking's answer
 * is what counts and is shown after confirming.
 */
export function BookMeal() {
  return (
    <FamilyOnly>
      <Book />
    </FamilyOnly>
  );
}

function Book() {
  const { params, query } = useRoute();
  const elderId = params.elderId!;
  const siteId = params.siteId!;
  const today = cstToday();
  const [form, setForm] = useState<FormState>({ elderId, siteId, date: query.date && query.date >= today ? query.date : addDays(today, 1), slot: query.slot ?? '', mode: 'dine_in', deliveryAddress: '' });
  const [problems, setProblems] = useState<Problems>({});
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [booked, setBooked] = useState<Answer<'createBooking'>>();
  // One key per distinct request: a double tap or a retry of the same booking books once.
  const key = useRef<{ body: string; key: string } | undefined>(undefined);
  const inFlight = useRef(false);

  const base = useLoad(async () => {
    const [elder, site] = await Promise.all([call('getElder', { params: { elderId } }), call('getSite', { params: { siteId } })]);
    const address = 'address' in elder && typeof elder.address === 'string' ? elder.address : '';
    if (address) setForm((f) => (f.deliveryAddress ? f : { ...f, deliveryAddress: address }));
    return { elder, site };
  }, [elderId, siteId]);
  const day = useLoad(async () => {
    const [availability, policy] = await Promise.all([
      call('availability', { params: { siteId }, query: { date: form.date } }),
      orNone(call('getPolicy', { query: { date: form.date } })),
    ]);
    return { availability, policy };
  }, [siteId, form.date]);

  if (base.error) {
    return (
      <Page title={t.refusedTitle}>
        <ErrorNotice error={base.error} />
        <a class="button" href="/family">{t.back}</a>
      </Page>
    );
  }
  // One wait for the elder, the site and the day's seats, so the form appears whole and
  // nothing on it moves when the seats arrive (no layout shift).
  if (!base.data || (!day.data && !day.error)) return <Page title={t.bookTitle}><Loading /></Page>;
  const { elder, site } = base.data;
  const slots = day.data?.availability.slots ?? [];
  const chosen = slots.find((s) => s.slot === form.slot);
  const set = (patch: Partial<FormState>) => {
    setForm((f) => ({ ...f, ...patch }));
    setProblems({});
    setError(undefined);
  };

  const preview = chosen && 'birthDate' in elder
    ? { priceFen: chosen.priceFen, ...quoteSubsidy(day.data?.policy, { age: ageOn(elder.birthDate, form.date), categories: elder.categories, ...(elder.capabilityLevel !== undefined && { capabilityLevel: elder.capabilityLevel }) }, chosen.priceFen, form.mode as Mode) }
    : undefined;

  const submit = async (ev: Event) => {
    ev.preventDefault();
    // A ref, not state: the second tap of a double tap comes before the page re-renders.
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setError(undefined);
    try {
      // The schemas (zod) load with the first tap on 确认预订, not with the page.
      const { validateBooking } = await import('../../booking-form.js');
      const checked = validateBooking(form, { today, slots, deliveryOffered: site.delivery });
      if (!checked.ok) {
        setProblems(checked.problems);
        return;
      }
      const body = JSON.stringify(checked.body);
      if (key.current?.body !== body) key.current = { body, key: newIdempotencyKey() };
      setBooked(await call('createBooking', { body: checked.body, idempotencyKey: key.current.key }));
      day.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const p: Problems = {};
        for (const d of e.details) {
          const field = d.path?.split('.')[0];
          if (field && field in form) p[field as keyof FormState] = fieldProblems.invalid;
        }
        setProblems(p);
      }
      day.reload();
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  if (booked) {
    return (
      <Page title={t.booked}>
        <p class="notice ok" role="status"><span aria-hidden="true">✓ </span>{t.bookedDetail(`${dateLabel(booked.date)}${slotLabels[booked.slot]}（${site.name}，${modeLabels[booked.mode]}）`)}</p>
        <PriceSplit priceFen={booked.priceFen} subsidyFen={booked.subsidyFen} payFen={booked.payFen} />
        <div class="actions">
          <a class="button primary" href={`/family/bookings?elder=${encodeURIComponent(elderId)}`}>{t.goToBookings}</a>
          <a class="button" href={`/family/elders/${encodeURIComponent(elderId)}`}>{t.bookAnother}</a>
        </div>
      </Page>
    );
  }

  const problem = (field: keyof FormState) =>
    problems[field] && <p class="field-problem" id={`${field}-problem`}><span aria-hidden="true">⚠ </span>{problems[field]}</p>;
  const described = (field: keyof FormState, hint?: string) => [problems[field] && `${field}-problem`, hint].filter(Boolean).join(' ') || undefined;

  return (
    <Page title={t.bookTitle}>
      <dl class="facts">
        <div><dt>{t.elder}</dt><dd>{elder.name}</dd></div>
        <div><dt>{t.site}</dt><dd>{site.name}</dd></div>
      </dl>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="date">{t.date}</label>
          <input id="date" type="date" value={form.date} min={today} max={addDays(today, 30)} aria-describedby={described('date', 'date-hint')}
            onChange={(e) => set({ date: (e.target as HTMLInputElement).value, slot: '' })} />
          <p class="small" id="date-hint">{t.dateHint}（{dateLabel(form.date)}）</p>
          {problem('date')}
        </div>
        <fieldset class="field" aria-describedby={described('slot')}>
          <legend>{t.slot}</legend>
          {day.loading && !day.data && <Loading />}
          <ErrorNotice error={day.error} />
          {slots.map((s) => {
            const unavailable = !s.open || s.remaining <= 0;
            return (
              <label key={s.slot} class="option">
                <input type="radio" name="slot" value={s.slot} checked={form.slot === s.slot} disabled={unavailable} onChange={() => set({ slot: s.slot })} />
                <span>
                  <strong>{slotLabels[s.slot]}</strong>{' '}
                  <span data-testid={`remaining-${s.slot}`}>{!s.open ? t.closed : s.remaining <= 0 ? t.full : t.seatsLeft(s.remaining)}</span>
                  <span class="small">{t.cutoffAt(s.cutoff)}</span>
                </span>
              </label>
            );
          })}
          {problem('slot')}
        </fieldset>
        <fieldset class="field" aria-describedby={described('mode')}>
          <legend>{t.mode}</legend>
          {(['dine_in', 'pickup', 'delivery'] as const).map((m) => (
            <label key={m} class="option">
              <input type="radio" name="mode" value={m} checked={form.mode === m} disabled={m === 'delivery' && !site.delivery} onChange={() => set({ mode: m })} />
              <span>{modeLabels[m]}{m === 'delivery' && !site.delivery && <span class="small">（{t.noDelivery}）</span>}</span>
            </label>
          ))}
          {problem('mode')}
        </fieldset>
        {form.mode === 'delivery' && (
          <div class="field">
            <label for="address">{t.deliveryAddress}</label>
            <textarea id="address" rows={2} value={form.deliveryAddress} aria-describedby={described('deliveryAddress', 'address-hint')}
              onInput={(e) => set({ deliveryAddress: (e.target as HTMLTextAreaElement).value })} />
            <p class="small" id="address-hint">{t.deliveryAddressHint}</p>
            {problem('deliveryAddress')}
          </div>
        )}
        {preview && (
          <section aria-labelledby="price-title">
            <h2 id="price-title" class="sr-only">{t.pay}</h2>
            <PriceSplit priceFen={preview.priceFen} subsidyFen={preview.subsidyFen} payFen={preview.payFen} />
            <p class="small">{t.priceNote}</p>
          </section>
        )}
        <ErrorNotice error={error} />
        <button type="submit" class="primary" aria-disabled={sending}>{sending ? t.booking : t.confirmBooking}</button>
      </form>
    </Page>
  );
}
