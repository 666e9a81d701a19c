import { randomBytes } from 'node:crypto';
import type { ApiChannel, ApiParsedArgs, ApiResult, ConnectionTest, ProviderView } from '../../../shared/api-contract.ts';
import type { SwitchyardConfig } from '../../../shared/config/config-schema.ts';
import type { Settings } from '../../../shared/settings/settings-schema.ts';
import { providerAdapter } from '../providers/index.ts';
import { kindNeedsKey, servedWithoutKey } from '../providers/key-requirement.ts';
import { createAccountHandlers } from './accounts-handlers.ts';
import { comboList, providerView } from './build-views.ts';
import { createClientHandlers } from './clients-handlers.ts';
import { activateCombo, removeCombo, saveCombo } from './combo-edits.ts';
import { ControlError, conflict, notFound } from './control-error.ts';
import type { ControlService } from './control-service.ts';
import { isObject } from './document-access.ts';
import type { NewKeyEntry } from './provider-edits.ts';
import { addKeys, addProvider, findProvider, nextKeyIds, removeKey, removeProvider, updateKey, updateProvider } from './provider-edits.ts';
import { modelCatalogView, routePreview } from './routing-views.ts';
import { applySettingsChanges } from './settings-edits.ts';
import { testConnection } from './test-connection.ts';
import { createUsageHandlers } from './usage-handlers.ts';
import { createUsageInsightHandlers } from './usage-insight-handlers.ts';
import { recentClientsView } from './network-views.ts';
import { createRequestLogHandlers } from './request-log-handlers.ts';

type Handlers = { [C in ApiChannel]: (args: ApiParsedArgs<C>) => Promise<ApiResult<C>> };
type PastedKey = ApiParsedArgs<'keys.add'>['keys'][number];

/** Secret ids name provider and key for people browsing their keychain, plus a random tail so ids are never reused. */
function secretIdFor(providerId: string, keyId: string): string {
  return `${providerId}.${keyId}.${randomBytes(3).toString('hex')}`;
}

