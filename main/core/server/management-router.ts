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
  path: string;
  pattern: RegExp;
  names: string[];
  handler: ManagementHandler;
  public: boolean;
}

export interface RouteOptions {
  /**
   * Reachable without the management token. Only for the web sign-in exchange (a one-time code for the token);
   * anything else public would bypass the token entirely.
   */
  public?: boolean;
}

export interface MatchedRoute {
  handler: ManagementHandler;
  params: Record<string, string>;
  public: boolean;
}

/**
 * The management API under /api/ (dashboard in web mode, tray/CLI tools). Every route requires the management
 * token (the server checks it before a handler runs) unless registered as public. Paths may hold `:name` parameters.
 * The server only knows this table; what fills it (the API contract's channels) lives with the control service
 * (main/core/control/control-routes.ts). Registering the same method and path twice is a bug and throws.
 */
export class ManagementRouter {
  private readonly routes: CompiledRoute[] = [];

  add(method: string, path: string, handler: ManagementHandler, options: RouteOptions = {}): this {
    const names: string[] = [];
    const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z][A-Za-z0-9]*)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const route: CompiledRoute = { method, path, pattern: new RegExp(`^${source}$`), names, handler, public: options.public === true };
    if (this.routes.some((candidate) => candidate.method === method && candidate.path === path)) throw new Error(`${method} ${path} is registered twice`);
    this.routes.push(route);
    return this;
  }

  match(method: string, pathname: string): MatchedRoute | 'method-not-allowed' | undefined {
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
      return { handler: route.handler, params, public: route.public };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
