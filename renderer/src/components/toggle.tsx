export interface ToggleProps {
  checked: boolean;
  onChange(checked: boolean): void;
  label: string;
  /** Hide the label visually (it is still read out). */
  hideLabel?: boolean;
  disabled?: boolean;
  busy?: boolean;
  describedBy?: string;
}

/** An on/off switch: a button with role="switch", so Space and Enter toggle it and screen readers say its state. */
export function Toggle({ checked, onChange, label, hideLabel, disabled, busy, describedBy }: ToggleProps) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      disabled={disabled || busy}
      className={`toggle ${checked ? 'toggle-on' : ''}`}
      onClick={() => onChange(!checked)}
    >
      <span className="toggle-track" aria-hidden="true">
        <span className="toggle-thumb" />
      </span>
      <span className={hideLabel ? 'visually-hidden' : 'toggle-label'}>{label}</span>
    </button>
  );
}