export function createControlHandlers(control: ControlService): Handlers {
  const { secrets } = control.options;

  async function viewOf(config: SwitchyardConfig, id: string): Promise<ProviderView> {
    const provider = config.providers.find((candidate) => candidate.id === id);
    if (!provider) throw notFound(`There is no provider "${id}".`);
    return providerView(provider, control.facts, control.snapshot(), control.options.engine()?.accounts);
  }

  /** Refuses a key pasted twice, or one the provider already has (compared in main; the UI never sees values). */
  async function checkNewKeys(settings: Settings, providerId: string, keys: PastedKey[]): Promise<void> {
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key.secret)) throw conflict('The same key was pasted twice.');
      seen.add(key.secret);
    }
    const provider = settings.config.providers.find((candidate) => candidate.id === providerId);
    for (const existing of provider?.keys ?? []) {
      const facts = await control.facts.facts(existing.secret);
      if (facts.value !== undefined && seen.has(facts.value)) throw conflict(`That key is already added to "${providerId}" as ${existing.id}.`);
    }
  }

  /** Stores pasted keys in the secret store; returns their entries, and an undo for when the change fails. */
  async function storeKeys(providerId: string, keyIds: string[], keys: PastedKey[]): Promise<{ entries: NewKeyEntry[]; undo: () => Promise<void> }> {
    const entries: NewKeyEntry[] = [];
    const undo = async () => {
      for (const entry of entries) await secrets.delete(entry.secretId).catch(() => false);
    };
    try {
      for (const [index, key] of keys.entries()) {
        const entry: NewKeyEntry = { id: keyIds[index]!, secretId: secretIdFor(providerId, keyIds[index]!), label: key.label || undefined };
        await secrets.set(entry.secretId, key.secret);
        entries.push(entry);
      }
    } catch (error) {
      await undo();
      throw new ControlError('unavailable', `The key could not be stored in the ${secrets.kind}: ${(error as Error).message}`);
    }
    return { entries, undo };
  }

  async function forgetSecrets(refs: unknown[]): Promise<void> {
    for (const ref of refs) {
      if (!isObject(ref) || typeof ref.keychain !== 'string') continue;
      await secrets.delete(ref.keychain).catch((error: unknown) => {
        control.options.logger?.warn('control: a removed key could not be deleted from the secret store', { id: ref.keychain, error: String(error) });
      });
    }
  }

  async function testProvider(args: ApiParsedArgs<'providers.test'>): Promise<ConnectionTest> {
    const provider = (await control.servingConfig()).providers.find((candidate) => candidate.id === args.id);
    if (!provider) throw notFound(`There is no provider "${args.id}".`);
    const model = args.model ?? provider.models[0] ?? null;
    const fail = (message: string): ConnectionTest => ({ ok: false, providerId: provider.id, model, keyId: null, latencyMs: null, status: null, message });
    if (!provider.enabled) return fail('This provider is switched off. Turn it on to test it.');
    if (!servedWithoutKey(provider) && !provider.keys.some((key) => key.enabled)) return fail('Add a key (or switch one on) first.');
    if (model === null) return fail('Add a model name to this provider first, so there is something to ask.');
    const format = providerAdapter(provider.type)?.nativeFormats[0];
    if (!format) return fail(`This version of Switchyard cannot talk to ${provider.type} providers yet.`);
    const engine = control.options.engine();
    const clientKey = engine?.runtime().clientKeys[0];
    if (!engine?.url || !clientKey) return fail('Switchyard is not serving right now, so nothing can be tested. Start it, then try again.');
    const result = await testConnection({ engineUrl: engine.url, clientKey, provider, format, model, fetch: control.options.fetch });
    control.refresh();
    return result;
  }

  return {
    ...createUsageHandlers(control),
    ...createUsageInsightHandlers(control),
    ...createRequestLogHandlers(control),
    status: () => control.status(),
    'guard.snapshot': async () => control.snapshot(),
    'network.recentClients': async () => recentClientsView(control.options.engine(), await control.servingConfig()),

    'providers.list': async () => {
      const config = await control.servingConfig();
      const snapshot = control.snapshot();
      const accounts = control.options.engine()?.accounts;
      const providers: ProviderView[] = [];
      for (const provider of config.providers) providers.push(await providerView(provider, control.facts, snapshot, accounts));
      return { providers };
    },

    'providers.add': async (args) => {
      const { settings: before } = await control.load();
      if (before.config.providers.some((provider) => provider.id === args.id)) throw conflict(`A provider named "${args.id}" already exists. Pick another name.`);
      if (args.keys.length === 0 && kindNeedsKey(args.type)) {
        const message = `A ${args.type} provider needs an API key: paste at least one.`;
        throw new ControlError('invalid_arguments', `providers.add: keys: ${message}`, [{ path: 'keys', message }]);
      }
      await checkNewKeys(before, args.id, args.keys);
      const keyIds = args.keys.map((_key, index) => `key-${index + 1}`);
      const stored = await storeKeys(args.id, keyIds, args.keys);
      try {
        const { settings } = await control.mutate((document) => addProvider(document, args, stored.entries));
        return await viewOf(settings.config, args.id);
      } catch (error) {
        await stored.undo();
        throw error;
      }
    },

    'providers.update': async (args) => {
      const { settings } = await control.mutate((document) => updateProvider(document, args));
      return viewOf(settings.config, args.id);
    },

    'providers.remove': async (args) => {
      const { outcome: refs } = await control.mutate((document) => removeProvider(document, args.id));
      await forgetSecrets(refs);
      control.facts.clear();
      const config = await control.servingConfig();
      const snapshot = control.snapshot();
      const accounts = control.options.engine()?.accounts;
      return { providers: await Promise.all(config.providers.map((provider) => providerView(provider, control.facts, snapshot, accounts))) };
    },

    'providers.test': testProvider,

    'keys.add': async (args) => {
      const { document, settings: before } = await control.load();
      await checkNewKeys(before, args.providerId, args.keys);
      const keyIds = nextKeyIds(findProvider(document, args.providerId), args.keys.length);
      const stored = await storeKeys(args.providerId, keyIds, args.keys);
      try {
        const { settings } = await control.mutate((latest) => {
          // Ids are chosen again on the latest document, in case another change landed in between.
          const ids = nextKeyIds(findProvider(latest, args.providerId), args.keys.length);
          addKeys(latest, args.providerId, stored.entries.map((entry, index) => ({ ...entry, id: ids[index]! })));
        });
        return await viewOf(settings.config, args.providerId);
      } catch (error) {
        await stored.undo();
        throw error;
      }
    },

    'keys.update': async (args) => {
      const { settings } = await control.mutate((document) => updateKey(document, args));
      return viewOf(settings.config, args.providerId);
    },

    'keys.reset': async (args) => {
      const engine = control.options.engine();
      if (!engine) throw new ControlError('unavailable', 'Switchyard is not serving right now; keys are checked afresh when it starts.');
      if (!engine.guard.resetKey(args.providerId, args.keyId)) throw notFound(`Provider "${args.providerId}" has no key "${args.keyId}" in service.`);
      control.refresh();
      return viewOf(await control.servingConfig(), args.providerId);
    },

    'keys.remove': async (args) => {
      const { outcome: ref, settings } = await control.mutate((document) => removeKey(document, args.providerId, args.keyId));
      await forgetSecrets([ref]);
      control.facts.clear();
      return viewOf(settings.config, args.providerId);
    },

    'combos.list': async () => comboList(await control.servingConfig()),
    'combos.save': async (args) => comboList((await control.mutate((document) => saveCombo(document, args))).settings.config),
    'combos.remove': async (args) => comboList((await control.mutate((document) => removeCombo(document, args.name))).settings.config),
    'combos.activate': async (args) => {
      const engine = control.options.engine();
      if (control.options.settings.readOnlyReason && engine?.setActiveCombo && engine.config) {
        // Settings that cannot be written (a --config file): switch the running engine only, like the tray would.
        if (args.name !== null && !engine.config.combos.some((combo) => combo.name === args.name)) throw notFound(`There is no combo "${args.name}".`);
        engine.setActiveCombo(args.name ?? undefined);
        control.emit('config.changed', { at: control.now() });
        void control.emitStatus();
        return comboList(engine.config);
      }
      return comboList((await control.mutate((document) => activateCombo(document, args.name))).settings.config);
    },

    'routing.resolve': async (args) => routePreview(control.options.engine(), args),
    'models.list': () => modelCatalogView(control.options.engine(), false),
    'models.refresh': () => modelCatalogView(control.options.engine(), true),

    'settings.get': () => control.settingsView(),
    'settings.update': async (args) => {
      const desktop = control.options.desktop;
      if (args.launchAtLogin !== undefined) {
        if (!desktop) throw new ControlError('unavailable', 'Launch at login is a setting of the desktop app; headless `serve` is started by your service manager.');
        await desktop.setLaunchAtLogin(args.launchAtLogin);
      }
      await control.mutate((document) => applySettingsChanges(document, args));
      return control.settingsView();
    },

    ...createAccountHandlers(control),
    ...createClientHandlers(control),
  };
}
