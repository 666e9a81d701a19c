import type { GuardEventView } from '../../../../shared/api-contract.ts';
import { PulseIcon } from '../../components/icons.tsx';

/** What the guard did since this page opened: keys cooling down, breakers opening, queues filling. */
export function ActivityCard({ events }: { events: GuardEventView[] }) {
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title" className="card-title">
        Recent activity
      </h2>
      {events.length === 0 ? (
        <p className="muted activity-empty">
          <PulseIcon /> All quiet. When a key cools down after a rate limit, or a provider stops answering, it shows up here.
        </p>
      ) : (
        <ol className="activity" aria-live="polite">
          {events.map((event) => (
            <li key={`${event.at}-${event.type}-${event.providerId}-${event.keyId ?? ''}`}>
              <time className="muted small">{new Date(event.at).toLocaleTimeString()}</time>
              <span>{event.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
