import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { cstToday } from '../../format.js';
import { careTypeLabels, offerStatusLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { days, figuresRangeProblem } from '../../waiting-forms.js';
import { allInstitutions } from './choose-institution.js';
import { count, cstDateTime } from './figures.js';
import { heldUntil, type Offer, OfferActions } from './offer-actions.js';

type Status = Offer['status'];

/**
 * `/staff/offers`: beds the waiting list holds for the next elder (轮候配床), newest first, by
 * status (open by default) and institution, each with the institution, bed, elder (a link to
 * their record), class and 保留至 (China Standard Time); an open one has 办理入住 and 登记放弃.
 * Below, the figures: offers per month by outcome and the average wait by institution and class
 * (GET /v1/waiting-list/figures), as two tables.
 */
export function Offers() {
  return <RoleOnly roles={['staff']}>{(who) => <OffersPage who={who} />}</RoleOnly>;
}

function OffersPage(props: { who: Principal }) {
  const [status, setStatus] = useState<'' | Status>('open');
  const [institutionId, setInstitutionId] = useState('');
  const [message, setMessage] = useState<string>();
  const [more, setMore] = useState<Offer[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const institutions = useLoad(async () => (await allInstitutions('')).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')), []);
  const query = { limit: 20, ...(status && { status }), ...(institutionId && { institutionId }) };
  const first = useLoad(async () => {
    const page = await call('listOffers', { query });
    setMore([]);
    setNext(page.nextToken);
    return page.items;
  }, [status, institutionId]);
  const offers = [...(first.data ?? []), ...more];
  return (
    <StaffPage who={props.who} title={st.offersTitle}>
      <p>{st.offersIntro}</p>
      {message && <p class="notice ok" role="status">✓ {message}</p>}
      <div class="inline-form">
        <div class="field">
          <label for="o-status">{st.offerStatusFilter}</label>
          <select id="o-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as '' | Status)}>
            <option value="">{st.anyOfferStatus}</option>
            {(Object.keys(offerStatusLabels) as Status[]).map((s) => <option key={s} value={s}>{offerStatusLabels[s]}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="o-institution">{st.institution}</label>
          <select id="o-institution" value={institutionId} onChange={(e) => setInstitutionId(e.currentTarget.value)}>
            <option value="">{st.anyInstitution}</option>
            {(institutions.data ?? []).map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
        </div>
      </div>
      <ErrorNotice error={first.error ?? error ?? institutions.error} />
      {first.loading && <Loading />}
      {first.data && offers.length === 0 && <p class="notice">{st.noOffers}</p>}
      {offers.length > 0 && (
        <ul class="cards" data-testid="offers">
          {offers.map((o) => (
            <OfferCard key={o.id} offer={o} onDone={(m) => { setMessage(m); first.reload(); }} />
          ))}
        </ul>
      )}
      {next && (
        <button type="button" onClick={async () => {
          setError(undefined);
          try {
            const page = await call('listOffers', { query: { ...query, nextToken: next } });
            setMore((m) => [...m, ...page.items]);
            setNext(page.nextToken);
          } catch (e) {
            setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
          }
        }}>{st.moreQueue}</button>
      )}
      <Figures />
    </StaffPage>
  );
}

/** One offer: where, who, until when, and what can be done while it is open. */
export function OfferCard(props: { offer: Offer; onDone: (message: string) => void; elderLink?: boolean }) {
  const o = props.offer;
  return (
    <li class="card" data-offer={o.id} data-bed={o.bedLabel}>
      <h2>{o.institutionName} {o.bedLabel}</h2>
      <p class="status">{offerStatusLabels[o.status]}{o.status === 'open' ? `：${st.heldUntil} ${heldUntil(o)}` : ''}</p>
      <dl class="facts">
        {props.elderLink !== false && <div><dt>{st.elder}</dt><dd><a href={`/staff/elders?elder=${encodeURIComponent(o.elderId)}`}>{st.viewElderText}</a></dd></div>}
        <div><dt>{st.priorityClass}</dt><dd>{o.priorityClass}</dd></div>
        <div><dt>{st.careType}</dt><dd>{careTypeLabels[o.careType]}</dd></div>
        <div><dt>{st.appliedAt}</dt><dd>{cstDateTime(o.appliedAt)}</dd></div>
        <div><dt>{st.offerMade}</dt><dd>{cstDateTime(o.madeAt)}</dd></div>
        {o.admittedAt && <div><dt>{st.admittedAtLabel}</dt><dd>{cstDateTime(o.admittedAt)}</dd></div>}
        {o.reason && <div><dt>{st.declineReason}</dt><dd>{o.reason}</dd></div>}
      </dl>
      {o.status === 'open' && <OfferActions offer={o} onDone={props.onDone} />}
    </li>
  );
}

/** YYYY-MM of a China Standard Time date, `back` months earlier. */
const monthBefore = (today: string, back: number): string => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const n = y * 12 + (m - 1) - back;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
};

function Figures() {
  const thisMonth = cstToday().slice(0, 7);
  const [range, setRange] = useState({ from: monthBefore(cstToday(), 5), to: thisMonth });
  const [typed, setTyped] = useState(range);
  const [problem, setProblem] = useState<string | undefined>();
  const data = useLoad(() => call('waitingListFigures', { query: range }), [range.from, range.to]);
  return (
    <section aria-labelledby="figures">
      <h2 id="figures">{st.figuresTitle}</h2>
      <form class="inline-form" onSubmit={(e) => {
        e.preventDefault();
        const p = figuresRangeProblem(typed.from, typed.to);
        setProblem(p);
        if (!p) setRange(typed);
      }}>
        <div class="field">
          <label for="f-from">{st.figuresFrom}</label>
          <input id="f-from" type="month" value={typed.from} onInput={(e) => setTyped({ ...typed, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-to">{st.figuresTo}</label>
          <input id="f-to" type="month" value={typed.to} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'f-to-problem' : undefined} onInput={(e) => setTyped({ ...typed, to: e.currentTarget.value })} />
          {problem && <p id="f-to-problem" class="field-problem">{problem}</p>}
        </div>
        <button type="submit" class="primary">{st.show}</button>
      </form>
      <ErrorNotice error={data.error} />
      {data.loading && <Loading />}
      {data.data && (
        <>
          <div class="table-wrap">
            <table class="data" data-testid="figures-months">
              <caption>{st.figuresMonths}</caption>
              <thead><tr><th scope="col">{st.month}</th><th scope="col" class="num">{st.fMade}</th><th scope="col" class="num">{st.fAccepted}</th><th scope="col" class="num">{st.fDeclined}</th><th scope="col" class="num">{st.fExpired}</th><th scope="col" class="num">{st.fWithdrawn}</th></tr></thead>
              <tbody>
                {data.data.months.map((m) => (
                  <tr key={m.month} data-month={m.month}>
                    <th scope="row">{m.month}</th>
                    <td class="num" data-col="made">{count(m.made)}</td><td class="num" data-col="accepted">{count(m.accepted)}</td><td class="num" data-col="declined">{count(m.declined)}</td>
                    <td class="num" data-col="expired">{count(m.expired)}</td><td class="num" data-col="withdrawn">{count(m.withdrawn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.data.waits.length === 0 ? (
            <p>{st.noWaits}</p>
          ) : (
            <div class="table-wrap">
              <table class="data" data-testid="figures-waits">
                <caption>{st.figuresWaits}</caption>
                <thead><tr><th scope="col">{st.institution}</th><th scope="col">{st.priorityClass}</th><th scope="col" class="num">{st.fAdmitted}</th><th scope="col" class="num">{st.fAverage}</th><th scope="col" class="num">{st.fLongest}</th></tr></thead>
                <tbody>
                  {data.data.waits.map((w) => (
                    <tr key={`${w.institutionId}-${w.priorityClass}`}>
                      <th scope="row">{w.institutionName}</th><td>{w.priorityClass}</td><td class="num">{count(w.admitted)}</td><td class="num">{days(w.averageWaitDays)}</td><td class="num">{days(w.longestWaitDays)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
