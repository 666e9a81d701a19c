import { useEffect, useState } from 'react';
import type { ClientPlanView, ClientTestResult, ConfigurableClientId } from '../../../../shared/api-contract.ts';
import { configurableClientIds } from '../../../../shared/api-contract.ts';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { CopyButton } from '../../components/copy-button.tsx';
import { LoadingState, Notice } from '../../components/states.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';
import { FileDiff } from './file-diff.tsx';
import { toolNames } from './tool-names.ts';
import type { StepProps } from './wizard-steps.ts';

type Outcome = { client: ConfigurableClientId; error?: string; test?: ClientTestResult };

/** Apps set up by hand get a key of their own too, shown once. */
function OpenAiAppsKey() {
  const api = useApi();
  const status = useChannel('status');
  const [secret, setSecret] = useState<string>();
  const create = useAction(async () => setSecret((await api.call('clientKeys.create', { name: 'openai-apps' })).secret));
  const baseUrl = `${status.data?.url ?? 'http://127.0.0.1:8787'}/v1`;
  return (
    <section className="card stack" aria-label="OpenAI-compatible apps">
      <h3>OpenAI-compatible apps</h3>
      <p className="muted small">In Cursor, Continue, opencode or any OpenAI-compatible app, set the base URL and an API key:</p>
      <div className="wizard-copy-row">
        <code>{baseUrl}</code> <CopyButton text={baseUrl} label="Copy address" />
      </div>
      {secret ? (
        <div className="wizard-copy-row">
          <code data-testid="wizard-app-key">{secret}</code> <CopyButton text={secret} label="Copy key" />
          <span className="muted small">Shown only now. Revoke it any time in Settings → Tools.</span>
        </div>
      ) : (
        <Button busy={create.busy} onClick={() => void create.run()}>
          Create a key for these apps
        </Button>
      )}
      {create.error && <Notice tone="bad">{create.error.message}</Notice>}
    </section>
  );
}

/** Step (d): the change to each tool's files shown as a diff first, then written (after a backup) and tested. */
export function ConfigureStep({ state, onNext }: StepProps) {
  const api = useApi();
  const tools = configurableClientIds.filter((id) => state.tools.includes(id));
  const [plans, setPlans] = useState<ClientPlanView[]>();
  const [planError, setPlanError] = useState<string>();
  const [outcomes, setOutcomes] = useState<Outcome[]>();

  useEffect(() => {
    let current = true;
    Promise.allSettled(tools.map((client) => api.call('clients.plan', { client }))).then((settled) => {
      if (!current) return;
      setPlans(settled.flatMap((entry) => (entry.status === 'fulfilled' ? [entry.value] : [])));
      const failures = settled.flatMap((entry) => (entry.status === 'rejected' ? [(entry.reason as Error).message] : []));
      setPlanError(failures.length > 0 ? failures.join(' ') : undefined);
    });
    return () => {
      current = false;
    };
  }, [api, tools.join(',')]);

  const apply = useAction(async () => {
    const results: Outcome[] = [];
    for (const plan of plans ?? []) {
      try {
        await api.call('clients.configure', { client: plan.client });
        results.push({ client: plan.client, test: await api.call('clients.test', { client: plan.client }) });
      } catch (error) {
        results.push({ client: plan.client, error: (error as Error).message });
      }
      setOutcomes([...results]);
    }
    return results;
  });
  const configured = (outcomes ?? []).filter((outcome) => !outcome.error).map((outcome) => outcome.client);

  if (tools.length === 0 && !state.tools.includes('openai-compatible')) {
    return (
      <div className="stack">
        <Notice tone="info">No tool was chosen, so there is nothing to configure. Go back to pick one, or finish.</Notice>
        <div className="wizard-actions">
          <Button variant="primary" onClick={() => onNext({ configured: [] })}>Next</Button>
        </div>
      </div>
    );
  }
  return (
    <div className="stack">
      {tools.length > 0 && <p>This is what Switchyard will write. Only the settings it owns change; everything else stays, and a byte-exact backup is kept so Undo restores the files exactly.</p>}
      {tools.length > 0 && !plans && <LoadingState rows={2} label="Reading your tools' settings" />}
      {planError && <Notice tone="bad" title="A settings file could not be read">{planError}</Notice>}
      {plans?.map((plan) => {
        const outcome = outcomes?.find((entry) => entry.client === plan.client);
        return (
          <section key={plan.client} className="card stack" aria-label={`Configure ${toolNames[plan.client]}`}>
            <h3>{toolNames[plan.client]}</h3>
            {plan.changed ? plan.files.filter((file) => file.changed).map((file) => <FileDiff key={file.path} file={file} />) : <p className="muted">Already points at Switchyard; nothing to change.</p>}
            {plan.warnings.map((warning) => <Notice key={warning} tone="warn">{warning}</Notice>)}
            {outcome?.error && <Notice tone="bad">{outcome.error}</Notice>}
            {outcome?.test && (
              <Notice tone={outcome.test.ok ? 'info' : 'bad'} title={outcome.test.ok ? `Configured; a test request in its own format (${outcome.test.format}) worked` : 'Configured, but the test request failed'}>
                <span data-testid={`wizard-test-${plan.client}`}>{outcome.test.message}</span>
              </Notice>
            )}
          </section>
        );
      })}
      {state.tools.includes('openai-compatible') && <OpenAiAppsKey />}
      {apply.error && <Notice tone="bad">{apply.error.message}</Notice>}
      <div className="wizard-actions">
        {plans && plans.length > 0 && !outcomes && (
          <Button variant="primary" busy={apply.busy} onClick={() => void apply.run()}>
            Apply and test
          </Button>
        )}
        {(outcomes || !plans?.length) && (
          <Button variant="primary" disabled={apply.busy} onClick={() => onNext({ configured: [...new Set([...state.configured, ...configured])] })}>
            Next
          </Button>
        )}
      </div>
    </div>
  );
}
