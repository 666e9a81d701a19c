import type { CapturedMessageView } from '../../../../shared/request-log-views.ts';
import { formatSize } from './request-log-words.ts';

/** Pretty-prints JSON text; anything else is shown as it came. */
export function readableBody(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

/** One of an entry's four parts: its request line or status, its headers (folded) and its body or stream events. */
export function CapturedPartView({ title, part, empty, testId }: { title: string; part: CapturedMessageView | null; empty: string; testId: string }) {
  return (
    <section className="card request-log-part" aria-label={title} data-testid={testId}>
      <h3 className="card-title">{title}</h3>
      {part === null ? (
        <p className="muted small">{empty}</p>
      ) : (
        <>
          <div className="mono request-log-line">{part.line || '–'}</div>
          <details className="request-log-headers">
            <summary>{Object.keys(part.headers).length} headers</summary>
            <dl className="mono small">
              {Object.entries(part.headers).map(([name, value]) => (
                <div key={name}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </details>
          {part.events ? (
            <ol className="request-log-events mono small" aria-label={`${part.events.length} stream events`}>
              {part.events.map((event, index) => (
                <li key={index}>{event}</li>
              ))}
            </ol>
          ) : (
            <pre className="request-log-body mono small" tabIndex={0}>{part.body === '' ? '(no body)' : readableBody(part.body)}</pre>
          )}
          {part.omittedBytes > 0 && <p className="muted small">{formatSize(part.omittedBytes)} more were not kept (the part&apos;s cap).</p>}
        </>
      )}
    </section>
  );
}
