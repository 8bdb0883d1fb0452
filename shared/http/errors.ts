/** One error type for every expected failure; the HTTP layer turns it into the contract's JSON. */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  validation: (details: ErrorDetail[], message = 'The request is not valid.') =>
    new AppError(400, 'VALIDATION_FAILED', message, details),
  unauthorized: () => new AppError(401, 'UNAUTHORIZED', 'A valid bearer token is required.'),
  forbidden: (message = 'This caller may not do that here.') => new AppError(403, 'FORBIDDEN', message),
  notFound: (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`),
  conflict: (code: string, message: string, details: ErrorDetail[] = []) => new AppError(409, code, message, details),
  unprocessable: (code: string, message: string, details: ErrorDetail[] = []) =>
    new AppError(422, code, message, details),
};

/** Every error code the API can answer with, for the OpenAPI document. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ELDER_EXISTS',
  'CARD_IN_USE',
  'ALREADY_LINKED',
  'UNKNOWN_TOWNSHIP',
  'SLOT_FULL',
  'ALREADY_BOOKED',
  'CUTOFF_PASSED',
  'DELIVERY_NOT_OFFERED',
  'SLOT_NOT_OFFERED',
  'ELDER_DECEASED',
  'NOT_CANCELLABLE',
  'ALREADY_VOIDED',
  'ALREADY_CLOSED',
  'ALREADY_DECEASED',
  'BED_LABEL_EXISTS',
  'BED_NOT_VACANT',
  'BED_OCCUPIED',
  'ELDER_ALREADY_ADMITTED',
  'NOT_ADMITTED_HERE',
  'HOME_CARE_BED_EXISTS',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_PROGRESS',
  'INTERNAL',
] as const;
