import { useEffect, useState } from 'react';
import type { WizardToolId } from '../../../../shared/api-contract.ts';
import { Button } from '../../components/button.tsx';
import { LoadingState, Notice } from '../../components/states.tsx';
import { useChannel } from '../../hooks/use-channel.ts';
import type { StepProps } from './wizard-steps.ts';

const otherTools = { id: 'openai-compatible' as const, displayName: 'OpenAI-compatible apps', detail: 'Cursor, Continue, opencode and others: you paste an address and a key into them.' };

/** Step (a): which tools the person uses; the ones found on this computer are ticked already. */
export function ToolsStep({ state, onNext }: StepProps) {
  const clients = useChannel('clients.status', { reloadOn: [] });
  const [chosen, setChosen] = useState<Set<WizardToolId>>(new Set(state.tools));
  const [touched, setTouched] = useState(state.tools.length > 0);

  useEffect(() => {
    if (touched || !clients.data) return;
    setChosen(new Set(clients.data.clients.filter((client) => client.installed).map((client) => client.client)));
  }, [clients.data, touched]);

  if (clients.loading) return <LoadingState rows={3} label="Looking for your tools" />;
  const toggle = (id: WizardToolId) => {
    setTouched(true);
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };
  const rows = [
    ...(clients.data?.clients ?? []).map((client) => ({
      id: client.client as WizardToolId,
      displayName: client.displayName,
      detail: client.installed ? `Found on this computer${client.executable ? ` (${client.executable})` : ''}.` : 'Not found on this computer.',
    })),
    otherTools,
  ];
  return (
    <div className="stack">
      <p>Which AI tools should go through Switchyard? The ones found on this computer are ticked.</p>
      {clients.error && <Notice tone="warn">Switchyard could not look for your tools: {clients.error.message}</Notice>}
      <ul className="wizard-choices" aria-label="Tools">
        {rows.map((row) => (
          <li key={row.id}>
            <label className={`wizard-choice ${chosen.has(row.id) ? 'wizard-choice-selected' : ''}`}>
              <input type="checkbox" checked={chosen.has(row.id)} onChange={() => toggle(row.id)} />
              <span>
                <strong>{row.displayName}</strong>
                <span className="muted small"> — {row.detail}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      <div className="wizard-actions">
        <Button variant="primary" onClick={() => onNext({ tools: [...chosen] })}>
          {chosen.size === 0 ? 'Next without a tool' : 'Next'}
        </Button>
      </div>
    </div>
  );
}
