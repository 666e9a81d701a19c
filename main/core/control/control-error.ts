import type { ApiError, ApiErrorCode } from '../../../shared/api-contract.ts';

/** A refusal the user can act on; becomes `{ ok: false, error }` on both transports. */
export class ControlError extends Error {
  readonly code: ApiErrorCode;
  readonly issues: ApiError['issues'];

  constructor(code: ApiErrorCode, message: string, issues?: ApiError['issues']) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.issues = issues;
  }

  toApiError(): ApiError {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export function notFound(message: string): ControlError {
  return new ControlError('not_found', message);
}

export function conflict(message: string): ControlError {
  return new ControlError('conflict', message);
}
