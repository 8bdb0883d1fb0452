import { useState } from 'preact/hooks';
import { dietaryNeeds } from '#shared/schemas/elders.js';
import { ApiError } from '../../api.js';
import { ErrorNotice } from '../../components/notice.js';
import * as c from '../../counter/controller.js';
import type { OutboxEntry } from '../../counter/outbox-logic.js';
import { yuan } from '../../format.js';
import { counterText as ct, dietaryLabels, errorSentences, modeLabels, slotLabels, t } from '../../messages.js';

/** Below the desk: refused records to resolve, today's meals (with void), the kitchen's list and the bookings still to serve. */
export function CounterLists() {
  return (
    <div class="lists">
      <Rejected />
      <ToServe />
      <Recent />
      <KitchenList />
    </div>
  );
}

const slotOrder = ['breakfast', 'lunch', 'dinner'];
const hhmm = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(11, 16);

function Rejected() {
  const list = c.rejected.value;
  if (list.length === 0) return null;
  return (
    <section class="card rejected" aria-labelledby="rejected-h" data-testid="rejected">
      <h2 id="rejected-h"><span aria-hidden="true">⚠ </span>{ct.rejectedTitle}（{list.length}）</h2>
      <p>{ct.rejectedHint}</p>
      <ul class="plain">
        {list.map((e) => <RejectedItem key={e.clientRecordId} e={e} />)}
      </ul>
    </section>
  );
}

function RejectedItem(props: { e: OutboxEntry }) {
  const { e } = props;
  const [fix, setFix] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState('');
  const sentence = errorSentences[e.error?.code as keyof typeof errorSentences] ?? errorSentences.INTERNAL;
  return (
    <li class="rejected-item" data-testid="rejected-item">
      <p><strong>{ct.identity(e.label)}</strong> · {hhmm(e.record.servedAt)} · {slotLabels[e.record.slot]} · {modeLabels[e.record.mode]}</p>
      <p class="field-problem" data-testid="rejected-reason">{ct.rejectedReason}：{sentence}</p>
      <form class="inline" onSubmit={async (ev) => {
        ev.preventDefault();
        setProblem((await c.fixRejected(e, fix)) === 'invalid' ? ct.idInvalid : '');
      }}>
        <label class="sr-only" for={`fix-${e.clientRecordId}`}>{ct.fixLabel}</label>
        <input id={`fix-${e.clientRecordId}`} autoComplete="off" placeholder={ct.fixLabel} value={fix} onInput={(x) => setFix(x.currentTarget.value)} />
        <button type="submit">{ct.fixResend}</button>
      </form>
      <form class="inline" onSubmit={async (ev) => {
        ev.preventDefault();
        if (reason.trim().length < 2) return setProblem(ct.discardReasonHint);
        await c.discardRejected(e, reason.trim());
      }}>
        <label class="sr-only" for={`discard-${e.clientRecordId}`}>{ct.discardReasonLabel}</label>
        <input id={`discard-${e.clientRecordId}`} autoComplete="off" placeholder={ct.discardReasonHint} value={reason} onInput={(x) => setReason(x.currentTarget.value)} />
        <button type="submit" class="danger">{ct.discard}</button>
      </form>
      {problem && <p class="field-problem" role="alert">{problem}</p>}
    </li>
  );
}

