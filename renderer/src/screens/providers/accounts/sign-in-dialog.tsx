import { useEffect, useRef, useState } from 'react';
import type { AccountKind } from '../../../../../shared/config/provider-schema.ts';
import type { AccountRiskView, AccountView, ApiResult, SignInPromptView } from '../../../../../shared/api-contract.ts';
import { useApi } from '../../../api/api-context.tsx';
import { Button } from '../../../components/button.tsx';
import { Dialog } from '../../../components/dialog.tsx';
import { Field } from '../../../components/field.tsx';
import { AlertIcon } from '../../../components/icons.tsx';
import { LoadingState, Notice } from '../../../components/states.tsx';
import { useAction } from '../../../hooks/use-action.ts';
import { SignInPrompt } from './sign-in-prompt.tsx';

type Step =
  | { name: 'risk' }
  | { name: 'waiting'; flowId: string; prompt: SignInPromptView }
  | { name: 'done'; account: AccountView; updated: boolean }
  | { name: 'failed'; failure: string; message: string };

const vendorOf: Record<AccountKind, string> = { copilot: 'GitHub', codex: 'ChatGPT', kiro: 'AWS', 'gemini-cli': 'Google' };

const failureTitles: Record<string, string> = {
  denied: 'The sign-in was denied',
  expired: 'The sign-in expired',
  cancelled: 'The sign-in was cancelled',
  'state-mismatch': 'That answer did not belong to this sign-in',
  'ports-busy': 'Switchyard could not listen for the browser',
};

