import type { ButtonHTMLAttributes, ReactNode } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'small' | 'normal';
  icon?: ReactNode;
  busy?: boolean;
}

export function Button({ variant = 'secondary', size = 'normal', icon, busy, children, className, disabled, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={['button', `button-${variant}`, size === 'small' ? 'button-small' : '', className ?? ''].join(' ').trim()}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : icon}
      {children !== undefined && <span>{children}</span>}
    </button>
  );
}

/** A square button whose only content is an icon; `label` is what screen readers and tooltips say. */
export function IconButton({ label, icon, ...rest }: Omit<ButtonProps, 'children'> & { label: string; icon: ReactNode }) {
  return <Button {...rest} icon={icon} aria-label={label} title={label} className={`icon-button ${rest.className ?? ''}`} variant={rest.variant ?? 'ghost'} />;
}
