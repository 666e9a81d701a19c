/** One place a request can be served: a provider and the model name to send it. */
export interface RouteTarget {
  providerId: string;
  model: string;
}

export function targetLabel(target: RouteTarget): string {
  return `${target.providerId}/${target.model}`;
}
