import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { Button } from '../../components/button.tsx';
import { Field } from '../../components/field.tsx';
import { InfoIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { Toggle } from '../../components/toggle.tsx';
import { useToast } from '../../components/toasts.tsx';
import { useAction } from '../../hooks/use-action.ts';
import { useChannel } from '../../hooks/use-channel.ts';
import { fieldErrors } from '../providers/field-errors.ts';
import { RecentClientsCard } from './recent-clients-card.tsx';
import { ToolsCard } from './tools-card.tsx';

export function SettingsScreen({ onSetUp }: { onSetUp(): void }) {
  const api = useApi();
  const toast = useToast();
  const settings = useChannel('settings.get');
  const status = useChannel('status');
  const [port, setPort] = useState('');
  const [lanSharing, setLanSharing] = useState(false);
  const [portError, setPortError] = useState<string>();
  const save = useAction(async (changes: { port?: number; lanSharing?: boolean; launchAtLogin?: boolean }) => {
    settings.setData(await api.call('settings.update', changes));
  });
  const loginItem = useAction(async (launchAtLogin: boolean) => {
    settings.setData(await api.call('settings.update', { launchAtLogin }));
    toast(launchAtLogin ? 'Switchyard will start when you log in.' : 'Switchyard will not start by itself.');
  });

  useEffect(() => {
    if (!settings.data) return;
    setPort(String(settings.data.port));
    setLanSharing(settings.data.lanSharing);
  }, [settings.data]);

  if (settings.loading) {
    return (
      <>
        <PageHeader title="Settings" />
        <LoadingState rows={3} label="Loading settings" />
      </>
    );
  }
  if (!settings.data) return <ErrorState title="Settings could not be loaded" message={settings.error?.message ?? 'No answer.'} onRetry={settings.reload} />;
  const view = settings.data;
  const writable = view.settings.writable;
  const dirty = port !== String(view.port) || lanSharing !== view.lanSharing;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const number = Number(port);
    if (!Number.isInteger(number) || number < 1024 || number > 65535) {
      setPortError('Pick a whole number from 1024 to 65535.');
      return;
    }
    setPortError(undefined);
    await save.run({ port: number, lanSharing });
    toast('Settings saved.');
  };

  const errors = fieldErrors(save.error);
  return (
    <>
      <PageHeader title="Settings" description="How Switchyard listens for your tools." />
      {!writable && view.settings.readOnlyReason && <Notice tone="info">{view.settings.readOnlyReason}</Notice>}
      {view.restartRequired && (
        <Notice tone="warn" title="Restart to apply">
          Switchyard still listens on the old address. Restart it to use the new port or sharing setting; until then your tools keep working as before.
        </Notice>
      )}
      <form className="card settings-card stack" onSubmit={submit} noValidate>
        <h2 className="card-title">Connection</h2>
        <Field label="Port" hint={`Tools connect to http://127.0.0.1:${port || view.port}. Change it only if another program uses ${view.port}.`} error={portError ?? errors.port}>
          <input type="number" inputMode="numeric" min={1024} max={65535} className="input-short" value={port} disabled={!writable} onChange={(event) => setPort(event.target.value)} />
        </Field>
        <div className="setting-row">
          <div>
            <strong id="lan-label">Share on my network</strong>
            <p id="lan-hint" className="muted small">
              Off: only this computer can connect (recommended). On: other devices on your network can use Switchyard with the client key.
            </p>
          </div>
          <Toggle label="Share on my network" hideLabel describedBy="lan-hint" checked={lanSharing} disabled={!writable} onChange={setLanSharing} />
        </div>
        {lanSharing && !view.lanSharing && (
          <Notice tone="warn">Anyone on your network who has the client key could use your providers and spend your quota. Keep it off on public Wi-Fi.</Notice>
        )}
        {save.error && !errors.port && <Notice tone="bad">{save.error.message}</Notice>}
        <div className="form-actions">
          <Button type="submit" variant="primary" disabled={!writable || !dirty} busy={save.busy}>
            Save
          </Button>
        </div>
      </form>

      <RecentClientsCard />

      <section className="card settings-card">
        <h2 className="card-title">Desktop</h2>
        <div className="setting-row">
          <div>
            <strong>Start Switchyard when I log in</strong>
            <p id="login-hint" className="muted small">
              {view.launchAtLoginAvailable ? 'It starts quietly in the tray, so your tools work right away.' : 'Only in the desktop app. Headless Switchyard is started by your system’s service manager.'}
            </p>
          </div>
          <Toggle label="Start Switchyard when I log in" hideLabel describedBy="login-hint" checked={view.launchAtLogin} disabled={!view.launchAtLoginAvailable || !writable} busy={loginItem.busy} onChange={(value) => void loginItem.run(value)} />
        </div>
        {loginItem.error && <Notice tone="bad">{loginItem.error.message}</Notice>}
      </section>

      <section className="card settings-card">
        <h2 className="card-title">Where things are kept</h2>
        <dl className="facts">
          <div>
            <dt>Settings</dt>
            <dd className="mono">{view.settings.location}</dd>
          </div>
          <div>
            <dt>API keys</dt>
            <dd>{status.data?.secretStore ?? '…'}</dd>
          </div>
          <div>
            <dt>Client key</dt>
            <dd>{status.data?.clientKeyWhere ?? '…'}</dd>
          </div>
        </dl>
        <p className="muted small facts-note">
          <InfoIcon /> Settings hold only references to keys, never the keys themselves.
        </p>
      </section>
      <ToolsCard onSetUp={onSetUp} />
    </>
  );
}
