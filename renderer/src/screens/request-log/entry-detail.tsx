import type { RequestLogEntryView } from '../../../../shared/request-log-views.ts';
import { CapturedPartView } from './captured-part-view.tsx';

/** One entry side by side: the client's side on the left, the provider's on the right; requests above, answers below. */
export function EntryDetail({ entry }: { entry: RequestLogEntryView }) {
  return (
    <section className="request-log-detail" aria-label={`Entry ${entry.id}`} data-testid="request-log-detail">
      <div className="request-log-columns">
        <h2 className="card-title">Client ⇄ Switchyard ({entry.clientFormat})</h2>
        <h2 className="card-title">Switchyard ⇄ {entry.provider ?? 'no provider'}{entry.upstreamFormat ? ` (${entry.upstreamFormat})` : ''}</h2>
        <CapturedPartView testId="part-client-request" title="The client's request" part={entry.clientRequest} empty="" />
        <CapturedPartView testId="part-upstream-request" title="Sent upstream" part={entry.upstreamRequest} empty="Nothing was sent upstream: Switchyard answered this request itself." />
        <CapturedPartView testId="part-client-answer" title="What the client got" part={entry.clientAnswer} empty="" />
        <CapturedPartView testId="part-upstream-answer" title="The upstream's answer" part={entry.upstreamAnswer} empty="No answer came from upstream." />
      </div>
    </section>
  );
}
