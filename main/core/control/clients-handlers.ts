import { homedir } from 'node:os';
import type { ApiParsedArgs, ApiResult, ClientStatusView } from '../../../shared/api-contract.ts';
import type { SetupWizardState } from '../../../shared/settings/setup-wizard-state.ts';
import type { ClientStatus } from '../clients/client-setup.ts';
import { ClientSetup } from '../clients/client-setup.ts';
import { MalformedClientFileError } from '../clients/client-module.ts';
import { clientModule } from '../clients/client-modules.ts';
import { readClientFiles } from '../clients/configure-client.ts';
import type { NamedClientKeys } from '../config/named-client-keys.ts';
import { ControlError, notFound } from './control-error.ts';
import type { ControlService } from './control-service.ts';
import { objectField } from './document-access.ts';
import { maskFileText } from './mask-file-text.ts';
import { testClient } from './test-client.ts';
import { loopbackUrl } from './test-connection.ts';

/** What the control service needs to configure tools: the per-tool keys of its data dir and whose home to edit. */
export interface ClientControlOptions {
  dataDir: string;
  keys: NamedClientKeys;
  /** Whose tool settings are read and written; default the user's home folder. */
  home?: string;
}

type ClientChannel = 'clients.status' | 'clients.plan' | 'clients.configure' | 'clients.test' | 'clients.undo' | 'clientKeys.list' | 'clientKeys.create' | 'clientKeys.revoke' | 'setup.get' | 'setup.save';
type ClientHandlers = { [C in ClientChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };

function statusView(status: ClientStatus): ClientStatusView {
  return {
    client: status.client,
    displayName: status.displayName,
    installed: status.installation.installed,
    executable: status.installation.executable ?? null,
    files: status.files,
    pointsAt: status.pointsAt ?? null,
    baseUrl: status.baseUrl ?? null,
    key: status.key,
    keyName: status.keyName ?? null,
    backedUp: status.backedUp,
    interrupted: status.interrupted,
    warnings: status.warnings,
    problem: status.problem ?? null,
  };
}

/** A malformed tool file is the person's to fix: a conflict with the path and line, not an internal failure. */
async function reported<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MalformedClientFileError) throw new ControlError('conflict', `${error.message} Nothing was written; fix the file (or move it away) and try again.`);
    if (error instanceof ControlError) throw error;
    throw new ControlError('unavailable', (error as Error).message);
  }
}

/**
 * clients.*, clientKeys.* and setup.*: the dashboard's side of `switchyard clients` (the same ClientSetup) plus the
 * wizard's saved progress. Tools are pointed at the engine's own address as it listens now (else the saved port).
 */
export function createClientHandlers(control: ControlService): ClientHandlers {
  function options(): ClientControlOptions {
    const clients = control.options.clients;
    if (!clients) throw new ControlError('unavailable', 'This Switchyard was started without a data dir for client keys, so it cannot configure tools.');
    return clients;
  }

  async function origin(): Promise<string> {
    const url = control.options.engine()?.url;
    if (url) return loopbackUrl(url);
    const { server } = (await control.load()).settings.config;
    return `http://127.0.0.1:${server.port}`;
  }

  async function setup(): Promise<ClientSetup> {
    const { dataDir, keys, home } = options();
    const runtimeKeys = control.options.engine()?.runtime().clientKeys ?? [];
    return new ClientSetup({
      dataDir,
      keys,
      home: home ?? homedir(),
      origin: await origin(),
      otherKeys: { matches: (presented) => presented !== undefined && runtimeKeys.includes(presented) },
      env: control.options.env ?? process.env,
    });
  }

  async function wizardView(): Promise<ApiResult<'setup.get'>> {
    const { settings } = await control.load();
    const state = settings.preferences.setupWizard ?? null;
    return { state, firstRun: settings.config.providers.length === 0 && (state === null || state.outcome === 'open') };
  }

  return {
    'clients.status': async () => {
      const clients = await setup();
      return { origin: await origin(), home: options().home ?? homedir(), clients: (await clients.status()).map(statusView) };
    },

    'clients.plan': async ({ client }) =>
      reported(async () => {
        const plan = await (await setup()).plan(client);
        const files = plan.files.map((file) => ({ path: file.path, before: file.before === undefined ? null : maskFileText(file.before), after: maskFileText(file.after), changed: file.changed }));
        return { client, changed: plan.changed, keyAction: plan.keyAction, files, warnings: plan.warnings };
      }),

    'clients.configure': async ({ client }) =>
      reported(async () => {
        const clients = await setup();
        const result = await clients.configure(client);
        control.emit('config.changed', { at: control.now() });
        return {
          client,
          changed: result.plan.changed,
          key: result.key,
          keyCreated: result.keyCreated,
          written: result.plan.files.filter((file) => file.changed).map((file) => file.path),
          backupFolder: clients.backups.clientFolder(client),
          warnings: result.plan.warnings,
          status: statusView(await clients.statusOf(clientModule(client))),
        };
      }),

    'clients.test': async ({ client, model }) => {
      const engine = control.options.engine();
      if (!engine?.url) throw new ControlError('unavailable', 'Switchyard is not serving right now, so nothing can be tested. Start it, then try again.');
      const module = clientModule(client);
      const reading = await reported(async () => module.read(await readClientFiles(module, options().home ?? homedir())));
      if (reading.key === undefined) throw new ControlError('conflict', `${module.displayName} has no Switchyard key in its settings yet: configure it first.`);
      const config = await control.servingConfig();
      const firstModel = config.providers.find((provider) => provider.enabled && provider.models.length > 0);
      const requested = model ?? config.activeCombo ?? (firstModel ? `${firstModel.id}/${firstModel.models[0]}` : undefined);
      if (requested === undefined) throw new ControlError('conflict', 'There is no model to ask yet: connect a provider with a model, or activate a combo.');
      const result = await testClient({ client, engineUrl: engine.url, key: reading.key, model: requested, fetch: control.options.fetch });
      control.refresh();
      return result;
    },

    'clients.undo': async ({ client }) =>
      reported(async () => {
        const clients = await setup();
        const result = await clients.undo(client);
        control.emit('config.changed', { at: control.now() });
        const status = statusView(await clients.statusOf(clientModule(client)));
        if (!result) return { client, undone: false, restored: [], removed: [], changedSince: [], revokedKeys: [], status };
        return { client, undone: true, restored: result.restored, removed: result.removed, changedSince: result.changedSince, revokedKeys: result.revokedKeys, status };
      }),

    'clientKeys.list': async () => ({ keys: options().keys.list() }),
    'clientKeys.create': async ({ name }) => {
      const { secret, ...key } = await reported(() => options().keys.create(name));
      control.emit('config.changed', { at: control.now() });
      return { key, secret };
    },
    'clientKeys.revoke': async ({ idOrName }) => {
      const keys = options().keys;
      const revoked = await reported(() => keys.revoke(idOrName));
      if (revoked.length === 0) throw notFound(`There is no client key "${idOrName}".`);
      control.emit('config.changed', { at: control.now() });
      return { revoked, keys: keys.list() };
    },

    'setup.get': () => wizardView(),
    'setup.save': async ({ state }) => {
      await control.mutate((document) => {
        objectField(document, 'preferences').setupWizard = state satisfies SetupWizardState;
      });
      return wizardView();
    },
  };
}
