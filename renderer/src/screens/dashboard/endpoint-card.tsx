import type { EngineStatus } from '../../../../shared/api-contract.ts';
import { CopyButton } from '../../components/copy-button.tsx';

/** Where AI tools connect, and the one line each common tool needs. */
export function EndpointCard({ status }: { status: EngineStatus }) {
  const url = status.url ?? `http://${status.host}:${status.port}`;
  // What each tool needs; "Copy" copies the whole line, ready to paste into a shell or a settings field.
  const setups = [
    { tool: 'Claude Code', variable: 'ANTHROPIC_BASE_URL', value: url },
    { tool: 'Codex and OpenAI tools', variable: 'base URL', value: `${url}/v1` },
    { tool: 'Gemini CLI', variable: 'GOOGLE_GEMINI_BASE_URL', value: url },
  ];
  return (
    <section className="card endpoint-card" aria-labelledby="endpoint-title">
      <h2 id="endpoint-title" className="card-title">
        Point your AI tools here
      </h2>
      <div className="endpoint-url">
        <code className="mono" data-testid="endpoint-url">
          {url}
        </code>
        <CopyButton text={url} label="Copy address" />
      </div>
      <ul className="setup-lines">
        {setups.map((setup) => (
          <li key={setup.tool}>
            <span className="setup-tool">
              <span>{setup.tool}</span>
              <span className="setup-variable mono">{setup.variable}</span>
            </span>
            <code className="mono">{setup.value}</code>
            <CopyButton text={setup.variable === 'base URL' ? setup.value : `${setup.variable}=${setup.value}`} />
          </li>
        ))}
      </ul>
      <p className="muted small">
        Tools sign in with your Switchyard client key{status.clientKeyLast4 ? <> (it ends in <code>…{status.clientKeyLast4}</code>)</> : null}, found in {status.clientKeyWhere}.{' '}
        {status.lanSharing ? 'Other devices on your network can connect too, with that key.' : 'Only this computer can connect.'}
      </p>
    </section>
  );
}
