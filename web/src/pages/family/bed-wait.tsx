import { ApiError, call, type Answer } from '../../api.js';
import { ErrorNotice } from '../../components/notice.js';
import { cstLongDate, cstMonthDayTime } from '../../format.js';
import { t, waitingReason, waitingStatusLabels } from '../../messages.js';
import { useLoad } from '../../use-load.js';

/** What a family gets: the family view (staff get the full application, which names who filed it). */
type FamilyView = Exclude<Answer<'getElderApplication'>, { filedBy: string }>;

/**
 * The 养老床位轮候 section of the family's page of an elder: shown only when the elder has an
 * application (GET /v1/elders/{elderId}/bed-application; 404 means none, and there is no
 * section). Where the elder stands (当前排第N位), why in one sentence (class, then date), and,
 * when a bed is held for them, where and until when (China Standard Time). Nothing about other
 * elders: the family view carries none.
 */
export function BedWait(props: { elderId: string }) {
  const data = useLoad(async () => {
    try {
      return (await call('getElderApplication', { params: { elderId: props.elderId } })) as FamilyView;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
  }, [props.elderId]);
  if (data.error) return <ErrorNotice error={data.error} />;
  const a = data.data;
  if (!a) return null;
  const open = a.status === 'waiting' || a.status === 'offered';
  return (
    <section class="card bed-wait" aria-labelledby="bed-wait-title" data-testid="bed-wait">
      <h2 id="bed-wait-title">{t.waitingTitle}</h2>
      {a.offer && (
        <div class="notice ok" data-testid="bed-wait-offer">
          <p><span aria-hidden="true">★ </span>{t.waitingHeld(a.offer.institutionName, a.offer.bedLabel, cstMonthDayTime(a.offer.expiresAt))}</p>
          <p class="small">{t.waitingHeldHint}</p>
        </div>
      )}
      {open && a.position !== undefined && <p class="position" data-testid="bed-wait-position">{t.waitingPosition(a.position)}</p>}
      <dl class="facts">
        <div><dt>{t.waitingStatus}</dt><dd>{waitingStatusLabels[a.status]}</dd></div>
        {open && a.priorityClass && <div><dt>{t.waitingClass}</dt><dd>{a.priorityClass}</dd></div>}
        <div><dt>{t.waitingApplied}</dt><dd>{cstLongDate(a.appliedAt)}</dd></div>
      </dl>
      {open && <p>{waitingReason(a)}</p>}
    </section>
  );
}
