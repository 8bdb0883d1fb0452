import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { sitePatchOf, siteFormOf, type SiteFormState } from '../../admin-forms.js';
import { ApiError, call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { dateLabel, yuan } from '../../format.js';
import { siteKindLabels, slotLabels } from '../../messages.js';
import { adminFieldProblems, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

type Site = Answer<'listSites'>['items'][number];
type Slot = keyof typeof slotLabels;

/**
 * `/staff/sites`: the meal sites of the area (GET /v1/meal-sites, every page; township staff
 * their township's), each with its slots' seats and prices, an edit form (name, address, each
 * offered slot's seats and price in yuan; only what changed is sent, checked first with the
 * route's schema) and suspend / resume after a confirmation. Lowering seats below what is
 * already booked is refused (409 CAPACITY_BELOW_BOOKED): each date, meal and booked count is
 * said as a sentence.
 */
export function Sites() {
  return <RoleOnly roles={['staff']}>{(who) => <SitesPage who={who} />}</RoleOnly>;
}

async function allSites(township: string | undefined): Promise<Site[]> {
  const out: Site[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('listSites', { query: { limit: 100, ...(township && { township }), ...(nextToken && { nextToken }) } });
    out.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** CAPACITY_BELOW_BOOKED's details as sentences: "12月3日（周四）的午餐已有5人预订，座位数不能少于5。" */
export function belowBookedSentences(e: ApiError): string[] {
  if (e.code !== 'CAPACITY_BELOW_BOOKED') return [];
  return e.details.flatMap((d) =>
    typeof d.date === 'string' && typeof d.slot === 'string' && d.slot in slotLabels && typeof d.booked === 'number'
      ? [st.belowBooked(dateLabel(d.date), slotLabels[d.slot as Slot], d.booked)]
      : [],
  );
}

function SitesPage(props: { who: Principal }) {
  const data = useLoad(() => allSites(props.who.township), [props.who.township]);
  const [message, setMessage] = useState<string>();
  return (
    <StaffPage who={props.who} title={st.sitesTitle}>
      {message && <p class="notice ok" role="status">✓ {message}</p>}
      <ErrorNotice error={data.error} />
      {data.loading && !data.data && <Loading />}
      {data.data && data.data.length === 0 && <p class="notice">{st.noMealSites}</p>}
      {data.data && data.data.length > 0 && (
        <ul class="cards" data-testid="sites">
          {data.data.map((s) => (
            <SiteCard key={`${s.id}-${s.updatedAt}`} site={s} onChanged={(m) => { setMessage(m); data.reload(); }} />
          ))}
        </ul>
      )}
    </StaffPage>
  );
}

function SiteCard(props: { site: Site; onChanged: (message: string) => void }) {
  const { site } = props;
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const suspended = site.status === 'suspended';
  const setStatus = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('patchSite', { params: { siteId: site.id }, body: { status: suspended ? 'active' : 'suspended' } });
      props.onChanged(suspended ? st.resumed(site.name) : st.suspended(site.name));
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  const offered = (Object.keys(slotLabels) as Slot[]).filter((k) => site.slots[k]);
  return (
    <li class="card" data-site={site.id}>
      <h2>{site.name}</h2>
      <p class={suspended ? 'status cancelled' : 'status booked'}>{suspended ? st.siteSuspended : st.siteActive}</p>
      <p>{siteKindLabels[site.kind]} · {site.address}</p>
      <p class="small">{offered.map((k) => `${slotLabels[k]} ${st.capacity}${site.slots[k]!.capacity} · ${yuan(site.slots[k]!.priceFen)}`).join('；')}</p>
      {!editing && !asking && (
        <div class="actions">
          <button type="button" onClick={() => { setEditing(true); setError(undefined); }}>{st.editSite}</button>
          <button type="button" onClick={() => { setAsking(true); setError(undefined); }}>{suspended ? st.resume : st.suspend}</button>
        </div>
      )}
      {asking && (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation panel with two buttons, not a group of form fields (fieldset)
        <div class="confirm" role="group" aria-label={suspended ? st.resume : st.suspend}>
          <p>{suspended ? st.resumeAsk(site.name) : st.suspendAsk(site.name)}</p>
          <div class="actions">
            <button type="button" class={suspended ? 'primary' : 'danger'} disabled={busy} onClick={() => void setStatus()}>{st.confirm}</button>
            <button type="button" onClick={() => setAsking(false)}>{st.cancel}</button>
          </div>
        </div>
      )}
      <ErrorNotice error={error} />
      {editing && <EditSite site={site} onSaved={() => props.onChanged(st.siteSaved(site.name))} onCancel={() => setEditing(false)} />}
    </li>
  );
}

function EditSite(props: { site: Site; onSaved: () => void; onCancel: () => void }) {
  const { site } = props;
  const [form, setForm] = useState<SiteFormState>(() => siteFormOf(site));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const id = (k: string) => `s-${site.id}-${k.replace('.', '-')}`;
  const field = (k: string, label: string, value: string, onInput: (v: string) => void, inputMode?: 'numeric' | 'decimal') => (
    <div class="field" key={k}>
      <label for={id(k)}>{label}</label>
      <input id={id(k)} type="text" autocomplete="off" inputMode={inputMode} value={value} onInput={(e) => onInput(e.currentTarget.value)} aria-invalid={problems[k] ? 'true' : undefined} aria-describedby={problems[k] ? `${id(k)}-problem` : undefined} />
      {problems[k] && <p id={`${id(k)}-problem`} class="field-problem">{problems[k]}</p>}
    </div>
  );
  const setSlot = (slot: Slot, k: 'capacity' | 'price', v: string) => setForm({ ...form, slots: { ...form.slots, [slot]: { ...form.slots[slot]!, [k]: v } } });
  const below = error ? belowBookedSentences(error) : [];
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        setNote(undefined);
        const checked = sitePatchOf(site, form);
        if (!checked.ok) {
          setProblems(Object.fromEntries(Object.keys(checked.problems).map((k) => [k, adminFieldProblems[k.split('.').pop() ?? k] ?? '此项填写有误，请检查。'])));
          if (checked.unchanged) setNote(st.noChange);
          return;
        }
        setProblems({});
        setBusy(true);
        try {
          await call('patchSite', { params: { siteId: site.id }, body: checked.body });
          props.onSaved();
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{st.editSite}</h3>
      {field('name', st.siteName, form.name, (v) => setForm({ ...form, name: v }))}
      {field('address', st.siteAddress, form.address, (v) => setForm({ ...form, address: v }))}
      {(Object.keys(slotLabels) as Slot[]).filter((k) => form.slots[k]).map((k) => (
        <fieldset key={k} class="inline-form">
          <legend>{slotLabels[k]}</legend>
          {field(`${k}.capacity`, st.capacity, form.slots[k]!.capacity, (v) => setSlot(k, 'capacity', v), 'numeric')}
          {field(`${k}.price`, st.priceYuan, form.slots[k]!.price, (v) => setSlot(k, 'price', v), 'decimal')}
        </fieldset>
      ))}
      {note && <p class="notice" role="status">{note}</p>}
      <ErrorNotice error={error} />
      {below.length > 0 && (
        <ul class="field-problem" data-testid="below-booked">
          {below.map((b) => <li key={b}>{b}</li>)}
        </ul>
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{st.save}</button>
        <button type="button" onClick={props.onCancel}>{st.cancel}</button>
      </div>
    </form>
  );
}
