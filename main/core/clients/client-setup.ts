import type { NamedClientKeyInfo, NamedClientKeys } from '../config/named-client-keys.ts';
import { ClientBackups } from './client-backups.ts';
import type { PointsAt } from './classify-base-url.ts';
import { classifyBaseUrl } from './classify-base-url.ts';
import type { ClientId, ClientModule } from './client-module.ts';
import { MalformedClientFileError } from './client-module.ts';
import { clientModule, clientModules } from './client-modules.ts';
import type { ApplyHooks, ClientPlan, UndoResult } from './configure-client.ts';
import { applyClientPlan, planClientChange, readClientFiles, undoClientChange } from './configure-client.ts';
import type { Installation } from './detect-installed.ts';
import { detectInstallation } from './detect-installed.ts';

export interface ClientStatus {
  client: ClientId;
  displayName: string;
  installation: Installation;
  files: string[];
  /** Undefined when the files could not be read (see `problem`). */
  pointsAt: PointsAt | undefined;
  baseUrl: string | undefined;
  /**
   * "valid": the files hold a Switchyard client key that works now; "not-accepted": they hold a key Switchyard does
   * not accept (revoked, or from another install); "none": no key in the files.
   */
  key: 'valid' | 'not-accepted' | 'none';
  /** Name of the per-tool key the files hold, when it is one. */
  keyName: string | undefined;
  /** Switchyard holds a backup of these files (configure ran and undo has not). */
  backedUp: boolean;
  /** A configure stopped half-way (a crash): run configure again, or undo. */
  interrupted: boolean;
  warnings: string[];
  problem: string | undefined;
}

export interface ClientSetupOptions {
  dataDir: string;
  /** The home folder whose tool settings are read and written (`--home`). */
  home: string;
  /** The running Switchyard, e.g. http://127.0.0.1:8787. */
  origin: string;
  keys: NamedClientKeys;
  /** Also accepted client keys (the generated one, config keys), so status can tell a working key from a stale one. */
  otherKeys?: { matches(presented: string | undefined): boolean };
  env: Record<string, string | undefined>;
}

/** The planned change plus what configure would do about the key, for a dashboard's diff view. */
export interface ClientSetupPlan extends ClientPlan {
  /** "reuse": the files already hold this tool's working key; "create": configure makes a new key for the tool. */
  keyAction: 'reuse' | 'create';
}

export interface ConfigureResult {
  plan: ClientPlan;
  key: NamedClientKeyInfo;
  keyCreated: boolean;
}

/** Shown in a plan instead of a key that does not exist yet. */
export const newKeyPlaceholder = '<new Switchyard key>';

/**
 * Status, plan, configure and undo for every supported tool: what `switchyard clients` and (later) the dashboard
 * call. Each tool gets a client key of its own, named after it, so revoking one leaves the others working.
 */
export class ClientSetup {
  private readonly options: ClientSetupOptions;
  readonly backups: ClientBackups;

  constructor(options: ClientSetupOptions) {
    this.options = options;
    this.backups = new ClientBackups(options.dataDir);
  }

  async status(): Promise<ClientStatus[]> {
    return Promise.all(clientModules.map((module) => this.statusOf(module)));
  }

  async statusOf(module: ClientModule): Promise<ClientStatus> {
    const { home, origin, env, keys, otherKeys } = this.options;
    const journal = await this.backups.readJournal(module.id).catch(() => undefined);
    const base: ClientStatus = {
      client: module.id,
      displayName: module.displayName,
      installation: await detectInstallation(module, home, env),
      files: module.files(home),
      pointsAt: undefined,
      baseUrl: undefined,
      key: 'none',
      keyName: undefined,
      backedUp: journal !== undefined,
      interrupted: journal?.state === 'applying',
      warnings: [],
      problem: undefined,
    };
    try {
      const reading = module.read(await readClientFiles(module, home));
      const named = keys.find(reading.key);
      const accepted = named !== undefined || otherKeys?.matches(reading.key) === true;
      return {
        ...base,
        pointsAt: classifyBaseUrl(reading.baseUrl, module.vendorHosts, origin),
        baseUrl: reading.baseUrl,
        key: reading.key === undefined ? 'none' : accepted ? 'valid' : 'not-accepted',
        keyName: named?.name,
        warnings: reading.warnings,
      };
    } catch (error) {
      if (error instanceof MalformedClientFileError) return { ...base, problem: error.message };
      throw error;
    }
  }

  /** The change configure would make, without making it or creating a key (the key is shown as a placeholder). */
  async plan(id: ClientId): Promise<ClientSetupPlan> {
    const module = clientModule(id);
    const reading = module.read(await readClientFiles(module, this.options.home));
    const reuse = this.options.keys.find(reading.key)?.name === id;
    const plan = await planClientChange(module, this.options.home, { origin: this.options.origin, key: reuse && reading.key ? reading.key : newKeyPlaceholder });
    return { ...plan, keyAction: reuse ? 'reuse' : 'create' };
  }

  /** Points the tool at Switchyard with its own key. Running it again changes nothing. */
  async configure(id: ClientId, hooks: ApplyHooks = {}): Promise<ConfigureResult> {
    const module = clientModule(id);
    const { home, origin, keys } = this.options;
    const reading = module.read(await readClientFiles(module, home)); // a malformed file stops here, before a key exists
    const existing = keys.find(reading.key);
    if (existing?.name === id && reading.key !== undefined) {
      const plan = await planClientChange(module, home, { origin, key: reading.key });
      await applyClientPlan(plan, this.backups, hooks);
      return { plan, key: existing, keyCreated: false };
    }
    const created = await keys.create(id);
    try {
      const plan = await planClientChange(module, home, { origin, key: created.secret });
      await applyClientPlan(plan, this.backups, hooks, { keyId: created.id });
      // Keys of earlier runs that were killed half-way, or that the files no longer hold, stop working now.
      const journal = await this.backups.readJournal(id);
      for (const keyId of journal?.keyIds ?? []) if (keyId !== created.id) await keys.revoke(keyId);
      const { secret: _secret, ...key } = created;
      return { plan, key, keyCreated: true };
    } catch (error) {
      // The key was never written anywhere useful: do not leave it valid.
      await keys.revoke(created.id).catch(() => {});
      throw error;
    }
  }

  /** Restores the tool's files from the backup and revokes the tool's key they held. Undefined: nothing to undo. */
  async undo(id: ClientId): Promise<(UndoResult & { revokedKeys: NamedClientKeyInfo[] }) | undefined> {
    const module = clientModule(id);
    let presented: string | undefined;
    try {
      presented = module.read(await readClientFiles(module, this.options.home)).key;
    } catch (error) {
      if (!(error instanceof MalformedClientFileError)) throw error; // a file broken since configure is restored all the same
    }
    const result = await undoClientChange(id, this.backups);
    if (!result) return undefined;
    const named = this.options.keys.find(presented);
    const toRevoke = new Set(result.keyIds);
    if (named?.name === id) toRevoke.add(named.id);
    const revokedKeys = [];
    for (const keyId of toRevoke) revokedKeys.push(...(await this.options.keys.revoke(keyId)));
    return { ...result, revokedKeys };
  }
}
