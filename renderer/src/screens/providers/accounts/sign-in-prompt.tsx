import { useState } from 'react';
import type { SignInPromptView } from '../../../../../shared/api-contract.ts';
import { Button } from '../../../components/button.tsx';
import { CopyButton } from '../../../components/copy-button.tsx';
import { Field } from '../../../components/field.tsx';
import { Notice } from '../../../components/states.tsx';

/** Whether this page was opened from the machine Switchyard runs on (the loopback callback only reaches that one). */
function onThisMachine(): boolean {
  const host = window.location.hostname;
  return window.location.protocol === 'file:' || host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

function DevicePrompt({ prompt, vendor }: { prompt: Extract<SignInPromptView, { kind: 'device' }>; vendor: string }) {
  return (
    <div className="stack sign-in-steps">
      <p>
        1. Open <a href={prompt.verificationUrl} target="_blank" rel="noreferrer" className="mono">{prompt.verificationUrl}</a> <CopyButton text={prompt.verificationUrl} label="Copy address" />
      </p>
      <p>2. Sign in to {vendor} there and enter this code:</p>
      <div className="user-code-row">
        <code className="user-code" data-testid="user-code">{prompt.userCode}</code>
        <CopyButton text={prompt.userCode} label="Copy code" />
      </div>
    </div>
  );
}

function BrowserPrompt({ prompt, vendor, onPaste, pasting }: { prompt: Extract<SignInPromptView, { kind: 'browser' }>; vendor: string; onPaste(url: string): void; pasting: boolean }) {
  const [pasted, setPasted] = useState('');
  const remote = !onThisMachine();
  const needsPaste = !prompt.listening || remote;
  return (
    <div className="stack sign-in-steps">
      <p>
        Open this page and sign in to {vendor}: <a href={prompt.url} target="_blank" rel="noreferrer">open the sign-in page</a> <CopyButton text={prompt.url} label="Copy address" />
      </p>
      {!prompt.listening && <Notice tone="warn">Switchyard could not listen for the browser’s answer (both ports the vendor allows are taken). {prompt.pasteHint}</Notice>}
      {remote && prompt.listening && (
        <Notice tone="info" title="This dashboard runs on another machine">
          The browser returns to <span className="mono">{prompt.redirectUri}</span>, which only reaches Switchyard on its own machine. Either forward the port first — <code>{prompt.sshHint}</code> <CopyButton text={prompt.sshHint} label="Copy command" /> — or paste the address the browser ends on below.
        </Notice>
      )}
      <details open={needsPaste}>
        <summary>The browser ended on a page that does not load?</summary>
        <Field label="Paste that page’s address" hint={prompt.pasteHint}>
          <input className="mono" spellCheck={false} autoComplete="off" value={pasted} onChange={(event) => setPasted(event.target.value)} placeholder={`${prompt.redirectUri}?code=…`} />
        </Field>
        <div className="sign-in-actions">
          <Button size="small" busy={pasting} disabled={!pasted.trim()} onClick={() => onPaste(pasted.trim())}>
            Finish sign-in
          </Button>
        </div>
      </details>
    </div>
  );
}

function CodePrompt({ prompt, vendor, onPaste, pasting }: { prompt: Extract<SignInPromptView, { kind: 'code' }>; vendor: string; onPaste(code: string): void; pasting: boolean }) {
  const [code, setCode] = useState('');
  return (
    <div className="stack sign-in-steps">
      <p>
        1. Open this page in a browser on any device and sign in to {vendor}: <a href={prompt.url} target="_blank" rel="noreferrer">open the sign-in page</a> <CopyButton text={prompt.url} label="Copy address" />
      </p>
      <p>2. {vendor} then shows an authorization code. Paste it here:</p>
      <Field label="Authorization code" hint={prompt.pasteHint}>
        <input className="mono" spellCheck={false} autoComplete="off" value={code} onChange={(event) => setCode(event.target.value)} placeholder="4/0A…" data-testid="pasted-code" />
      </Field>
      <div className="sign-in-actions">
        <Button size="small" busy={pasting} disabled={!code.trim()} onClick={() => onPaste(code.trim())}>
          Finish sign-in
        </Button>
      </div>
    </div>
  );
}

/**
 * What the person must do, with copy buttons: a page and a code (device flow), a sign-in page (browser flow), or a
 * sign-in page whose code comes back here (gemini-cli without a browser).
 */
export function SignInPrompt(props: { prompt: SignInPromptView; vendor: string; onPaste(url: string): void; pasting: boolean }) {
  if (props.prompt.kind === 'device') return <DevicePrompt prompt={props.prompt} vendor={props.vendor} />;
  if (props.prompt.kind === 'code') return <CodePrompt {...props} prompt={props.prompt} />;
  return <BrowserPrompt {...props} prompt={props.prompt} />;
}