/** Today's meals: on the server (with 作废), and still waiting on this device. */
function Recent() {
  const server = [...c.serverServings.value].sort((a, b) => (a.servedAt < b.servedAt ? 1 : -1));
  const waiting = c.waiting.value;
  return (
    <section class="card" aria-labelledby="recent-h">
      <h2 id="recent-h">{ct.recentTitle}</h2>
      {server.length === 0 && waiting.length === 0 ? <p class="muted">{ct.noneToday}</p> : (
        <table class="slots recent">
          <thead><tr><th scope="col">{ct.time}</th><th scope="col">{ct.slot}</th><th scope="col">{t.price} / {t.subsidy} / {t.pay}</th><th scope="col">{ct.statusLabel}</th></tr></thead>
          <tbody>
            {waiting.map((e) => (
              <tr key={e.clientRecordId} data-testid="recent-waiting">
                <td>{hhmm(e.record.servedAt)}</td>
                <td>{slotLabels[e.record.slot]} · {modeLabels[e.record.mode]}</td>
                <td>{yuan(e.estimate.priceFen)} / {e.estimate.subsidyFen === undefined ? ct.subsidyUnknown : yuan(e.estimate.subsidyFen)} / {e.estimate.payFen === undefined ? ct.subsidyUnknown : yuan(e.estimate.payFen)} <span class="estimated">{ct.estimated}</span></td>
                <td>⏳ {ct.waitingUpload}</td>
              </tr>
            ))}
            {server.map((s) => <ServedRow key={s.id} s={s} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ServedRow(props: { s: (typeof c.serverServings.value)[number] }) {
  const { s } = props;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();
  const voided = s.status === 'voided';
  return (
    <tr data-testid="recent-served">
      <td>{hhmm(s.servedAt)}</td>
      <td>{slotLabels[s.slot]} · {modeLabels[s.mode]}</td>
      <td>{yuan(s.priceFen)} / {yuan(s.subsidyFen)} / {yuan(s.payFen)}</td>
      <td>
        {voided ? <span>✕ {ct.voided}</span> : !open ? (
          <button type="button" onClick={() => setOpen(true)} disabled={!c.online.value} aria-describedby={c.online.value ? undefined : 'void-offline'}>{ct.voidAction}</button>
        ) : (
          <form onSubmit={async (e) => {
            e.preventDefault();
            try {
              await c.voidServing(s.id, reason.trim());
              setOpen(false);
            } catch (x) {
              setError(x instanceof ApiError ? x : new ApiError('UNEXPECTED', 0));
            }
          }}>
            <label for={`void-${s.id}`}>{ct.voidReasonLabel}</label>
            <input id={`void-${s.id}`} autoComplete="off" minLength={2} maxLength={500} required value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            <button type="submit" class="danger">{ct.voidConfirm}</button>
            <ErrorNotice error={error} />
          </form>
        )}
        {!c.online.value && !voided && <span id="void-offline" class="small">{ct.voidOffline}</span>}
      </td>
    </tr>
  );
}

function KitchenList() {
  const k = c.kitchen.value;
  return (
    <section class="card" aria-labelledby="kitchen-h" data-testid="kitchen">
      <h2 id="kitchen-h">{ct.kitchenTitle}</h2>
      {!k ? <p class="muted">{ct.kitchenUnavailable}</p> : (
        <>
          <table class="slots">
            <thead><tr><th scope="col">{ct.slot}</th>{(['dine_in', 'pickup', 'delivery'] as const).map((m) => <th key={m} scope="col">{modeLabels[m]}</th>)}<th scope="col">{ct.dietary}</th></tr></thead>
            <tbody>
              {[...k.slots].sort((a, b) => slotOrder.indexOf(a.slot) - slotOrder.indexOf(b.slot)).map((s) => (
                <tr key={s.slot}>
                  <th scope="row">{slotLabels[s.slot]}<span class="small">{ct.kitchenBooked(s.booked)}</span></th>
                  <td>{s.byMode.dine_in}</td>
                  <td>{s.byMode.pickup}</td>
                  <td>{s.byMode.delivery}</td>
                  <td>{dietaryNeeds.filter((d) => s.byDietaryNeed[d] > 0).map((d) => `${dietaryLabels[d]} ${s.byDietaryNeed[d]}`).join('、') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{ct.deliveriesTitle}</h3>
          {k.deliveries.length === 0 ? <p class="muted">{ct.noDeliveries}</p> : (
            <ul class="plain">
              {k.deliveries.map((d) => (
                <li key={d.bookingId}>{slotLabels[d.slot]} · {d.elderName} · {d.address}{d.dietaryNeeds.length ? ` · ${d.dietaryNeeds.map((x) => dietaryLabels[x]).join('、')}` : ''}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** Bookings of the chosen slot not yet served: one tap to pick the elder, one to confirm. */
function ToServe() {
  const k = c.kitchen.value;
  const slot = c.slot.value;
  const servedBookings = new Set(c.serverServings.value.filter((s) => s.status === 'recorded' && s.bookingId).map((s) => s.bookingId));
  const waitingBookings = new Set(c.waiting.value.map((e) => e.record.bookingId).filter(Boolean));
  const open = (k?.bookings ?? []).filter((b) => b.status === 'booked' && b.slot === slot && !servedBookings.has(b.id) && !waitingBookings.has(b.id));
  const names = new Map((k?.elders ?? []).map((e) => [e.bookingId, e]));
  return (
    <section class="card" aria-labelledby="toserve-h" data-testid="to-serve">
      <h2 id="toserve-h">{ct.toServeTitle}（{slotLabels[slot]}）</h2>
      {!k ? <p class="muted">{ct.kitchenUnavailable}</p> : open.length === 0 ? <p class="muted">{ct.noBookingsToServe}</p> : (
        <ul class="plain picks">
          {open.map((b) => {
            const who = names.get(b.id);
            return (
              <li key={b.id}>
                <span>{who?.elderName ?? ''} · {modeLabels[b.mode]}{who?.dietaryNeeds.length ? ` · ${who.dietaryNeeds.map((d) => dietaryLabels[d]).join('、')}` : ''}</span>
                <button type="button" onClick={() => c.previewBooking(b.id)} aria-label={`${ct.pick} ${who?.elderName ?? ''}`}>{ct.pick}</button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
