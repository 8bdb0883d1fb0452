import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { Principal } from '#shared/auth/principal.js';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import { Loading, Page } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, staffLinks } from '../../components/staff-only.js';
import { genderLabels } from '../../messages.js';
import { bedActionLabels, bedStatusLabels, bedStatusMarks, careTypeLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { cstMonthDayTime } from '../../format.js';
import { ElderFinder, type FoundElder } from '../staff/elder-finder.js';
import { cstDateTime } from '../staff/figures.js';
import { heldUntil, type Offer, OfferActions } from '../staff/offer-actions.js';
import { offerStatusLabels } from '../../staff-messages.js';

type Bed = Answer<'listBeds'>['items'][number];
type Status = Bed['status'];

/**
 * The bed board: an institution's beds as a grid grouped by room (the label up to its last
 * separator: "1号楼-101-2" is bed 2 of room "1号楼-101"), each coloured and labelled by status
 * with a sign (○ ● ◐ ✕), so status never rests on colour. Choosing a bed offers what can be
 * done with it: admit (find the elder by ID number or card), transfer, discharge, reserve, take
 * out of service or put back; then the change log.
 *
 * `/institution`: the institution's own staff (their token names the institution).
 * `/staff/beds/:institutionId`: staff, for any institution of their area.
 */
export function InstitutionBoard() {
  return <RoleOnly roles={['institution']}>{(who) => <Board who={who} institutionId={who.institution!} />}</RoleOnly>;
}

export function StaffBoard() {
  const { params } = useRoute();
  return <RoleOnly roles={['staff']}>{(who) => <Board who={who} institutionId={params.institutionId!} />}</RoleOnly>;
}

/** "1号楼-101-2" → "1号楼-101"; a label without a separator is its own room. */
export function roomOf(label: string): string {
  const m = /^(.+?)[\s\-/·]+[^\s\-/·]+$/.exec(label.trim());
  return m ? m[1]! : label;
}

async function allBeds(institutionId: string): Promise<Bed[]> {
  const out: Bed[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('listBeds', { params: { institutionId }, query: { limit: 500, ...(nextToken && { nextToken }) } });
    out.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

function Board(props: { who: Principal; institutionId: string }) {
  const { institutionId, who } = props;
  const data = useLoad(async () => {
    const [beds, log, name, offers] = await Promise.all([
      allBeds(institutionId),
      call('bedLog', { params: { institutionId }, query: { limit: 50 } }),
      // The name heads the board for both roles; a board without it still works.
      call('getInstitution', { params: { institutionId } }).then((i) => i.name, () => undefined),
      // Beds held for the waiting list (轮候配床) not yet taken up; an institution has few at once.
      // Without them the board still works (the held beds then say 为轮候老人保留 without a date).
      call('listOffers', { query: { institutionId, status: 'open', limit: 100 } }).then((p) => p.items, (): Offer[] => []),
    ]);
    return { beds, log: log.items, name, offers };
  }, [institutionId]);
  const [selected, setSelected] = useState<string>();
  const [done, setDone] = useState<string>();
  const title = data.data?.name ? st.boardFor(data.data.name) : st.boardTitle;
  const links = who.role === 'staff' ? staffLinks(who) : [{ href: '/institution', label: st.boardTitle }];
  const brand = who.role === 'staff' ? st.brand : st.institutionBrand;
  if (data.error) return <Page title={st.boardTitle} links={links} brand={brand} wide><ErrorNotice error={data.error} /></Page>;
  if (!data.data) return <Page title={st.boardTitle} links={links} brand={brand} wide><Loading /></Page>;
  const { beds, log, offers } = data.data;
  const offerOf = new Map(offers.map((o) => [o.id, o]));
  const afterOffer = (what: string) => {
    setSelected(undefined);
    setDone(what);
    data.reload();
  };
  const rooms = new Map<string, Bed[]>();
  for (const b of [...beds].sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }))) {
    const r = roomOf(b.label);
    rooms.set(r, [...(rooms.get(r) ?? []), b]);
  }
  const bed = beds.find((b) => b.id === selected);
  const labelOf = new Map(beds.map((b) => [b.id, b.label]));
  const counts = Object.fromEntries((Object.keys(bedStatusLabels) as Status[]).map((s) => [s, beds.filter((b) => b.status === s).length])) as Record<Status, number>;
  return (
    <Page title={title} links={links} brand={brand} wide>
      {done && <p class="notice ok" role="status">✓ {done}</p>}
      {beds.length === 0 && <p class="notice">{st.noBeds}</p>}
      {offers.length > 0 && (
        <section aria-labelledby="held-offers">
          <h2 id="held-offers">{st.openOffersHere}</h2>
          <ul class="cards held-offers" data-testid="open-offers">
            {offers.map((o) => <HeldOffer key={o.id} offer={o} onDone={afterOffer} />)}
          </ul>
        </section>
      )}
      <ul class="legend" aria-label={st.legend}>
        {(Object.keys(bedStatusLabels) as Status[]).map((s) => (
          <li key={s} data-testid={`count-${s}`}><span class={`bed-mark ${s}`} aria-hidden="true">{bedStatusMarks[s]}</span> {bedStatusLabels[s]} {counts[s]}</li>
        ))}
      </ul>
      {[...rooms].map(([room, list]) => (
        <section key={room} class="bed-group" aria-label={room}>
          <h2>{room}</h2>
          <ul class="bed-grid">
            {list.map((b) => (
              <li key={b.id}>
                <button type="button" class={`bed ${b.status}`} aria-pressed={b.id === selected} data-bed={b.label} onClick={() => { setSelected(b.id === selected ? undefined : b.id); setDone(undefined); }}>
                  <span class="label">{b.label}</span>
                  <span class="state">{bedStatusMarks[b.status]} {b.offerId ? st.heldForWaiting : bedStatusLabels[b.status]}</span>
                  {b.offerId && offerOf.has(b.offerId) && <span class="held">{st.heldUntil} {heldUntil(offerOf.get(b.offerId)!)}</span>}
                  <span class="small">{careTypeLabels[b.careType]}{b.occupant ? ` · ${st.occupantSince(b.occupant.since.slice(0, 10))}` : ''}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {bed && (
        <BedActions
          key={bed.id}
          bed={bed}
          vacantBeds={beds.filter((b) => b.status === 'vacant')}
          offer={bed.offerId ? offerOf.get(bed.offerId) : undefined}
          institutionId={institutionId}
          onDone={(what) => {
            setSelected(undefined);
            setDone(what);
            data.reload();
          }}
          onClose={() => setSelected(undefined)}
        />
      )}
      <section aria-labelledby="bed-log">
        <h2 id="bed-log">{st.logTitle}</h2>
        {log.length === 0 ? (
          <p>{st.noLog}</p>
        ) : (
          <div class="table-wrap">
            <table class="data" data-testid="bed-log">
              <caption class="sr-only">{st.logTitle}</caption>
              <thead><tr><th scope="col">{st.logAt}</th><th scope="col">{st.logAction}</th><th scope="col">{st.logBed}</th><th scope="col">{st.reasonCol}</th><th scope="col">{st.logBy}</th></tr></thead>
              <tbody>
                {log.map((e, i) => (
                  <tr key={`${e.at}-${i}`}>
                    <td>{cstDateTime(e.at)}</td>
                    <td>{bedActionLabels[e.action]}{e.status ? `：${bedStatusLabels[e.status as Status] ?? e.status}` : ''}{e.count ? ` ${e.count}` : ''}</td>
                    <td>{[e.bedId, e.toBedId].filter(Boolean).map((id) => labelOf.get(id!) ?? st.unknownBed).join(' → ')}</td>
                    <td>{e.reason ?? ''}</td>
                    <td>{byLabels[e.by.split(':')[0]!] ?? st.logBySystem}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Page>
  );
}

/** Who made a change (the log's `by` is role:subject): the role in words, never a subject id. */
const byLabels: Record<string, string> = { staff: st.logByStaff, institution: st.logByInstitution };

/** What can be done with the chosen bed, in a panel under the grid; it takes the focus when it opens. */
/**
 * An open offer at this institution: the bed, the elder's class and application date (an
 * institution may not read the elder's record; staff follow the link on the offers page), until
 * when it is held, and 办理入住 / 登记放弃.
 */
function HeldOffer(props: { offer: Offer; onDone: (what: string) => void }) {
  const o = props.offer;
  return (
    <li class="card" data-offer={o.id}>
      <h3>{st.selectBed(o.bedLabel)}：{offerStatusLabels[o.status]}</h3>
      <p>{st.heldBedUntil(cstMonthDayTime(o.expiresAt))}。{st.priorityClass}：{o.priorityClass}；{st.appliedAt}：{cstDateTime(o.appliedAt)}</p>
      <OfferActions offer={o} onDone={props.onDone} />
    </li>
  );
}

function BedActions(props: { bed: Bed; vacantBeds: Bed[]; offer: Offer | undefined; institutionId: string; onDone: (what: string) => void; onClose: () => void }) {
  const { bed, institutionId } = props;
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [elder, setElder] = useState<FoundElder>();
  const [reason, setReason] = useState('');
  const [toBed, setToBed] = useState(props.vacantBeds[0]?.id ?? '');
  const [key] = useState(newIdempotencyKey);
  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      props.onDone(what);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  const setStatus = (status: 'vacant' | 'reserved' | 'out_of_service') =>
    run(`${bed.label}：${bedStatusLabels[status]}`, () => call('setBedStatus', { params: { bedId: bed.id }, body: { status, ...(reason.trim() && { reason: reason.trim() }) } }));
  const now = () => new Date().toISOString();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'start' });
  }, []);
  return (
    <section class="panel" aria-labelledby="bed-panel" data-testid="bed-panel">
      <h2 id="bed-panel" ref={heading} tabIndex={-1}>{st.selectBed(bed.label)}：{bedStatusMarks[bed.status]} {bedStatusLabels[bed.status]}</h2>
      <ErrorNotice error={error} />
      {bed.status === 'vacant' && (
        <>
          <h3>{st.admit}</h3>
          {elder ? (
            <>
              <p>{st.admitElder(elder.name, bed.label)}（{genderLabels[elder.gender]}，{elder.age}岁，{elder.idNumberMasked}）</p>
              <div class="actions">
                <button type="button" class="primary" disabled={busy} onClick={() => void run(`${elder.name} ${st.admit} ${bed.label}`, () => call('admit', { params: { institutionId }, body: { bedId: bed.id, elderId: elder.id, admittedAt: now() }, idempotencyKey: key }))}>{st.admit}</button>
                <button type="button" onClick={() => setElder(undefined)}>{st.cancel}</button>
              </div>
            </>
          ) : (
            <ElderFinder idPrefix="admit" onFound={setElder} submitLabel={st.findElderFirst} />
          )}
        </>
      )}
      {bed.status === 'occupied' && bed.occupant && (
        <>
          <h3>{st.transfer}</h3>
          {props.vacantBeds.length === 0 ? (
            <p>{st.noVacancies}</p>
          ) : (
            <div class="inline-form">
              <div class="field">
                <label for="to-bed">{st.toBed}</label>
                <select id="to-bed" value={toBed} onChange={(e) => setToBed(e.currentTarget.value)}>
                  {props.vacantBeds.map((b) => <option key={b.id} value={b.id}>{b.label}（{careTypeLabels[b.careType]}）</option>)}
                </select>
              </div>
              <button type="button" class="primary" disabled={busy || !toBed} onClick={() => void run(st.transfer, () => call('transfer', { params: { institutionId }, body: { elderId: bed.occupant!.elderId, toBedId: toBed } }))}>{st.transfer}</button>
            </div>
          )}
          <h3>{st.discharge}</h3>
          <div class="field">
            <label for="discharge-reason">{st.dischargeReason}</label>
            <textarea id="discharge-reason" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <button type="button" class="danger" disabled={busy || !reason.trim()} onClick={() => void run(st.discharge, () => call('discharge', { params: { institutionId }, body: { elderId: bed.occupant!.elderId, dischargedAt: now(), reason: reason.trim() } }))}>{st.discharge}</button>
        </>
      )}
      {bed.offerId && (
        // A bed held for the waiting list changes only through its offer (a status change is 409 BED_HELD).
        <>
          <p data-testid="held-note">◐ {props.offer ? st.heldBedUntil(cstMonthDayTime(props.offer.expiresAt)) : st.heldForWaiting}</p>
          {props.offer && <OfferActions offer={props.offer} onDone={props.onDone} />}
        </>
      )}
      {bed.status !== 'occupied' && !bed.offerId && (
        <>
          <h3>{st.status}</h3>
          <div class="field">
            <label for="status-reason">{st.statusReason}</label>
            <textarea id="status-reason" rows={2} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <div class="actions">
            {bed.status !== 'vacant' && <button type="button" disabled={busy} onClick={() => void setStatus('vacant')}>{st.setVacant}</button>}
            {bed.status !== 'reserved' && <button type="button" disabled={busy} onClick={() => void setStatus('reserved')}>{st.setReserved}</button>}
            {bed.status !== 'out_of_service' && <button type="button" disabled={busy} onClick={() => void setStatus('out_of_service')}>{st.setOutOfService}</button>}
          </div>
        </>
      )}
      <div class="actions"><button type="button" onClick={props.onClose}>{st.close}</button></div>
    </section>
  );
}
