import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ManagementContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The parsed JSON body (undefined for GET). */
  body: unknown;
}

/** Returns the JSON result (sent with 200), or sends its own response and returns undefined. */
export type ManagementHandler = (context: ManagementContext) => unknown;

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: ManagementHandler;
}

/**
 * The management API under /api/ (dashboard in web mode, tray/CLI tools). Every route requires the management
 * token; the server checks it before anything here runs. Paths may hold `:name` parameters.
 */
export class ManagementRouter {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, path: string, handler: ManagementHandler): this {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  match(method: string, pathname: string): { handler: ManagementHandler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match[index + 1]!);
      });
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
