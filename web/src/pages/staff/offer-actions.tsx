import { useState } from 'preact/hooks';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import { ErrorNotice } from '../../components/notice.js';
import { cstLocalInput, cstMonthDayTime, instantOfCstLocal } from '../../format.js';
import { st } from '../../staff-messages.js';

export type Offer = Answer<'listOffers'>['items'][number];

/** "12月4日 14:30前": until when the bed is held, in China Standard Time. */
export const heldUntil = (o: Pick<Offer, 'expiresAt'>): string => st.heldUntilAt(cstMonthDayTime(o.expiresAt));

/**
 * The admission time to send: now when the field was left as it was (the field shows minutes,
 * and the offer may have been made within this very minute: its start would be before the
 * offer, which the API refuses as DATE_OUT_OF_ORDER); else the typed China Standard Time, and
 * the offer's own time when the typed minute is the one the offer was made in. Undefined when
 * nothing usable was typed.
 */
export function admittedTime(offer: Pick<Offer, 'madeAt'>, typed: string | undefined, now = new Date()): string | undefined {
  if (typed === undefined) return now.toISOString();
  const at = instantOfCstLocal(typed);
  if (!at) return undefined;
  const made = Date.parse(offer.madeAt);
  return Date.parse(at) < made && Date.parse(at) + 60_000 > made ? offer.madeAt : at;
}

/**
 * 办理入住 and 登记放弃 for one open offer, used by the offers page and the bed board (staff and
 * the institution's own staff may do both). Accepting asks for the time the elder moved in (now by
 * default, China Standard Time, editable) and sends it with an Idempotency-Key, so a double press
 * admits once; declining asks for the reason as the elder gave it. Each opens on the page, no pop-up.
 */
export function OfferActions(props: { offer: Offer; onDone: (message: string) => void }) {
  const { offer } = props;
  const [mode, setMode] = useState<'accept' | 'decline'>();
  const [admittedAt, setAdmittedAt] = useState(() => cstLocalInput(new Date()));
  const [edited, setEdited] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  const id = (s: string) => `${s}-${offer.id}`;
  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      props.onDone(message);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="offer-actions">
      <div class="actions">
        <button type="button" class={mode === 'accept' ? 'primary' : undefined} aria-expanded={mode === 'accept'} onClick={() => { setMode('accept'); setProblem(undefined); }}>{st.acceptOffer}</button>
        <button type="button" aria-expanded={mode === 'decline'} onClick={() => { setMode('decline'); setProblem(undefined); }}>{st.declineOffer}</button>
      </div>
      {mode === 'accept' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const at = admittedTime(offer, edited ? admittedAt : undefined);
            if (!at) return setProblem('请填写入住的日期和时间。');
            setProblem(undefined);
            void run(() => call('acceptOffer', { params: { offerId: offer.id }, body: { admittedAt: at }, idempotencyKey: key }), st.acceptDone(`${offer.institutionName} ${offer.bedLabel}`));
          }}
        >
          <div class="field">
            <label for={id('admitted')}>{st.admittedAtLabel}</label>
            <span class="field-hint" id={id('admitted-hint')}>{st.admittedAtHint}</span>
            <input id={id('admitted')} type="datetime-local" value={admittedAt} aria-describedby={id('admitted-hint')} aria-invalid={problem ? 'true' : undefined} onInput={(e) => { setAdmittedAt(e.currentTarget.value); setEdited(true); }} />
            {problem && <p class="field-problem">{problem}</p>}
          </div>
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>{st.acceptOffer}：{offer.bedLabel}</button>
            <button type="button" onClick={() => setMode(undefined)}>{st.cancel}</button>
          </div>
        </form>
      )}
      {mode === 'decline' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setProblem('请填写放弃的原因。');
            setProblem(undefined);
            void run(() => call('declineOffer', { params: { offerId: offer.id }, body: { reason: reason.trim() } }), st.declineDone(offer.bedLabel));
          }}
        >
          <div class="field">
            <label for={id('reason')}>{st.declineReason}</label>
            <span class="field-hint" id={id('reason-hint')}>{st.declineReasonHint}</span>
            <textarea id={id('reason')} rows={2} maxLength={200} value={reason} aria-describedby={id('reason-hint')} aria-invalid={problem ? 'true' : undefined} onInput={(e) => setReason(e.currentTarget.value)} />
            {problem && <p class="field-problem">{problem}</p>}
          </div>
          <div class="actions">
            <button type="submit" class="danger" disabled={busy}>{st.declineYes}</button>
            <button type="button" onClick={() => setMode(undefined)}>{st.cancel}</button>
          </div>
        </form>
      )}
      <ErrorNotice error={error} />
    </div>
  );
}
