import { staffCoversTownship } from '#shared/auth/area.js';
import type { Principal } from '#shared/auth/principal.js';
import { errors } from '#shared/http/errors.js';
import type { Page, PageRequest } from '#shared/pagination.js';
import { cstDate } from '#shared/time.js';
import { newId } from '../lib/ids.js';
import { logger } from '../lib/powertools.js';
import type { Alert } from './domain/model.js';
import { addDays, slotEnded } from './domain/slot-time.js';
import * as store from './store/index.js';

/**
 * Bookings not served by the end of their slot become no_show; for an elder living alone that
 * raises a welfare alert (探访关爱) for staff. Runs on a schedule in AWS and on a timer locally;
 * it looks at today and yesterday, so a run missed overnight still catches up. Safe to rerun:
 * each booking changes status once.
 */
export async function runNoShows(now: Date, only?: { counties: readonly string[] }): Promise<{ noShows: number; alerts: number }> {
  const today = cstDate(now);
  let noShows = 0;
  let alerts = 0;
  for (const county of only?.counties ?? (await store.counties())) {
    for (const site of await store.listSites(county)) {
      for (const date of [addDays(today, -1), today]) {
        const { bookings } = await store.siteDay(site.id, date);
        for (const b of bookings) {
          if (b.status !== 'booked' || !slotEnded(b.date, b.slot, now)) continue;
          const at = now.toISOString();
          const alert: (Alert & { evt: Parameters<typeof store.markNoShow>[2] }) | undefined = b.livingAlone
            ? {
                id: newId('al', now.getTime()),
                kind: 'no_show_living_alone',
                status: 'open',
                county: b.county,
                township: b.elderTownship,
                elderId: b.elderId,
                bookingId: b.id,
                siteId: b.siteId,
                date: b.date,
                slot: b.slot,
                raisedAt: at,
                evt: { type: 'alert.raised', county: b.county, entity: `alert:${b.id}`, data: { kind: 'no_show_living_alone', elderId: b.elderId, bookingId: b.id, township: b.elderTownship, date: b.date, slot: b.slot } },
              }
            : undefined;
          const ok = await store.markNoShow(b, at, { type: 'booking.no_show', county: b.county, entity: `booking:${b.id}`, data: { bookingId: b.id, elderId: b.elderId } }, alert);
          if (ok) {
            noShows++;
            if (alert) alerts++;
          }
        }
      }
    }
  }
  if (noShows) logger.info('no-shows marked', { noShows, alerts });
  return { noShows, alerts };
}

/**
 * A page of welfare alerts in the caller's area, newest first: the county's, or one
 * township's (township staff always see their own). Open ones come from an index that holds
 * open alerts only, so the page costs the same however many were closed before.
 */
export async function listAlerts(p: Principal, status: 'open' | 'closed' | 'all', township: string | undefined, page: PageRequest): Promise<Page<Alert>> {
  if (township && !staffCoversTownship(p, township)) throw errors.forbidden('This township is outside the caller\'s area.');
  if (p.role !== 'staff') throw errors.forbidden('Welfare alerts are for civil-affairs staff.');
  return store.alertsPage(p.county, township ?? p.township, status, page);
}

export async function closeAlert(p: Principal, alertId: string, note: string, now: Date): Promise<Alert> {
  const alert = await store.getAlert(p.county, alertId);
  if (!alert) throw errors.notFound('Alert');
  if (!staffCoversTownship(p, alert.township)) throw errors.forbidden('This alert is outside the caller\'s area.');
  if (alert.status === 'closed') throw errors.rule('ALREADY_CLOSED', 'This alert is already closed.');
  const closed = { at: now.toISOString(), by: `${p.role}:${p.sub}`, note };
  const ok = await store.closeAlert(alert, closed, { type: 'alert.closed', county: alert.county, entity: `alert:${alert.bookingId}`, data: { alertId, elderId: alert.elderId } });
  if (!ok) throw errors.rule('ALREADY_CLOSED', 'This alert was closed meanwhile.');
  return { ...alert, status: 'closed', closed };
}
