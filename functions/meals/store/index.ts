/**
 * Data access for the Meals table (single-table design), one module per kind of record;
 * each module's header lists its records and the access patterns it implements.
 * Both indexes are sparse.
 *
 * | record                      | pk                      | sk                                  | gsi1pk / gsi1sk                              | gsi2pk / gsi2sk                        |
 * |-----------------------------|-------------------------|-------------------------------------|----------------------------------------------|----------------------------------------|
 * | meal site                   | SITE#<siteId>           | SITE                                | COUNTY#<county>#SITES / <township>#<siteId>  |                                        |
 * | menu                        | SITE#<siteId>           | MENU#<date>                         |                                              |                                        |
 * | subsidy policy version      | POLICY#<county>         | <effectiveFrom>                     |                                              |                                        |
 * | seat counter (booked, terms) | SITEDAY#<siteId>#<date> | COUNT#<slot>                       |                                              |                                        |
 * | booking                     | SITEDAY#<siteId>#<date> | BK#<slot>#<ulid>                    |                                              |                                        |
 * | elder's booking guard       | ELDER#<elderId>         | BK#<date>#<slot>                    |                                              |                                        |
 * | serving                     | SRV#<county>#<date>     | <township>#<siteId>#<clientRecordId> |                                             |                                        |
 * | elder's day (subsidy guard) | ELDER#<elderId>         | DAY#<date>                          |                                              |                                        |
 * | welfare alert               | ALERTS#<county>         | <alertId>                           | ALERTS#<county>#<status> / <alertId>         | ALERTS#<township>#<status> / <alertId> |
 * | county with meal sites      | COUNTIES                | <county>                            |                                              |                                        |
 * | report job                  | REPORT#<reportId>       | REPORTJOB                           |                                              |                                        |
 * | report result part          | REPORT#<reportId>       | PART#<runId>#<n>                    |                                              |                                        |
 *
 * Lists are paged in DynamoDB (Limit = page + 1, ExclusiveStartKey): a page costs the same
 * however long the list. Ids of bookings and servings encode their keys, so reading one by id is a GetItem.
 */

export { bookingId, bookingKey, servingId, servingKey } from './ids.js';
export { bookingTerms } from './common.js';
export * from './sites.js';
export * from './bookings.js';
export * from './alerts.js';
export * from './servings.js';
export * from './report-jobs.js';
