import type { ApiArgs, ApiChannel, ApiError, ApiEvent, ApiEventPayload, ApiResult } from '../../../shared/api-contract.ts';
import { checkArgs, checkResult } from '../../../shared/api-contract.ts';
import type { ApiTransport } from './transport.ts';

/** A refusal or failure from main, with the same code and field issues on both transports. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly issues: NonNullable<ApiError['issues']>;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.issues = error.issues ?? [];
  }
}

/** Channels whose arguments are all optional may be called without any. */
type CallArgs<C extends ApiChannel> = Partial<ApiArgs<C>> extends ApiArgs<C> ? [args?: ApiArgs<C>] : [args: ApiArgs<C>];

export interface ApiClient {
  readonly mode: 'desktop' | 'web';
  call<C extends ApiChannel>(channel: C, ...args: CallArgs<C>): Promise<ApiResult<C>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}

/**
 * The renderer's one API client. Arguments are checked against the contract before they leave (so a form gets the
 * same field messages main would give, without a round trip), and results are checked when they arrive.
 */
export function createApiClient(transport: ApiTransport): ApiClient {
  return {
    mode: transport.mode,
    async call(channel, ...rest) {
      const raw = rest[0] ?? {};
      const checked = checkArgs(channel, raw);
      if (!checked.ok) throw new ApiCallError(checked.error);
      const answer = await transport.invoke(channel, raw as never);
      if (!answer.ok) throw new ApiCallError(answer.error);
      const result = checkResult(channel, answer.result);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value;
    },
    on(event, listener) {
      return transport.on(event, listener);
    },
  };
}
