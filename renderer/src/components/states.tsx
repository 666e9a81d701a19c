import type { ReactNode } from 'react';
import { AlertIcon } from './icons.tsx';
import { Button } from './button.tsx';

export function EmptyState({ icon, title, children, action }: { icon?: ReactNode; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      {icon && <div className="empty-icon">{icon}</div>}
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

export function ErrorState({ title = 'Something went wrong', message, onRetry }: { title?: string; message: string; onRetry?: () => void }) {
  return (
    <div className="error-state" role="alert">
      <div className="error-icon">
        <AlertIcon />
      </div>
      <div>
        <h3>{title}</h3>
        <p>{message}</p>
        {onRetry && (
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        )}
      </div>
    </div>
  );
}

/** Placeholder blocks the shape of the content that is loading, so the page does not jump when it arrives. */
export function LoadingState({ rows = 3, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="loading-state" role="status" aria-live="polite">
      <span className="visually-hidden">{label}…</span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="skeleton" style={{ width: `${92 - index * 14}%` }} />
      ))}
    </div>
  );
}

export function Notice({ tone, title, children, icon }: { tone: 'info' | 'warn' | 'bad'; title?: string; children: ReactNode; icon?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'bad' ? 'alert' : undefined}>
      {icon && <div className="notice-icon">{icon}</div>}
      <div>
        {title && <strong className="notice-title">{title}</strong>}
        <div className="notice-body">{children}</div>
      </div>
    </div>
  );
}
