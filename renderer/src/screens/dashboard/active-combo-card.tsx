import type { ComboList, EngineStatus } from '../../../../shared/api-contract.ts';
import { Button } from '../../components/button.tsx';
import type { Route } from '../../hooks/use-hash-route.ts';

/** The combo that serves bare model names (what Claude Code and Gemini CLI send by default). */
export function ActiveComboCard({ status, combos, onNavigate }: { status: EngineStatus; combos: ComboList | undefined; onNavigate(route: Route): void }) {
  const active = combos?.combos.find((combo) => combo.name === status.activeCombo);
  return (
    <section className="card" aria-labelledby="active-combo-title" data-testid="active-combo-card">
      <h2 id="active-combo-title" className="card-title">
        Active combo
      </h2>
      {status.activeCombo ? (
        <>
          <p className="combo-name" data-testid="active-combo-name">
            {status.activeCombo}
          </p>
          {active && (
            <ol className="chain" aria-label="Tried in this order">
              {active.targets.map((target) => (
                <li key={target} className="mono">
                  {target}
                </li>
              ))}
            </ol>
          )}
          <p className="muted small">Requests for plain model names go through these targets, in order.</p>
        </>
      ) : (
        <>
          <p className="muted active-none">None. Tools must name a model as <code>provider/model</code> or a combo name.</p>
          <Button size="small" onClick={() => onNavigate('combos')}>
            Choose a combo
          </Button>
        </>
      )}
    </section>
  );
}
