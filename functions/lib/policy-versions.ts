import { refuseFirst, type DateBreach } from '#shared/dates.js';
import { errors } from '#shared/http/errors.js';

/**
 * Writes a version of a county policy versioned by date (the subsidy and the admission policy).
 * The start date is checked against the version in force today (`breach`, from
 * `versionStartBreach`); a future version is replaced by putting its date again, a version
 * dated today or earlier is only ever added. Two tries: a racing put of the same date makes the
 * write fail, and the fresh read then refuses it.
 *
 * @throws AppError 422 DATE_IN_PAST when the start is too early, or another put of the same date won.
 */
export async function putPolicyVersion(opts: {
  effectiveFrom: string;
  today: string;
  inForce: () => Promise<{ effectiveFrom: string } | undefined>;
  breach: (inForceToday: string | undefined) => DateBreach | undefined;
  put: (replace: boolean) => Promise<boolean>;
}): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    refuseFirst(opts.breach((await opts.inForce())?.effectiveFrom));
    if (await opts.put(opts.effectiveFrom > opts.today)) return;
    if (attempt >= 2) throw errors.rule('DATE_IN_PAST', `A version effective ${opts.effectiveFrom} was put meanwhile.`, [{ path: 'effectiveFrom', message: 'a version with this date was put meanwhile' }]);
  }
}
