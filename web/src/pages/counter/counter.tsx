import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { slots as allSlots, modes, type Mode, type Slot } from '#functions/meals/domain/subsidy.js';
import { lastSignedIn, principal, signIn, signOut, tokenFresh, user } from '../../auth.js';
import * as c from '../../counter/controller.js';
import { offeredSlots } from '../../counter/slot.js';
import { yuan } from '../../format.js';
import { counterText as ct, dietaryLabels, errorSentences, genderLabels, modeLabels, slotLabels, t } from '../../messages.js';
import { CounterLists } from './lists.js';

/**
 * `/counter`: the meal site's counter, tablet first (1024x768 landscape, 800x1280 portrait).
 * Works with no network once opened: the service worker serves the page, the outbox keeps the
 * meals, and the last sign-in on this device is enough to record (uploading needs a live one).
 */
export function Counter() {
  const { url } = useLocation();
  const session = user.value ?? lastSignedIn();
  const who = principal(session);
  const canSignIn = !session && c.online.value;
  useEffect(() => {
    document.title = `${ct.title} · ${ct.appName}`;
    // The offline shell: registered from the counter only, so the family pages never get a service
    // worker; not under Vite's dev server (import.meta.hot), which has no sw.js. (Not
    // import.meta.env.PROD: a build run inside vitest has NODE_ENV=test and PROD false.)
    if (!import.meta.hot && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  }, []);
  useEffect(() => {
    // Never off to the identity provider while offline: that page would not load.
    if (canSignIn) void signIn(url, 'public');
  }, [canSignIn]);
  if (!session) return <Shell><p class="notice" role="status">{c.online.value ? t.signingIn : ct.offlineNoSession}</p></Shell>;
  if (who?.role !== 'site' || !who.site) return <Shell><p class="notice">{ct.notSite}</p></Shell>;
  return <CounterDesk siteId={who.site} />;
}

function Shell(props: { children: preact.ComponentChildren; status?: preact.ComponentChildren; actions?: preact.ComponentChildren }) {
  return (
    <>
      <a class="skip" href="#main">{t.skipToContent}</a>
      <header class="top counter-top">
        <div class="head-row">
          <p class="brand">{ct.appName}{c.site.value ? ` · ${c.site.value.name}` : ''}</p>
          {props.actions}
        </div>
        {props.status}
      </header>
      <main id="main" tabIndex={-1} class="counter">
        <h1 class="sr-only">{ct.title}</h1>
        {props.children}
      </main>
    </>
  );
}

function CounterDesk(props: { siteId: string }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void c.start(props.siteId).then((s) => {
      if (live) setReady(true);
      stop = s;
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [props.siteId]);
  return (
    <Shell status={<StatusBar />} actions={<HeaderActions />}>
      {ready ? (
        <>
          <div class="desk">
            <section class="identify" aria-labelledby="identify-h">
              <h2 id="identify-h" class="sr-only">{ct.identifyTitle}</h2>
              <CardField />
              <SlotAndMode />
              <IdNumberField />
            </section>
            <section class="served" aria-live="polite" aria-labelledby="served-h">
              <h2 id="served-h" class="sr-only">{ct.recorded}</h2>
              <Confirmation />
            </section>
          </div>
          <CounterLists />
        </>
      ) : (
        <p role="status" class="muted">{t.loading}</p>
      )}
    </Shell>
  );
}

const hhmm = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(11, 16);

function StatusBar() {
  const on = c.online.value;
  const expired = on && !tokenFresh();
  return (
    <div class="status-bar" role="status" data-testid="status">
      <span class={on ? 'net on' : 'net off'} data-testid="network">
        <span aria-hidden="true">{on ? '● ' : '✕ '}</span>
        {on ? ct.online : ct.offline}
      </span>
      <span data-testid="waiting">{ct.waiting(c.waiting.value.length)}</span>
      <span data-testid="last-upload">{c.lastUpload.value ? ct.lastUpload(hhmm(c.lastUpload.value)) : ct.neverUploaded}</span>
      <Totals />
      {expired && <span class="expired">{ct.sessionExpired}</span>}
    </div>
  );
}

/** Upload now, and sign in again (expired) or sign out, beside the site's name. */
function HeaderActions() {
  const on = c.online.value;
  const expired = on && !tokenFresh();
  return (
    <div class="head-actions">
      <button type="button" class="on-dark" onClick={() => void c.upload()} disabled={!on || c.uploading.value || expired}>
        {c.uploading.value ? ct.uploading : ct.uploadNow}
      </button>
      {expired ? (
        <button type="button" class="on-dark" onClick={() => void signIn('/counter', 'public')}>{ct.signInAgain}</button>
      ) : (
        <button type="button" class="link" onClick={() => void signOut()}>{ct.signOut}</button>
      )}
    </div>
  );
}

/** The card field keeps the focus: a card reader types the number and Enter into whatever is focused. */
function CardField() {
  const ref = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState(false);
  useEffect(() => {
    ref.current?.focus();
    // Keys typed with nothing focused (after a tap elsewhere) go to the card field.
    const onKey = (e: KeyboardEvent) => {
      if (document.activeElement === document.body && /^[0-9A-Za-z]$/.test(e.key)) ref.current?.focus();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = ref.current!;
    const ok = await c.recordCard(input.value, performance.mark('counter-enter').startTime);
    setProblem(!ok);
    if (ok) input.value = '';
    input.focus();
  };
  return (
    <form onSubmit={submit} class="field card-field">
      <label for="card">{ct.cardLabel}</label>
      <input id="card" name="card" autoComplete="off" inputMode="numeric" enterKeyHint="done" aria-describedby="card-hint card-problem" ref={ref} data-testid="card" />
      <span id="card-hint" class="small">{ct.cardHint}</span>
      <span id="card-problem" class="field-problem">{problem ? ct.cardInvalid : ''}</span>
    </form>
  );
}

function SlotAndMode() {
  const offered = c.site.value ? offeredSlots(c.site.value) : [...allSlots];
  const delivery = c.site.value?.delivery ?? true;
  const auto = c.slotOverride.value === undefined;
  return (
    <div class="choices">
      <fieldset class="chips">
        <legend>{ct.slot}<span class="small">{auto ? ct.slotAuto(slotLabels[c.slot.value]) : ''}</span></legend>
        {offered.map((s: Slot) => (
          <label key={s} class={c.slot.value === s ? 'chip on' : 'chip'}>
            <input type="radio" name="slot" value={s} checked={c.slot.value === s} onChange={() => (c.slotOverride.value = s)} />
            {slotLabels[s]}
          </label>
        ))}
      </fieldset>
      <fieldset class="chips">
        <legend>{ct.mode}</legend>
        {modes.filter((m) => m !== 'delivery' || delivery).map((m: Mode) => (
          <label key={m} class={c.mode.value === m ? 'chip on' : 'chip'}>
            <input type="radio" name="mode" value={m} checked={c.mode.value === m} onChange={() => (c.mode.value = m)} />
            {modeLabels[m]}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

function IdNumberField() {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<'invalid' | 'not_found' | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await c.previewIdNumber(value);
    setProblem(r === 'ok' ? undefined : r);
    if (r === 'ok') setValue('');
  };
  return (
    <form onSubmit={submit} class="field id-field">
      <label for="id-number">{ct.idLabel}</label>
      <div class="inline">
        <input id="id-number" autoComplete="off" maxLength={18} value={value} onInput={(e) => setValue(e.currentTarget.value)} aria-describedby="id-hint id-problem" aria-invalid={problem !== undefined} />
        <button type="submit">{ct.idFind}</button>
      </div>
      <span id="id-hint" class="small">{ct.idHint}</span>
      <span id="id-problem" class="field-problem" role={problem ? 'alert' : undefined}>{problem === 'invalid' ? ct.idInvalid : problem === 'not_found' ? errorSentences.ELDER_NOT_FOUND : ''}</span>
    </form>
  );
}

function Money(props: { label: string; fen: number | undefined; testId: string; strong?: boolean; minus?: boolean }) {
  return (
    <div class={props.strong ? 'pay' : ''}>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.fen === undefined ? ct.subsidyUnknown : `${props.minus ? '−' : ''}${yuan(props.fen)}`}</dd>
    </div>
  );
}

/** What the elder across the counter reads: who, which meal, and 原价 / 补贴 / 自付, big. */
function Confirmation() {
  const s = c.shown.value;
  useLayoutEffect(() => {
    const start = s?.enteredAt;
    if (!s?.clientRecordId || start === undefined) return;
    // The bench reads this measure: from Enter on the card field to the frame after the
    // confirmation is rendered. Each record carries its own start, so quick reads never mix.
    requestAnimationFrame(() => {
      performance.measure('counter-record', { start, end: performance.now() });
    });
  }, [s?.clientRecordId]);
  if (!s) return <div class="confirmation empty" data-testid="confirmation"><p class="muted">{ct.awaiting}</p></div>;
  const estimated = s.basis !== 'server';
  const unknownPrice = s.figures.priceFen === 0 && s.basis === 'unknown';
  const stateText = s.state === 'uploaded' ? `✓ ${ct.uploaded}` : s.state === 'waiting' ? `⏳ ${ct.waitingUpload}` : s.state === 'rejected' ? `⚠ ${errorSentences[s.errorCode as keyof typeof errorSentences] ?? ''}` : '';
  return (
    <div class={`confirmation ${s.state}`} data-testid="confirmation" data-state={s.state} data-record={s.clientRecordId ?? ""}>
      <p class="who">
        <strong data-testid="who">{s.elder?.name ?? s.booked?.elderName ?? ct.identity(s.label)}</strong>
        {s.elder && <span class="small">{s.elder.idNumberMasked} · {ct.ageGender(s.elder.age, genderLabels[s.elder.gender])}</span>}
        {!s.elder && !s.booked && s.state !== 'preview' && !c.online.value && <span class="small">{ct.elderOffline}</span>}
      </p>
      {(s.elder?.dietaryNeeds.length || s.booked?.dietaryNeeds.length) ? (
        <p class="diet">{ct.dietary}：{(s.elder?.dietaryNeeds ?? s.booked?.dietaryNeeds ?? []).map((d) => dietaryLabels[d as keyof typeof dietaryLabels]).join('、')}</p>
      ) : null}
      <p class="meal">{slotLabels[s.slot]} · {modeLabels[s.mode]}{estimated && <span class="estimated" data-testid="estimated"> {ct.estimated}</span>}</p>
      <dl class="price big">
        <Money label={t.price} fen={unknownPrice ? undefined : s.figures.priceFen} testId="price" />
        <Money label={t.subsidy} fen={s.figures.subsidyFen} testId="subsidy" minus />
        <Money label={t.pay} fen={s.figures.payFen} testId="pay" strong />
      </dl>
      {s.basis === 'repeat' || isRepeatServer(s) ? <p class="notice" data-testid="repeat">{ct.fullPriceRepeat}</p> : null}
      {estimated && s.state !== 'rejected' && <p class="small">{ct.estimateNote}</p>}
      {s.state === 'preview' ? (
        <div class="actions">
          <button type="button" class="primary big-button" onClick={() => void c.confirmPending().then(() => document.getElementById('card')?.focus())}>{ct.confirmServe}</button>
          <button type="button" onClick={() => { c.cancelPending(); document.getElementById('card')?.focus(); }}>{ct.cancelPreview}</button>
        </div>
      ) : (
        <p class={`record-state ${s.state}`} data-testid="record-state">{stateText}</p>
      )}
    </div>
  );
}

/** The server priced this meal at no subsidy because the elder already had a subsidised meal in the slot. */
function isRepeatServer(s: c.Shown): boolean {
  const id = s.clientRecordId;
  const mine = id && c.serverServings.value.find((x) => x.clientRecordId === id);
  return !!mine && mine.subsidyBasis === 'slot_already_subsidised';
}

/** Today's totals for the site, in the status bar so they are always in view. */
function Totals() {
  const x = c.totals.value;
  return (
    <span class="totals" data-testid="totals">
      <span class="sr-only">{ct.totalsTitle}：</span>
      <span aria-hidden="true">{ct.totalsShort}</span>
      {ct.meals} <b data-testid="total-meals">{ct.mealsCount(x.meals)}</b> · {ct.subsidyTotal} <b data-testid="total-subsidy">{yuan(x.subsidyFen)}</b> · {ct.payTotal} <b data-testid="total-pay">{yuan(x.payFen)}</b>
      {x.waiting > 0 && <span class="small-inline">（{ct.totalsEstimated(x.waiting)}）</span>}
    </span>
  );
}
