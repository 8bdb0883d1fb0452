import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Principal } from '#shared/auth/principal.js';
import { parseIdNumber } from '#shared/id-number.js';
import { dietaryNeeds, elderCategories, familyRelations } from '#shared/schemas/elders.js';
import { elderFormOf, elderPatchOf, searchKind, type ElderFormState } from '../../admin-forms.js';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { cstToday } from '../../format.js';
import { dietaryLabels, genderLabels } from '../../messages.js';
import { adminFieldProblems, capabilityLabels, categoryLabels, idNumberProblems, relationLabels, st, staffFieldLabels } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';

type Category = (typeof elderCategories)[number];
type Relation = (typeof familyRelations)[number];

/**
 * `/staff/elders`: find elders (a name's first characters or a meal card number: GET
 * /v1/elders?q=, paged; a full ID number: POST /v1/elders/lookup, the number in the body, never
 * in a URL, since CloudFront logs query strings: the page tells them apart by the ID number
 * rules of shared/id-number.ts), open one to edit (PATCH /v1/elders/{id}, checked first with
 * the route's own schema), link or unlink (after a confirmation) a family account, and register
 * a new elder. Township staff search, register and edit in their own township only (the API
 * decides; the page says a refusal in words).
 */
export function Elders() {
  return <RoleOnly roles={['staff']}>{(who) => <EldersPage who={who} />}</RoleOnly>;
}

type Current = Extract<Answer<'patchElder'>, { categories: unknown }>;

function EldersPage(props: { who: Principal }) {
  const townships = useLoad(async () => (await call('occupancy', { query: {} })).byTownship.map((t) => ({ code: t.township, name: t.name ?? t.township })), []);
  const [current, setCurrent] = useState<Current>();
  const [message, setMessage] = useState<string>();
  const [openError, setOpenError] = useState<ApiError>();
  const names = new Map((townships.data ?? []).map((t) => [t.code, t.name]));
  /** The full view (staff of the area get it), from a search row or a lookup's minimal view. */
  const open = async (id: string) => {
    setOpenError(undefined);
    setMessage(undefined);
    try {
      const e = await call('getElder', { params: { elderId: id } });
      if ('categories' in e) setCurrent(e);
    } catch (err) {
      setOpenError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
    }
  };
  // /staff/elders?elder=ID opens that elder (the waiting list and the offers link here).
  const asked = useLocation().query.elder;
  useEffect(() => {
    if (asked) void open(asked);
  }, [asked]);
  return (
    <StaffPage who={props.who} title={st.eldersTitle}>
      {message && <p class="notice ok" role="status">✓ {message}</p>}
      <div class="two-columns">
        <section aria-labelledby="find">
          <h2 id="find">{st.searchTitle}</h2>
          <ElderSearch townships={props.who.township ? [] : (townships.data ?? [])} names={names} onOpen={(id) => void open(id)} />
          <ErrorNotice error={openError} />
        </section>
        <section aria-labelledby="register">
          <h2 id="register">{st.registerTitle}</h2>
          <ErrorNotice error={townships.error} />
          {townships.loading && <Loading />}
          {townships.data && (
            <RegisterForm
              townships={townships.data}
              onRegistered={(e) => {
                setCurrent(e);
                setMessage(st.registered(e.name));
              }}
            />
          )}
        </section>
      </div>
      {current && (
        <section class="panel" aria-labelledby="current" data-testid="elder">
          <h2 id="current">{st.found}：{current.name}</h2>
          <dl class="facts">
            <div><dt>{st.idNumber}</dt><dd>{current.idNumberMasked}</dd></div>
            <div><dt>{st.gender}</dt><dd>{genderLabels[current.gender]}</dd></div>
            <div><dt>{st.age}</dt><dd>{current.age}</dd></div>
            <div><dt>{st.township}</dt><dd>{names.get(current.township) ?? current.township}</dd></div>
            <div><dt>{st.status}</dt><dd>{current.status === 'deceased' ? st.deceased : st.active}</dd></div>
          </dl>
          <EditElder key={current.id} elder={current} onSubmitting={() => setMessage(undefined)} onSaved={(e) => { setCurrent(e); setMessage(st.saved(e.name)); }} />
          <LinkFamily key={`l-${current.id}`} elderId={current.id} onLinked={() => setMessage(st.linked)} />
          <UnlinkFamily key={`u-${current.id}`} elderId={current.id} onUnlinked={() => setMessage(st.unlinked)} />
        </section>
      )}
    </StaffPage>
  );
}

type Listed = Answer<'listElders'>['items'][number];

