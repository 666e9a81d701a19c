import type { ApiArgs, ApiChannel, ApiEvent, ApiEventPayload, ApiResponse } from '../../../shared/api-contract.ts';

/** How the one API client reaches main: the preload bridge (desktop) or HTTP (web mode). */
export interface ApiTransport {
  readonly mode: 'desktop' | 'web';
  invoke<C extends ApiChannel>(channel: C, args: ApiArgs<C>): Promise<ApiResponse<C>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEventPayload<E>) => void): () => void;
}
