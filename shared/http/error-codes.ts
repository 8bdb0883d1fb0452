/**
 * Every error code the API can answer with, declared once: its HTTP status and a one-line
 * meaning. `AppError` takes its status from here, each route's `errors` list is typed by it,
 * and the OpenAPI builder files each code under its real status. A code's status is never
 * chosen where it is thrown.
 *
 * `status: 'record'` codes are not HTTP answers: they are the per-record rejections inside a
 * 200 batch answer (`POST /v1/meal-sites/{siteId}/servings`), listed in that schema.
 */
export const errorCatalogue = {
  // 400: the request itself is malformed
  VALIDATION_FAILED: { status: 400, meaning: 'A field is missing or not valid; details name each field and why.' },
  INVALID_PAGE_TOKEN: { status: 400, meaning: 'nextToken was not given out by this list with these filters.' },
  // 401, 403, 404
  UNAUTHORIZED: { status: 401, meaning: 'No valid bearer token, or a webhook signature or timestamp that does not verify.' },
  FORBIDDEN: { status: 403, meaning: 'Outside the caller\'s role or area.' },
  NOT_FOUND: { status: 404, meaning: 'No such record (or route) for this caller.' },
  // 409: conflicts with the current state
  ELDER_EXISTS: { status: 409, meaning: 'An elder with this ID number is already registered (details carry the id).' },
  CARD_IN_USE: { status: 409, meaning: 'The meal card number belongs to another elder.' },
  ALREADY_LINKED: { status: 409, meaning: 'This family account is already linked to this elder.' },
  SLOT_FULL: { status: 409, meaning: 'No seats left for this date and slot.' },
  ALREADY_BOOKED: { status: 409, meaning: 'The elder already has a booking for this date and slot.' },
  ALREADY_VOIDED: { status: 409, meaning: 'The serving is already voided.' },
  ALREADY_CLOSED: { status: 409, meaning: 'The alert or home care bed is already closed.' },
  ALREADY_DECEASED: { status: 409, meaning: 'The elder is already recorded as deceased on that date or an earlier one (details carry recordedDateOfDeath); an earlier date corrects the record instead.' },
  BED_LABEL_EXISTS: { status: 409, meaning: 'The institution already has a bed with this label.' },
  BED_NOT_VACANT: { status: 409, meaning: 'The bed is not vacant.' },
  BED_OCCUPIED: { status: 409, meaning: 'An occupied bed changes status only by discharge or transfer.' },
  ELDER_ALREADY_ADMITTED: { status: 409, meaning: 'The elder already has a bed in the county.' },
  NOT_ADMITTED_HERE: { status: 409, meaning: 'The elder is not a resident of this institution.' },
  APPLICATION_EXISTS: { status: 409, meaning: 'The elder already has an open care-bed application in this county (details carry its id).' },
  APPLICATION_CLOSED: { status: 409, meaning: 'The care-bed application is already withdrawn or admitted.' },
  OFFER_CLOSED: { status: 409, meaning: 'The offer is no longer open: accepted, declined, withdrawn, or past its hold.' },
  BED_HELD: { status: 409, meaning: 'The bed is held for an open offer of the waiting list: accept or decline the offer first (details carry its id).' },
  HOME_CARE_BED_EXISTS: { status: 409, meaning: 'The elder already has an open home care bed.' },
  CAPACITY_BELOW_BOOKED: { status: 409, meaning: 'A slot\'s capacity would fall below the seats already booked for a date in the booking window (details carry date, slot, booked).' },
  WEBHOOK_ID_REUSED: { status: 409, meaning: 'This webhook-id was already received with a different body.' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, meaning: 'This Idempotency-Key was used with a different request body.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, meaning: 'A request with this Idempotency-Key (or a webhook with this webhook-id) is still running; retry shortly.' },
  // 413, 415: refused before the handler runs, as API Gateway and Lambda refuse them
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is larger than Lambda\'s 6 MB request limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The body is declared as something other than JSON.' },
  // 422: valid input that breaks a rule
  UNKNOWN_TOWNSHIP: { status: 422, meaning: 'The township is not registered in this county.' },
  CUTOFF_PASSED: { status: 422, meaning: 'Booking or cancelling closed at the site\'s cutoff.' },
  DELIVERY_NOT_OFFERED: { status: 422, meaning: 'The site does not deliver.' },
  SLOT_NOT_OFFERED: { status: 422, meaning: 'The site does not serve this slot.' },
  ELDER_DECEASED: { status: 422, meaning: 'The elder died on or before the date of this record (details carry dateOfDeath); a bed or home care bed, held from now on, is refused for any deceased elder.' },
  SITE_SUSPENDED: { status: 422, meaning: 'The meal site is suspended and takes no new bookings (existing bookings stay and are served).' },
  NOT_CANCELLABLE: { status: 422, meaning: 'The booking is no longer booked (served, no-show or cancelled).' },
  DATE_IN_FUTURE: { status: 422, meaning: 'The date or time is later than this command allows: now plus 5 minutes of clock drift (a date: today), or the end of the booking window (details say the latest).' },
  DATE_IN_PAST: { status: 422, meaning: 'The date is earlier than this command allows (details say the earliest).' },
  DATE_OUT_OF_ORDER: { status: 422, meaning: 'The date is earlier than a date the record already has (details name it).' },
  TOO_MANY_TAGS: { status: 422, meaning: 'The institution\'s beds would carry more than 16 distinct tags (details list those in use).' },
  // 5xx
  INTERNAL: { status: 500, meaning: 'Unexpected failure; quote the request id.' },
  // per-record rejections in a servings batch (inside a 200 answer)
  SERVED_AT_IN_FUTURE: { status: 'record', meaning: 'servedAt is later than now plus 5 minutes of device clock drift.' },
  TOO_LATE: { status: 'record', meaning: 'servedAt is more than 7 days ago; county staff record such meals.' },
  ELDER_NOT_FOUND: { status: 'record', meaning: 'No elder with this id, card or ID number in the site\'s county.' },
  RECORD_ID_CONFLICT: { status: 'record', meaning: 'This clientRecordId was already used for a different record; nothing of the first changed.' },
} as const satisfies Record<string, { status: number | 'record'; meaning: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
/** Codes answered as an HTTP error status. */
export type HttpErrorCode = { [C in ErrorCode]: (typeof errorCatalogue)[C]['status'] extends number ? C : never }[ErrorCode];
/** Codes a servings batch can reject a single record with (HTTP-level rule codes included). */
export type RecordErrorCode = { [C in ErrorCode]: (typeof errorCatalogue)[C]['status'] extends 'record' ? C : never }[ErrorCode] | 'VALIDATION_FAILED' | 'SLOT_NOT_OFFERED' | 'DELIVERY_NOT_OFFERED' | 'ELDER_DECEASED';

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];
export const httpStatusOf = (code: HttpErrorCode): number => errorCatalogue[code].status;