/**
 * One search box: a valid full ID number goes to POST /v1/elders/lookup (body); anything else is
 * a name prefix or card number for GET /v1/elders?q= (paged: "显示更多" asks for the next page).
 */
function ElderSearch(props: { townships: { code: string; name: string }[]; names: Map<string, string>; onOpen: (id: string) => void }) {
  const [typed, setTyped] = useState('');
  const [township, setTownship] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<{ items: Listed[]; nextToken?: string; q: string }>();
  const page = async (q: string, nextToken?: string) => {
    const r = await call('listElders', { query: { q, ...(township && { township }), limit: 20, ...(nextToken && { nextToken }) } });
    setFound((f) => ({ items: [...(nextToken && f ? f.items : []), ...r.items], ...(r.nextToken && { nextToken: r.nextToken }), q }));
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <form
        class="finder"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(undefined);
          const kind = searchKind(typed, cstToday());
          if (kind.by === 'none') return setProblem('请填写此项。');
          if (kind.by === 'badIdNumber') return setProblem(idNumberProblems[kind.reason] ?? kind.reason);
          void run(async () => {
            setFound(undefined);
            if (kind.by === 'idNumber') {
              const elder = await call('lookupElder', { body: { idNumber: kind.idNumber } });
              setTyped(''); // the full number is not kept on screen
              props.onOpen(elder.id);
            } else await page(kind.q);
          });
        }}
      >
        <div class="field">
          <label for="search-q">{st.searchLabel}</label>
          <span class="field-hint" id="search-q-hint">{st.searchHint}</span>
          <input id="search-q" type="search" autocomplete="off" value={typed} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? 'search-q-hint search-q-problem' : 'search-q-hint'} onInput={(e) => setTyped(e.currentTarget.value)} />
          {problem && <p id="search-q-problem" class="field-problem">{problem}</p>}
        </div>
        {props.townships.length > 1 && (
          <div class="field">
            <label for="search-township">{st.searchTownship}</label>
            <select id="search-township" value={township} onChange={(e) => setTownship(e.currentTarget.value)}>
              <option value="">{st.anyTownship}</option>
              {props.townships.map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
            </select>
          </div>
        )}
        <button type="submit" class="primary" disabled={busy}>{st.find}</button>
        <ErrorNotice error={error} />
      </form>
      {found && found.items.length === 0 && <p class="notice">{st.noElders}</p>}
      {found && found.items.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="elder-results">
            <caption class="sr-only">{st.searchTitle}</caption>
            <thead><tr><th scope="col">{st.name}</th><th scope="col">{st.idNumber}</th><th scope="col">{st.township}</th><th scope="col">{st.action}</th></tr></thead>
            <tbody>
              {found.items.map((e) => (
                <tr key={e.id} data-elder={e.id}>
                  <th scope="row">{e.name}{e.status === 'deceased' ? `（${st.deceased}）` : ''}</th>
                  <td>{e.idNumberMasked}</td>
                  <td>{props.names.get(e.township) ?? e.township}</td>
                  <td><button type="button" aria-label={`${st.view} ${e.name}`} onClick={() => props.onOpen(e.id)}>{st.view}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {found?.nextToken && <button type="button" disabled={busy} onClick={() => void run(() => page(found.q, found.nextToken))}>{st.moreElders}</button>}
    </>
  );
}

/** Edit what staff may change; only what changed is sent, an emptied field is cleared (null). */
function EditElder(props: { elder: Current; onSaved: (e: Current) => void; onSubmitting: () => void }) {
  const before = elderFormOf(props.elder);
  const [form, setForm] = useState<ElderFormState>(before);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (k: 'phone' | 'address' | 'village' | 'cardNo' | 'capabilityLevel') => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const toggle = (k: 'categories' | 'dietaryNeeds', v: string) => setForm({ ...form, [k]: form[k].includes(v) ? form[k].filter((x) => x !== v) : [...form[k], v] });
  const problem = (k: string) => problems[k] && <p id={`e-${k}-problem`} class="field-problem">{problems[k]}</p>;
  const described = (k: string, hint?: string) => (problems[k] ? { 'aria-invalid': 'true' as const, 'aria-describedby': [hint, `e-${k}-problem`].filter(Boolean).join(' ') } : hint ? { 'aria-describedby': hint } : {});
  const text = (k: 'phone' | 'address' | 'village' | 'cardNo', label: string, extra: { hint?: string; inputMode?: 'tel' | 'numeric' } = {}) => (
    <div class="field">
      <label for={`e-${k}`}>{label}</label>
      {extra.hint && <span class="field-hint" id={`e-${k}-hint`}>{extra.hint}</span>}
      <input id={`e-${k}`} type="text" autocomplete="off" inputMode={extra.inputMode} value={form[k]} onInput={set(k)} {...described(k, extra.hint && `e-${k}-hint`)} />
      {problem(k)}
    </div>
  );
  return (
    <form
      class="edit-elder"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        setNote(undefined);
        // An earlier save's "saved" must not stand beside this one's refusal.
        props.onSubmitting();
        const checked = elderPatchOf(before, form);
        if (!checked.ok) {
          setProblems(Object.fromEntries(Object.keys(checked.problems).map((k) => [k, adminFieldProblems[k] ?? '此项填写有误，请检查。'])));
          if (checked.unchanged) setNote(st.noChange);
          return;
        }
        setProblems({});
        setBusy(true);
        try {
          const saved = await call('patchElder', { params: { elderId: props.elder.id }, body: checked.body });
          if ('categories' in saved) props.onSaved(saved);
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{st.editTitle}</h3>
      <div class="two-columns">
        <div>
          {text('phone', st.phone, { inputMode: 'tel' })}
          {text('address', st.address)}
          {text('village', st.village, { hint: st.villageHint, inputMode: 'numeric' })}
          {text('cardNo', st.cardNo)}
          <div class="field">
            <label for="e-capabilityLevel">{st.capabilityLevel}</label>
            <select id="e-capabilityLevel" value={form.capabilityLevel} onChange={set('capabilityLevel')}>
              {/* Once assessed, a level is changed, never cleared (the API has no way to clear it). */}
              {before.capabilityLevel === '' && <option value="">{st.notAssessed}</option>}
              {capabilityLabels.map((l, i) => <option key={l} value={String(i)}>{l}</option>)}
            </select>
          </div>
        </div>
        <div>
          <fieldset class="chips">
            <legend>{st.categories}</legend>
            {elderCategories.map((c) => (
              <label key={c} class={form.categories.includes(c) ? 'chip on' : 'chip'}>
                <input type="checkbox" checked={form.categories.includes(c)} onChange={() => toggle('categories', c)} />
                {categoryLabels[c]}
              </label>
            ))}
          </fieldset>
          <fieldset class="chips">
            <legend>{st.dietaryNeeds}</legend>
            {dietaryNeeds.map((d) => (
              <label key={d} class={form.dietaryNeeds.includes(d) ? 'chip on' : 'chip'}>
                <input type="checkbox" checked={form.dietaryNeeds.includes(d)} onChange={() => toggle('dietaryNeeds', d)} />
                {dietaryLabels[d]}
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      {note && <p class="notice" role="status">{note}</p>}
      <ErrorNotice error={error} />
      {error && problemsOf(error).map((p) => <p key={p} class="field-problem">{p}</p>)}
      <button type="submit" class="primary" disabled={busy}>{st.save}</button>
    </form>
  );
}

/**
 * Unlink a family account (typed as when linking: the API lists no links), after a confirmation
 * that says what the family loses.
 */
function UnlinkFamily(props: { elderId: string; onUnlinked: () => void }) {
  const [familySub, setFamilySub] = useState('');
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const unlink = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('unlinkFamily', { params: { elderId: props.elderId, familySub: familySub.trim() } });
      setFamilySub('');
      setAsking(false);
      props.onUnlinked();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (familySub.trim()) setAsking(true); }}>
      <h3>{st.unlinkTitle}</h3>
      <div class="inline-form">
        <div class="field">
          <label for="unlink-sub">{st.familySub}</label>
          <input id="unlink-sub" type="text" autocomplete="off" value={familySub} onInput={(e) => { setFamilySub(e.currentTarget.value); setAsking(false); }} />
        </div>
        <button type="submit" disabled={busy || !familySub.trim()}>{st.unlink}</button>
      </div>
      {asking && (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation panel with two buttons, not a group of form fields (fieldset)
        <div class="confirm" role="group" aria-label={st.unlinkTitle}>
          <p>{st.unlinkAsk(familySub.trim())}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void unlink()}>{st.unlinkYes}</button>
            <button type="button" onClick={() => setAsking(false)}>{st.cancel}</button>
          </div>
        </div>
      )}
      <ErrorNotice error={error} />
    </form>
  );
}

/** A validation answer's problems, each as "field: what is wrong". */
function problemsOf(e: ApiError): string[] {
  return e.code === 'VALIDATION_FAILED' ? e.details.map((d) => `${staffFieldLabels[d.path?.split('.')[0] ?? ''] ?? d.path ?? ''}：${idNumberProblems[d.message] ?? d.message}`) : [];
}

function RegisterForm(props: { townships: { code: string; name: string }[]; onRegistered: (e: Answer<'registerElder'>) => void }) {
  const [form, setForm] = useState({ idNumber: '', name: '', phone: '', cardNo: '', township: props.townships[0]?.code ?? '', categories: [] as Category[] });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const problem = (k: string) => problems[k] && <p id={`r-${k}-problem`} class="field-problem">{problems[k]}</p>;
  const described = (k: string) => (problems[k] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `r-${k}-problem` } : {});
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        const p: Record<string, string> = {};
        const checked = parseIdNumber(form.idNumber, cstToday());
        if (!checked.ok) p.idNumber = idNumberProblems[checked.reason] ?? checked.reason;
        if (!form.name.trim()) p.name = '请填写老人姓名。';
        if (form.phone.trim() && !/^\+?[0-9-]{5,20}$/.test(form.phone.trim())) p.phone = '电话号码只能包含数字和“-”。';
        if (form.cardNo.trim() && !/^[A-Za-z0-9-]{4,32}$/.test(form.cardNo.trim())) p.cardNo = '卡号为4到32位字母、数字或“-”。';
        setProblems(p);
        if (Object.keys(p).length) return;
        setBusy(true);
        try {
          const elder = await call('registerElder', {
            body: {
              idNumber: form.idNumber.trim(), name: form.name.trim(), township: form.township, categories: form.categories,
              ...(form.phone.trim() && { phone: form.phone.trim() }), ...(form.cardNo.trim() && { cardNo: form.cardNo.trim() }),
            },
            idempotencyKey: key,
          });
          setForm({ ...form, idNumber: '', name: '', phone: '', cardNo: '', categories: [] });
          setKey(newIdempotencyKey());
          props.onRegistered(elder);
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div class="field">
        <label for="r-idNumber">{st.idNumber}</label>
        <span class="field-hint" id="r-idNumber-hint">{st.idHint}</span>
        <input id="r-idNumber" type="text" autocomplete="off" value={form.idNumber} onInput={set('idNumber')} {...described('idNumber')} />
        {problem('idNumber')}
      </div>
      <div class="field">
        <label for="r-name">{st.name}</label>
        <input id="r-name" type="text" autocomplete="off" value={form.name} onInput={set('name')} {...described('name')} />
        {problem('name')}
      </div>
      <div class="field">
        <label for="r-township">{st.township}</label>
        <select id="r-township" value={form.township} onChange={set('township')}>
          {props.townships.map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
        </select>
      </div>
      <div class="field">
        <label for="r-phone">{st.phone}</label>
        <input id="r-phone" type="text" inputMode="tel" autocomplete="off" value={form.phone} onInput={set('phone')} {...described('phone')} />
        {problem('phone')}
      </div>
      <div class="field">
        <label for="r-cardNo">{st.cardNo}</label>
        <input id="r-cardNo" type="text" autocomplete="off" value={form.cardNo} onInput={set('cardNo')} {...described('cardNo')} />
        {problem('cardNo')}
      </div>
      <fieldset class="chips">
        <legend>{st.categories}</legend>
        {elderCategories.map((c) => {
          const on = form.categories.includes(c);
          return (
            <label key={c} class={on ? 'chip on' : 'chip'}>
              <input type="checkbox" checked={on} onChange={() => setForm({ ...form, categories: on ? form.categories.filter((x) => x !== c) : [...form.categories, c] })} />
              {categoryLabels[c]}
            </label>
          );
        })}
      </fieldset>
      <ErrorNotice error={error} />
      {error && problemsOf(error).map((p) => <p key={p} class="field-problem">{p}</p>)}
      <button type="submit" class="primary" disabled={busy}>{st.register}</button>
    </form>
  );
}

function LinkFamily(props: { elderId: string; onLinked: () => void }) {
  const [familySub, setFamilySub] = useState('');
  const [relation, setRelation] = useState<Relation>('child');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (!familySub.trim()) return;
        setBusy(true);
        setError(undefined);
        try {
          await call('linkFamily', { params: { elderId: props.elderId }, body: { familySub: familySub.trim(), relation }, idempotencyKey: key });
          setFamilySub('');
          props.onLinked();
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{st.linkTitle}</h3>
      <div class="inline-form">
        <div class="field">
          <label for="family-sub">{st.familySub}</label>
          <span class="field-hint" id="family-sub-hint">{st.familySubHint}</span>
          <input id="family-sub" type="text" autocomplete="off" value={familySub} aria-describedby="family-sub-hint" onInput={(e) => setFamilySub(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="relation">{st.relation}</label>
          <select id="relation" value={relation} onChange={(e) => setRelation(e.currentTarget.value as Relation)}>
            {familyRelations.map((r) => <option key={r} value={r}>{relationLabels[r]}</option>)}
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy || !familySub.trim()}>{st.link}</button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
