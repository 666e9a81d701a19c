/** One place a request can be served: a provider, the model name to send it, and which keys may serve it. */
export interface RouteTarget {
  providerId: string;
  model: string;
  /** Only these key ids of the provider may serve this target (from a combo entry's `keys`); all when absent. */
  keyIds?: readonly string[];
  /** The combos this target was reached through, outermost first (their shaping applies). */
  combos?: readonly string[];
}

export function targetLabel(target: RouteTarget): string {
  return `${target.providerId}/${target.model}`;
}
