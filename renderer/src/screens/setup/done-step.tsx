import { Button } from '../../components/button.tsx';
import type { StepProps } from './wizard-steps.ts';

import { toolNames } from './tool-names.ts';

/** Step (e): what works now, where to watch it, how to take it back. */
export function DoneStep({ state, onFinish }: Pick<StepProps, 'state'> & { onFinish(): void }) {
  return (
    <div className="stack">
      <ul className="stack wizard-summary">
        {state.configured.length > 0 ? (
          <li>
            <strong>Works now:</strong> {state.configured.map((id) => toolNames[id]).join(', ')} {state.configured.length === 1 ? 'sends' : 'send'} requests through Switchyard, each with a key of its own. Start {state.configured.length === 1 ? 'it' : 'them'} as usual; already-open sessions need a restart.
          </li>
        ) : (
          <li>No tool was configured. Set one up later from the Dashboard or Settings → Tools.</li>
        )}
        {state.combo && <li><strong>Combo:</strong> <code>{state.combo}</code> answers the model names your tools ask for. Change it on the Combos screen.</li>}
        <li><strong>Usage:</strong> the Dashboard shows requests as they happen, per provider and key.</li>
        <li><strong>Undo:</strong> Settings → Tools has an Undo button per tool that puts its files back exactly as they were (or <code>switchyard clients undo &lt;tool&gt;</code> in a terminal).</li>
      </ul>
      <div className="wizard-actions">
        <Button variant="primary" onClick={onFinish}>Go to the dashboard</Button>
      </div>
    </div>
  );
}
