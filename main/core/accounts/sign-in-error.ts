/** Why a sign-in ended without an account. Each has a message meant for the person, not a stack trace. */
export type SignInFailure = 'cancelled' | 'expired' | 'denied' | 'state-mismatch' | 'vendor' | 'ports-busy';

export class SignInError extends Error {
  readonly failure: SignInFailure;
  constructor(failure: SignInFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SignInError';
    this.failure = failure;
  }
}

/** A refresh the vendor refused for good (revoked, expired, reused grant): only signing in again helps. */
export class SignInAgainError extends Error {
  readonly accountId: string;
  constructor(accountId: string, message: string) {
    super(message);
    this.name = 'SignInAgainError';
    this.accountId = accountId;
  }
}
