import { useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { elderCategories } from '#shared/schemas/elders.js';
import { waitingListKinds } from '#shared/institution-kinds.js';
import { ApiError, call, newIdempotencyKey, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { cstToday } from '../../format.js';
import { classOrdinal, genderLabels } from '../../messages.js';
import { applicationStatusLabels, capabilityLabels, careTagLabel, careTypeLabels, categoryLabels, st, staffFieldLabels } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import { applicationBodyOf, declinesInWords, emptyClass, type ClassForm, type Policy, type PolicyForm, policyBodyOf, policyFormOf, policyLines, policyTermsInWords } from '../../waiting-forms.js';
import { allInstitutions } from './choose-institution.js';
import { ElderFinder, type FoundElder } from './elder-finder.js';
import { cstDateTime } from './figures.js';

type Entry = Answer<'listApplications'>['items'][number];
type Institution = Awaited<ReturnType<typeof allInstitutions>>[number];
type CareType = 'nursing' | 'ordinary';

/**
 * `/staff/waiting-list`: the waiting list for care beds (轮候). The queue in order (GET
 * /v1/bed-applications: the county's pooled queue, or one institution's, of one care type or
 * both; 20 a row page, 显示更多 for the next) with each application's position, class, times and
 * status, and withdrawal after a confirmation; the admission policy in force in words, with the
 * form for a new version (county staff only: the API refuses township staff); and the form to
 * file an application for an elder found as the bed board finds one. Elders show as links to
 * their record (/staff/elders?elder=): a queue carries ids only, and fetching each row's elder
 * would cost one request per row.
 */
export function WaitingList() {
  return <RoleOnly roles={['staff']}>{(who) => <WaitingPage who={who} />}</RoleOnly>;
}

/** The policy in force on `date` (default today), or undefined when the county has none then (404). */
async function policyOn(date?: string): Promise<Policy | undefined> {
  try {
    return await call('getAdmissionPolicy', { query: date ? { date } : {} });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined;
    throw e;
  }
}

/**
 * The policy in force today and, when one was published for a later date, that version too (the
 * latest version of all: the one in force on the last representable day).
 */
async function policies(): Promise<{ now: Policy | undefined; scheduled: Policy | undefined }> {
  const [now, latest] = await Promise.all([policyOn(), policyOn('9999-12-31')]);
  return { now, scheduled: latest && latest.effectiveFrom > cstToday() ? latest : undefined };
}

function WaitingPage(props: { who: Principal }) {
  const [message, setMessage] = useState<string>();
  const [queueKey, setQueueKey] = useState(0);
  const policy = useLoad(policies, []);
  const places = useLoad(async () => {
    const [institutions, townships] = await Promise.all([
      allInstitutions(''),
      call('occupancy', { query: {} }).then((o) => o.byTownship.map((t) => ({ code: t.township, name: t.name ?? t.township }))),
    ]);
    // Only public institutions' beds are offered: the others can't be chosen (the API refuses them).
    return { institutions: institutions.filter((i) => waitingListKinds.includes(i.kind)).sort((a, b) => a.township.localeCompare(b.township) || a.name.localeCompare(b.name, 'zh-CN')), townships };
  }, []);
  const said = (m: string) => {
    setMessage(m);
    setQueueKey((k) => k + 1);
  };
  return (
    <StaffPage who={props.who} title={st.waitingTitle}>
      {message && <p class="notice ok" role="status">✓ {message}</p>}
      <ErrorNotice error={places.error} />
      <Queue key={queueKey} institutions={places.data?.institutions ?? []} onWithdrawn={() => said(st.withdrawn)} />
      <div class="two-columns">
        <section aria-labelledby="apply">
          <h2 id="apply">{st.applyTitle}</h2>
          <p>{st.applyIntro}</p>
          {places.data ? <ApplicationForm institutions={places.data.institutions} townships={places.data.townships} onFiled={said} /> : <Loading />}
        </section>
        <section aria-labelledby="policy">
          <h2 id="policy">{st.policyTitle}</h2>
          <ErrorNotice error={policy.error} />
          {policy.loading && !policy.data && <Loading />}
          {!policy.loading && !policy.error && <PolicyInWords policy={policy.data?.now} />}
          {policy.data?.scheduled && (
            <div class="notice" data-testid="policy-scheduled">
              <h3>{st.policyScheduled(policy.data.scheduled.effectiveFrom)}</h3>
              <PolicyInWords policy={policy.data.scheduled} testId="policy-scheduled-lines" />
              <p class="muted">{st.policyScheduledNote}</p>
            </div>
          )}
          {!policy.loading && !policy.error && (props.who.township ? (
            <p class="muted">{st.countyStaffOnly}</p>
          ) : (
            <details>
              <summary>{st.editPolicy}</summary>
              <PolicyEditor policy={policy.data?.scheduled ?? policy.data?.now} onSaved={(from) => { said(st.policySaved(from)); policy.reload(); }} />
            </details>
          ))}
        </section>
      </div>
    </StaffPage>
  );
}

function PolicyInWords(props: { policy: Policy | undefined; testId?: string }) {
  const p = props.policy;
  if (!p) return <p class="notice">{st.noPolicy}</p>;
  return (
    <div data-testid={props.testId ?? 'policy'}>
      <p class="muted">{st.policyFrom(p.effectiveFrom)}</p>
      <ol class="plain policy-lines">
        {policyLines(p).map((line) => <li key={line}>{line}</li>)}
      </ol>
      <p>{policyTermsInWords(p)}</p>
    </div>
  );
}

/** The queue with its filters; pages of 20 appended by 显示更多. */
function Queue(props: { institutions: Institution[]; onWithdrawn: () => void }) {
  const [institutionId, setInstitutionId] = useState('');
  const [careType, setCareType] = useState<'' | CareType>('');
  const [more, setMore] = useState<Entry[]>([]);
  const [next, setNext] = useState<string>();
  const [asking, setAsking] = useState<Entry>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const query = { limit: 20, ...(institutionId && { institutionId }), ...(careType && { careType }) };
  const first = useLoad(async () => {
    const page = await call('listApplications', { query });
    setMore([]);
    setNext(page.nextToken);
    return page;
  }, [institutionId, careType]);
  const names = new Map(props.institutions.map((i) => [i.id, i.name]));
  const items = [...(first.data?.items ?? []), ...more];
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('UNEXPECTED', 0));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="queue">
      <h2 id="queue">{st.queueTitle}</h2>
      <p>{st.queueIntro}</p>
      <div class="inline-form">
        <div class="field">
          <label for="q-institution">{st.queueFor}</label>
          <select id="q-institution" value={institutionId} onChange={(e) => setInstitutionId(e.currentTarget.value)}>
            <option value="">{st.wholeCounty}</option>
            {props.institutions.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="q-care">{st.careType}</label>
          <select id="q-care" value={careType} onChange={(e) => setCareType(e.currentTarget.value as '' | CareType)}>
            <option value="">{st.anyCare}</option>
            {(['nursing', 'ordinary'] as const).map((c) => <option key={c} value={c}>{careTypeLabels[c]}</option>)}
          </select>
        </div>
      </div>
      <ErrorNotice error={first.error ?? error} />
      {first.loading && <Loading />}
      {first.data && <p class="muted" data-testid="queue-basis">{st.queueOrderedBy(first.data.date, first.data.policyVersion)}</p>}
      {first.data && items.length === 0 && <p class="notice">{st.noQueue}</p>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="data" data-testid="queue">
            <caption class="sr-only">{st.queueTitle}</caption>
            <thead>
              <tr>
                <th scope="col" class="num">{st.position}</th><th scope="col">{st.priorityClass}</th><th scope="col">{st.elder}</th><th scope="col">{st.wants}</th>
                <th scope="col">{st.appliedAt}</th><th scope="col">{st.queuedAt}</th><th scope="col">{st.appStatus}</th><th scope="col">{st.action}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-application={e.id} data-elder={e.elderId}>
                  <th scope="row" class="num" data-col="position">{e.position}</th>
                  <td data-col="class">{e.priorityClass === '其他' ? e.priorityClass : `${classOrdinal(e.classRank)} ${e.priorityClass}`}</td>
                  <td><a href={`/staff/elders?elder=${encodeURIComponent(e.elderId)}`}>{st.viewElderText}</a></td>
                  <td>
                    {careTypeLabels[e.careType]}
                    {e.tags.length > 0 && <span class="small">{e.tags.map(careTagLabel).join('、')}</span>}
                    {e.institutionIds && <span class="small">{e.institutionIds.map((id) => names.get(id) ?? id).join('、')}</span>}
                  </td>
                  <td>{cstDateTime(e.appliedAt)}</td>
                  <td>{e.queuedAt !== e.appliedAt ? cstDateTime(e.queuedAt) : '同申请时间'}</td>
                  <td data-col="status">
                    <span class="status">{applicationStatusLabels[e.status]}</span>
                    {declinesInWords(e) && <span class="small">{declinesInWords(e)}</span>}
                  </td>
                  <td><button type="button" disabled={busy} onClick={() => setAsking(e)}>{st.withdraw}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {asking && (
        // biome-ignore lint/a11y/useSemanticElements: a confirmation panel with two buttons, not a group of form fields (fieldset)
        <div class="confirm panel" role="group" aria-label={st.withdraw}>
          <p>{st.withdrawAsk(asking.position)}</p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void act(async () => {
              await call('withdrawApplication', { params: { id: asking.id } });
              setAsking(undefined);
              props.onWithdrawn();
            })}>{st.withdrawYes}</button>
            <button type="button" onClick={() => setAsking(undefined)}>{st.cancel}</button>
          </div>
        </div>
      )}
      {next && (
        <button type="button" disabled={busy} onClick={() => void act(async () => {
          const page = await call('listApplications', { query: { ...query, nextToken: next } });
          setMore((m) => [...m, ...page.items]);
          setNext(page.nextToken);
        })}>{st.moreQueue}</button>
      )}
    </section>
  );
}

const problemWords: Record<string, string> = {
  effectiveFrom: '请填写生效日期（年-月-日）。',
  offerHoldDays: '保留天数是1到30之间的整数。',
  declinesBeforeRequeue: '放弃次数是0到10之间的整数。',
  classes: '类别最多20个，名称不能重复。',
  name: '请填写类别名称，最多40个字。',
  minAge: '年龄是0到150之间的整数。',
};

/** The form for a new policy version (county staff): classes in order, each with its conditions. */
function PolicyEditor(props: { policy: Policy | undefined; onSaved: (effectiveFrom: string) => void }) {
  const [form, setForm] = useState<PolicyForm>(() => policyFormOf(props.policy, cstToday()));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const setClass = (i: number, change: Partial<ClassForm>) => setForm({ ...form, classes: form.classes.map((c, j) => (j === i ? { ...c, ...change } : c)) });
  const problem = (k: string) => problems[k] && <p id={`p-${k.replaceAll('.', '-')}-problem`} class="field-problem">{problems[k]}</p>;
  const described = (k: string) => (problems[k] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `p-${k.replaceAll('.', '-')}-problem` } : {});
  return (
    <form
      class="policy-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        const checked = policyBodyOf(form);
        if (!checked.ok) {
          setProblems(Object.fromEntries(Object.keys(checked.problems).map((k) => [k, problemWords[k.split('.').pop()!] ?? '此项填写有误，请检查。'])));
          return;
        }
        setProblems({});
        setBusy(true);
        try {
          const saved = await call('putAdmissionPolicy', { body: checked.body });
          props.onSaved(saved.effectiveFrom);
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>{st.editPolicyIntro}</p>
      <div class="field">
        <label for="p-effectiveFrom">{st.effectiveFrom}</label>
        <input id="p-effectiveFrom" type="date" value={form.effectiveFrom} onInput={(e) => setForm({ ...form, effectiveFrom: e.currentTarget.value })} {...described('effectiveFrom')} />
        {problem('effectiveFrom')}
      </div>
      {form.classes.map((c, i) => (
        <fieldset key={i} class="class-form" data-class={i}>
          <legend>{classOrdinal(i)}</legend>
          <div class="field">
            <label for={`p-c${i}-name`}>{st.className(classOrdinal(i))}</label>
            <span class="field-hint" id={`p-c${i}-hint`}>{st.classNameHint}</span>
            <input id={`p-c${i}-name`} type="text" autocomplete="off" value={c.name} aria-describedby={`p-c${i}-hint`} onInput={(e) => setClass(i, { name: e.currentTarget.value })} {...described(`classes.${i}.name`)} />
            {problem(`classes.${i}.name`)}
          </div>
          <fieldset class="chips">
            <legend>{st.classCategories}</legend>
            {elderCategories.map((k) => {
              const on = c.categories.includes(k);
              return (
                <label key={k} class={on ? 'chip on' : 'chip'}>
                  <input type="checkbox" checked={on} onChange={() => setClass(i, { categories: on ? c.categories.filter((x) => x !== k) : [...c.categories, k] })} />
                  {categoryLabels[k]}
                </label>
              );
            })}
          </fieldset>
          <div class="inline-form">
            <div class="field">
              <label for={`p-c${i}-level`}>{st.classLevel}</label>
              <select id={`p-c${i}-level`} value={c.capabilityLevelAtLeast} onChange={(e) => setClass(i, { capabilityLevelAtLeast: e.currentTarget.value })}>
                <option value="">{st.anyLevel}</option>
                {capabilityLabels.map((l, n) => <option key={l} value={String(n)}>{l}</option>)}
              </select>
            </div>
            <div class="field">
              <label for={`p-c${i}-age`}>{st.classMinAge}</label>
              <input id={`p-c${i}-age`} type="text" inputMode="numeric" autocomplete="off" value={c.minAge} onInput={(e) => setClass(i, { minAge: e.currentTarget.value })} {...described(`classes.${i}.minAge`)} />
              {problem(`classes.${i}.minAge`)}
            </div>
          </div>
          <div class="actions">
            {i > 0 && <button type="button" onClick={() => setForm({ ...form, classes: form.classes.map((x, j) => (j === i - 1 ? form.classes[i]! : j === i ? form.classes[i - 1]! : x)) })}>{st.moveUp}</button>}
            <button type="button" onClick={() => setForm({ ...form, classes: form.classes.filter((_, j) => j !== i) })}>{st.removeClass}</button>
          </div>
        </fieldset>
      ))}
      {problem('classes')}
      <button type="button" disabled={form.classes.length >= 20} onClick={() => setForm({ ...form, classes: [...form.classes, { ...emptyClass }] })}>{st.addClass}</button>
      <div class="inline-form">
        <div class="field">
          <label for="p-hold">{st.holdDays}</label>
          <input id="p-hold" type="text" inputMode="numeric" autocomplete="off" value={form.offerHoldDays} onInput={(e) => setForm({ ...form, offerHoldDays: e.currentTarget.value })} {...described('offerHoldDays')} />
          {problem('offerHoldDays')}
        </div>
        <div class="field">
          <label for="p-declines">{st.declinesBeforeRequeue}</label>
          <input id="p-declines" type="text" inputMode="numeric" autocomplete="off" value={form.declinesBeforeRequeue} onInput={(e) => setForm({ ...form, declinesBeforeRequeue: e.currentTarget.value })} {...described('declinesBeforeRequeue')} />
          {problem('declinesBeforeRequeue')}
        </div>
      </div>
      <ErrorNotice error={error} />
      {error?.code === 'VALIDATION_FAILED' && error.details.map((d) => <p key={`${d.path}-${d.message}`} class="field-problem">{staffFieldLabels[d.path?.split('.')[0] ?? ''] ?? d.path}：{d.message}</p>)}
      {error?.code === 'DATE_IN_PAST' && typeof error.details[0]?.mustNotBeBefore === 'string' && <p class="field-problem">{st.effectiveFrom}最早为{error.details[0].mustNotBeBefore}。</p>}
      <button type="submit" class="primary" disabled={busy}>{st.publishPolicy}</button>
    </form>
  );
}

const applicationProblems: Record<string, string> = {
  tags: '标签为英文小写字母、数字或下划线，以字母开头，最多10个。',
  institutionIds: '意向机构最多选10个。',
  township: '请重新选择意向乡镇。',
};

/** Find the elder (ID number or meal card, as the bed board does), then what bed they need. */
function ApplicationForm(props: { institutions: Institution[]; townships: { code: string; name: string }[]; onFiled: (message: string) => void }) {
  const [elder, setElder] = useState<FoundElder>();
  const [careType, setCareType] = useState<CareType>('nursing');
  const [tags, setTags] = useState('');
  const [township, setTownship] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  if (!elder) return <ElderFinder idPrefix="apply" onFound={(e) => { setElder(e); setError(undefined); }} submitLabel={st.findElderToApply} />;
  // Institutions of the chosen township (all of them when none is chosen), the ones already chosen kept in view.
  const shown = props.institutions.filter((i) => !township || i.township === township || chosen.includes(i.id));
  return (
    <form
      class="apply-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        // A township is a preference only when no institution is named (the API reads it so).
        const checked = applicationBodyOf({ elderId: elder.id, careType, tags, institutionIds: chosen, township: chosen.length ? '' : township });
        if (!checked.ok) {
          setProblems(Object.fromEntries(Object.keys(checked.problems).map((k) => [k, applicationProblems[k] ?? '此项填写有误，请检查。'])));
          return;
        }
        setProblems({});
        setBusy(true);
        try {
          const filed = await call('fileApplication', { body: checked.body, idempotencyKey: key });
          props.onFiled(st.applied(elder.name, filed.position, filed.priorityClass));
          setElder(undefined);
          setTags('');
          setChosen([]);
          setKey(newIdempotencyKey());
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3>{st.applyFor(elder.name)}</h3>
      <p>{genderLabels[elder.gender]}，{elder.age}岁，{elder.idNumberMasked}</p>
      <fieldset class="chips">
        <legend>{st.careNeeded}</legend>
        {(['nursing', 'ordinary'] as const).map((c) => (
          <label key={c} class={careType === c ? 'chip on' : 'chip'}>
            <input type="radio" name="apply-care" value={c} checked={careType === c} onChange={() => setCareType(c)} />
            {careTypeLabels[c]}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="apply-tags">{st.careTags}</label>
        <span class="field-hint" id="apply-tags-hint">{st.careTagsHint}</span>
        <input id="apply-tags" type="text" autocomplete="off" value={tags} aria-describedby={problems.tags ? 'apply-tags-hint apply-tags-problem' : 'apply-tags-hint'} aria-invalid={problems.tags ? 'true' : undefined} onInput={(e) => setTags(e.currentTarget.value)} />
        {problems.tags && <p id="apply-tags-problem" class="field-problem">{problems.tags}</p>}
      </div>
      <div class="field">
        <label for="apply-township">{st.preferredTownship}</label>
        <select id="apply-township" value={township} onChange={(e) => setTownship(e.currentTarget.value)}>
          <option value="">{st.anyTownship}</option>
          {props.townships.map((t) => <option key={t.code} value={t.code}>{t.name}</option>)}
        </select>
      </div>
      {shown.length > 0 && (
        <fieldset class="chips">
          <legend>{st.preferredInstitutions}</legend>
          {shown.map((i) => {
            const on = chosen.includes(i.id);
            return (
              <label key={i.id} class={on ? 'chip on' : 'chip'}>
                <input type="checkbox" checked={on} onChange={() => setChosen(on ? chosen.filter((x) => x !== i.id) : [...chosen, i.id])} />
                {i.name}
              </label>
            );
          })}
        </fieldset>
      )}
      {problems.institutionIds && <p class="field-problem">{problems.institutionIds}</p>}
      <ErrorNotice error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{st.apply}</button>
        <button type="button" onClick={() => setElder(undefined)}>{st.otherElder}</button>
      </div>
    </form>
  );
}
