import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { parseIdNumber } from '#shared/id-number.js';
import { elderCategories, familyRelations } from '#shared/schemas/elders.js';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { cstToday } from '../../format.js';
import { genderLabels } from '../../messages.js';
import { categoryLabels, idNumberProblems, relationLabels, st, staffFieldLabels } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { ElderFinder, type FoundElder } from './elder-finder.js';

type Category = (typeof elderCategories)[number];
type Relation = (typeof familyRelations)[number];

/**
 * `/staff/elders`: register an elder (the ID number checked on the page by the server's own
 * rules, shared/id-number.ts, before it is sent), find one by ID number or meal card, and link a
 * family account to the elder found or registered. Township staff register into and find in
 * their own township only (the API refuses the rest; the page says so in words).
 * TODO: search by name and edit once GET /v1/elders?q= and PATCH /v1/elders/{id} exist.
 */
export function Elders() {
  return <RoleOnly roles={['staff']}>{(who) => <EldersPage who={who} />}</RoleOnly>;
}

interface Current {
  readonly id: string;
  readonly name: string;
  readonly idNumberMasked: string;
  readonly age: number;
  readonly gender: 'male' | 'female';
  readonly township: string;
  readonly status: 'active' | 'deceased';
}

function EldersPage(props: { who: Principal }) {
  const townships = useLoad(async () => (await call('occupancy', { query: {} })).byTownship.map((t) => ({ code: t.township, name: t.name ?? t.township })), []);
  const [current, setCurrent] = useState<Current>();
  const [message, setMessage] = useState<string>();
  const names = new Map((townships.data ?? []).map((t) => [t.code, t.name]));
  return (
    <StaffPage who={props.who} title={st.eldersTitle}>
      {message && <p class="notice ok" role="status">✓ {message}</p>}
      <div class="two-columns">
        <section aria-labelledby="find">
          <h2 id="find">{st.findTitle}</h2>
          <ElderFinder idPrefix="find" onFound={(e: FoundElder) => { setCurrent(e); setMessage(undefined); }} />
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
          <LinkFamily key={current.id} elderId={current.id} onLinked={() => setMessage(st.linked)} />
        </section>
      )}
    </StaffPage>
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