function RiskStep({ risk }: { risk: AccountRiskView }) {
  return (
    <div className="stack sign-in-risk" data-testid="sign-in-risk">
      <Notice tone="warn" icon={<AlertIcon />} title={`Before you sign in with ${risk.product}`}>
        {risk.paragraphs.map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </Notice>
      <details>
        <summary className="small">Why Claude Pro / Max and Antigravity are not offered</summary>
        <ul className="small muted">
          {risk.notOffered.map((entry) => (
            <li key={entry.product}>
              <strong>{entry.product}:</strong> {entry.reason}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** Kiro: AWS Builder ID unless the person names their organisation's IAM Identity Center portal and its region. */
function PortalFields({ value, onChange }: { value: { startUrl: string; region: string }; onChange(value: { startUrl: string; region: string }): void }) {
  return (
    <div className="stack" data-testid="kiro-portal">
      <Field label="IAM Identity Center start URL" optional hint="Leave empty to sign in with an AWS Builder ID. Your organisation's portal looks like https://my-company.awsapps.com/start.">
        <input type="url" placeholder="https://view.awsapps.com/start" value={value.startUrl} onChange={(event) => onChange({ ...value, startUrl: event.target.value })} />
      </Field>
      <Field label="Region of that IAM Identity Center" optional hint="Default us-east-1.">
        <input type="text" placeholder="us-east-1" value={value.region} onChange={(event) => onChange({ ...value, region: event.target.value })} />
      </Field>
    </div>
  );
}

/**
 * Signs an account in to a copilot / codex / kiro / gemini-cli provider. The vendor's terms come first and need a choice (go back, or
 * sign in anyway); then the code or page to open, with copy buttons, while Switchyard waits; then the account, or a
 * plain reason it did not work (denied, expired, cancelled). Closing the dialog while it waits cancels the sign-in.
 */
export function SignInDialog({ providerId, kind, onClose, onSignedIn }: { providerId: string; kind: AccountKind; onClose(): void; onSignedIn(account: AccountView): void }) {
  const api = useApi();
  const [risk, setRisk] = useState<AccountRiskView>();
  const [riskError, setRiskError] = useState<string>();
  const [step, setStep] = useState<Step>({ name: 'risk' });
  const [device, setDevice] = useState(false);
  const [portal, setPortal] = useState({ startUrl: '', region: '' });
  const [project, setProject] = useState('');
  const flow = useRef<string | undefined>(undefined);
  const vendor = vendorOf[kind];

  useEffect(() => {
    api.call('accounts.risk', { kind, providerId }).then(setRisk, (error: Error) => setRiskError(error.message));
  }, [api, kind, providerId]);
  const blocked = Boolean(risk?.blocker);

  const start = useAction(async () => {
    const started = await api.call('accounts.signIn.start', {
      providerId,
      ...(device ? { device: true } : {}),
      ...(portal.startUrl.trim() ? { startUrl: portal.startUrl.trim() } : {}),
      ...(portal.region.trim() ? { region: portal.region.trim() } : {}),
      ...(kind === 'gemini-cli' && project.trim() ? { project: project.trim() } : {}),
    });
    flow.current = started.flowId;
    setStep({ name: 'waiting', flowId: started.flowId, prompt: started.prompt });
  });
  const paste = useAction(async (url: string) => {
    if (flow.current) await api.call('accounts.signIn.submitRedirect', { flowId: flow.current, url });
  });

  const waitingFlow = step.name === 'waiting' ? step.flowId : undefined;
  useEffect(() => {
    if (!waitingFlow) return;
    let stopped = false;
    const settle = (outcome: ApiResult<'accounts.signIn.wait'>) => {
      flow.current = undefined;
      if (outcome.state === 'signed-in') {
        setStep({ name: 'done', account: outcome.account, updated: outcome.updated });
        onSignedIn(outcome.account);
      } else if (outcome.state === 'failed') setStep({ name: 'failed', failure: outcome.failure, message: outcome.message });
    };
    void (async () => {
      // Each wait is bounded on the server; a flow ends on its own within its expiry, so this loop ends too.
      for (let round = 0; round < 200 && !stopped; round += 1) {
        try {
          const outcome = await api.call('accounts.signIn.wait', { flowId: waitingFlow });
          if (stopped) return;
          if (outcome.state !== 'pending') return settle(outcome);
        } catch (error) {
          if (!stopped) setStep({ name: 'failed', failure: 'unavailable', message: (error as Error).message });
          return;
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [api, waitingFlow, onSignedIn]);

  const close = () => {
    if (flow.current) void api.call('accounts.signIn.cancel', { flowId: flow.current }).catch(() => {});
    flow.current = undefined;
    onClose();
  };

  const footer = (() => {
    switch (step.name) {
      case 'risk':
        return (
          <>
            <Button onClick={close}>Go back</Button>
            <Button variant="primary" disabled={!risk || blocked} busy={start.busy} onClick={() => void start.run()} data-testid="accept-risk">
              I understand, sign in
            </Button>
          </>
        );
      case 'waiting':
        return <Button onClick={close}>Cancel sign-in</Button>;
      case 'done':
        return (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        );
      case 'failed':
        return (
          <>
            <Button onClick={onClose}>Close</Button>
            <Button variant="primary" onClick={() => setStep({ name: 'risk' })}>
              Try again
            </Button>
          </>
        );
    }
  })();

  return (
    <Dialog wide title={`Sign in with ${vendor}`} description={<>The account joins <code>{providerId}</code> and serves like a key.</>} onClose={close} footer={footer}>
      {step.name === 'risk' && (
        <div className="stack">
          {riskError ? <Notice tone="bad">{riskError}</Notice> : risk ? <RiskStep risk={risk} /> : <LoadingState rows={3} label="Loading the terms" />}
          {kind === 'gemini-cli' && (
            <div>
              <Field label="Google Cloud project (optional)" hint="The project with Gemini Code Assist Standard or Enterprise. Left empty, Switchyard asks Code Assist which project the account uses.">
                <input className="mono" spellCheck={false} autoComplete="off" value={project} onChange={(event) => setProject(event.target.value)} placeholder="my-project-123" data-testid="sign-in-project" />
              </Field>
            </div>
          )}
          {(kind === 'codex' || kind === 'gemini-cli') && (
            <label className="check-row">
              <input type="checkbox" checked={device} onChange={(event) => setDevice(event.target.checked)} /> No browser on this machine: sign in with a code on another device instead
            </label>
          )}
          {kind === 'kiro' && <PortalFields value={portal} onChange={setPortal} />}
          {risk?.blocker ? (
            <Notice tone="bad" title={risk.blocker.title}>
              <span data-testid="sign-in-blocker">{risk.blocker.message}</span>
            </Notice>
          ) : (
            risk && (
              <p className="sign-in-question">
                <strong>{risk.question}</strong>
              </p>
            )
          )}
          {start.error && <Notice tone="bad">{start.error.message}</Notice>}
        </div>
      )}
      {step.name === 'waiting' && (
        <div className="stack" data-testid="sign-in-waiting">
          <SignInPrompt prompt={step.prompt} vendor={vendor} onPaste={(url) => void paste.run(url)} pasting={paste.busy} />
          {paste.error && <Notice tone="bad">{paste.error.message}</Notice>}
          <p className="muted small sign-in-progress" role="status">
            <span className="spinner" aria-hidden="true" /> Waiting for you to finish on {vendor}… this page updates by itself.
          </p>
        </div>
      )}
      {step.name === 'done' && (
        <Notice tone="info" title={step.updated ? 'Signed in again' : 'Signed in'}>
          <span data-testid="sign-in-done">
            {step.account.login}
            {step.account.plan ? ` (${step.account.plan})` : ''} now serves <code>{providerId}</code>.
          </span>
          {step.account.project && (
            <p className="small" data-testid="sign-in-project-used">
              Requests go to the Google Cloud project <code>{step.account.project}</code>.
            </p>
          )}
        </Notice>
      )}
      {step.name === 'failed' && (
        <Notice tone="bad" title={failureTitles[step.failure] ?? 'The sign-in did not work'}>
          <span data-testid="sign-in-failed">{step.message}</span>
        </Notice>
      )}
    </Dialog>
  );
}
