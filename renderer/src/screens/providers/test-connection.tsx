import { useState } from 'react';
import type { ConnectionTest, ProviderView } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { PlugIcon } from '../../components/icons.tsx';
import { useAction } from '../../hooks/use-action.ts';

/** "Test connection": one tiny real request through Switchyard, and what came back, in words. */
export function TestConnection({ provider }: { provider: ProviderView }) {
  const api = useApi();
  const [model, setModel] = useState(provider.models[0] ?? '');
  const [result, setResult] = useState<ConnectionTest>();
  const test = useAction(async () => {
    setResult(undefined);
    setResult(await api.call('providers.test', { id: provider.id, ...(model ? { model } : {}) }));
  });
  return (
    <div className="test-connection">
      <div className="test-controls">
        {provider.models.length > 1 && (
          <label className="compact-select">
            <span className="visually-hidden">Model to test</span>
            <select value={model} onChange={(event) => setModel(event.target.value)}>
              {provider.models.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        )}
        <Button size="small" icon={<PlugIcon />} busy={test.busy} onClick={() => void test.run()}>
          Test connection
        </Button>
      </div>
      <div aria-live="polite" className="test-result" data-testid="test-result">
        {result && <span className={result.ok ? 'result-good' : 'result-bad'}>{result.ok ? `Connected. ${result.message}` : `Failed: ${result.message}`}</span>}
        {test.error && <span className="result-bad">{test.error.message}</span>}
      </div>
    </div>
  );
}
