import type { RuntimeConfig, RuntimeProvider } from '../config/runtime-config.ts';

/** What GET /v1/models and the dashboard show about one provider's list. */
export interface CatalogEntry {
  providerId: string;
  models: readonly string[];
  /** Where the list came from: fetched from the provider, or the configured / preset list. */
  source: 'fetched' | 'configured';
  fetchedAt?: number;
  error?: string;
}

export type ListFetcher = (provider: RuntimeProvider, signal: AbortSignal) => Promise<string[]>;

export interface ModelCatalogOptions {
  fetch: ListFetcher;
  now?: () => number;
  /** How long a fetched list is trusted. */
  ttlMs?: number;
  /** A failed fetch is not retried sooner than this. */
  retryAfterFailureMs?: number;
  /** Longest wait for a first fetch when a listing is asked for; slower providers are listed from config this time. */
  waitMs?: number;
}

interface Cached {
  models: string[];
  fetchedAt: number;
  error?: string;
  /** Base URL + key ids the list was fetched for: a changed provider is asked again. */
  identity: string;
}

function identityOf(provider: RuntimeProvider): string {
  return `${provider.endpoint.origin}${provider.endpoint.basePath}|${provider.keys.map((key) => key.id).join(',')}|${provider.config.type}`;
}

/**
 * Model lists fetched from providers, cached (10 minutes by default). Fetching happens when someone lists models
 * (GET /v1/models, the dashboard) — never on startup, so an engine does not call out before it is used. The router
 * reads the cache synchronously through `models()`, so bare names find fetched models too.
 */
export class ModelCatalog {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly options: Required<ModelCatalogOptions>;

  constructor(options: ModelCatalogOptions) {
    this.options = { now: Date.now, ttlMs: 600_000, retryAfterFailureMs: 60_000, waitMs: 3_000, ...options };
  }

  /** Cached fetched models of a provider (empty when not fetched yet). */
  models(providerId: string): readonly string[] | undefined {
    return this.cache.get(providerId)?.models;
  }

  private fresh(provider: RuntimeProvider): boolean {
    const cached = this.cache.get(provider.id);
    if (!cached || cached.identity !== identityOf(provider)) return false;
    const age = this.options.now() - cached.fetchedAt;
    return cached.error ? age < this.options.retryAfterFailureMs : age < this.options.ttlMs;
  }

  private refreshOne(provider: RuntimeProvider): Promise<void> {
    const running = this.inFlight.get(provider.id);
    if (running) return running;
    const identity = identityOf(provider);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 60_000);
    const task = this.options
      .fetch(provider, controller.signal)
      .then(
        (models) => {
          this.cache.set(provider.id, { models: [...new Set(models)], fetchedAt: this.options.now(), identity });
        },
        (error: unknown) => {
          const previous = this.cache.get(provider.id);
          const message = error instanceof Error ? error.message : String(error);
          // Keep the last good list: a provider that is briefly down still has its models.
          this.cache.set(provider.id, { models: previous?.identity === identity ? previous.models : [], fetchedAt: this.options.now(), identity, error: message });
        },
      )
      .finally(() => {
        clearTimeout(timer);
        this.inFlight.delete(provider.id);
      });
    this.inFlight.set(provider.id, task);
    return task;
  }

  /** Refreshes stale lists (all of them with `force`), waiting at most `waitMs`, and returns every provider's entry. */
  async refresh(runtime: RuntimeConfig, options: { force?: boolean } = {}): Promise<CatalogEntry[]> {
    const wanted = [...runtime.providers.values()].filter(
      (provider) => provider.config.enabled && provider.config.fetchModels !== false && provider.adapter.listModels && (options.force || !this.fresh(provider)),
    );
    // A stale list is served at once and refreshed behind the answer; only a first fetch (or a forced one) is
    // waited for, and never longer than waitMs.
    const waitFor: Promise<void>[] = [];
    for (const provider of wanted) {
      const task = this.refreshOne(provider);
      const cached = this.cache.get(provider.id);
      if (options.force || !cached || cached.identity !== identityOf(provider)) waitFor.push(task);
    }
    if (waitFor.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.waitMs);
      });
      await Promise.race([Promise.all(waitFor), deadline]);
      clearTimeout(timer);
    }
    return this.entries(runtime);
  }

  entries(runtime: RuntimeConfig): CatalogEntry[] {
    return [...runtime.providers.values()]
      .filter((provider) => provider.config.enabled)
      .map((provider) => {
        const cached = this.cache.get(provider.id);
        const usable = cached && cached.identity === identityOf(provider) ? cached : undefined;
        const fetched = usable && usable.models.length > 0;
        return {
          providerId: provider.id,
          models: fetched ? [...new Set([...provider.models, ...usable.models])] : provider.models,
          source: fetched ? 'fetched' : 'configured',
          ...(usable ? { fetchedAt: usable.fetchedAt } : {}),
          ...(usable?.error ? { error: usable.error } : {}),
        } satisfies CatalogEntry;
      });
  }
}
