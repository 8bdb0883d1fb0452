import { useState } from 'preact/hooks';
import { parseIdNumber } from '#shared/id-number.js';
import { ApiError, call, type Answer } from '../../api.js';
import { ErrorNotice } from '../../components/notice.js';
import { cstToday } from '../../format.js';
import { idNumberProblems, st } from '../../staff-messages.js';

export type FoundElder = Answer<'lookupElder'>;

/**
 * Finds an elder of the caller's area by ID number or meal card number (POST /v1/elders/lookup).
 * The ID number is checked on the page first with the server's own rules (shared/id-number.ts),
 * so a typing slip is said at once; township staff asking for another township's elder get the
 * API's refusal in words. The number typed is not kept after the answer.
 */
export function ElderFinder(props: { idPrefix: string; onFound: (elder: FoundElder) => void; submitLabel?: string }) {
  const [by, setBy] = useState<'idNumber' | 'cardNo'>('idNumber');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const id = (s: string) => `${props.idPrefix}-${s}`;
  return (
    <form
      class="finder"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(undefined);
        setProblem(undefined);
        const v = value.trim();
        if (!v) return setProblem('请填写此项。');
        if (by === 'idNumber') {
          const checked = parseIdNumber(v, cstToday());
          if (!checked.ok) return setProblem(idNumberProblems[checked.reason] ?? checked.reason);
        }
        setBusy(true);
        try {
          const elder = await call('lookupElder', { body: by === 'idNumber' ? { idNumber: v } : { cardNo: v } });
          setValue('');
          props.onFound(elder);
        } catch (err) {
          setError(err instanceof ApiError ? err : new ApiError('UNEXPECTED', 0));
        } finally {
          setBusy(false);
        }
      }}
    >
      <fieldset class="chips">
        <legend>{st.findBy}</legend>
        {(['idNumber', 'cardNo'] as const).map((k) => (
          <label key={k} class={by === k ? 'chip on' : 'chip'}>
            <input type="radio" name={id('by')} value={k} checked={by === k} onChange={() => setBy(k)} />
            {k === 'idNumber' ? st.byIdNumber : st.byCard}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={id('value')}>{by === 'idNumber' ? st.idNumber : st.cardNoToFind}</label>
        <input id={id('value')} type="text" autocomplete="off" inputMode={by === 'idNumber' ? 'text' : undefined} value={value} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? id('problem') : undefined} onInput={(e) => setValue(e.currentTarget.value)} />
        {problem && <p id={id('problem')} class="field-problem">{problem}</p>}
      </div>
      <button type="submit" class="primary" disabled={busy}>{props.submitLabel ?? st.find}</button>
      <ErrorNotice error={error} />
    </form>
  );
}
