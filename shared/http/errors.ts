import { httpStatusOf, type HttpErrorCode } from './error-codes.js';

export { errorCatalogue, errorCodes, type ErrorCode, type HttpErrorCode, type RecordErrorCode } from './error-codes.js';

/** One error type for every expected failure; the HTTP layer turns it into the contract's JSON. */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly [key: string]: unknown;
}

/**
 * An expected failure. Its HTTP status comes from the code's entry in `errorCatalogue`, so a
 * code answers with the same status wherever it is thrown.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = httpStatusOf(code);
  }
}

export const errors = {
  validation: (details: ErrorDetail[], message = 'The request is not valid.') => new AppError('VALIDATION_FAILED', message, details),
  unauthorized: (message = 'A valid bearer token is required.') => new AppError('UNAUTHORIZED', message),
  forbidden: (message = 'This caller may not do that here.') => new AppError('FORBIDDEN', message),
  notFound: (what: string) => new AppError('NOT_FOUND', `${what} was not found.`),
  /** Any other code of the catalogue: a conflict (409) or a broken rule (422), as declared there. */
  rule: (code: HttpErrorCode, message: string, details: ErrorDetail[] = []) => new AppError(code, message, details),
};
