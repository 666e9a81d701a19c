// `*` patterns for model names, aliases and combo targets (docs/routing.md "Wildcards"). `*` matches any run of
// characters, slashes included; every other character matches itself. Used by config checks (shared) and the router.

const cache = new Map<string, RegExp>();

export function hasWildcard(text: string): boolean {
  return text.includes('*');
}

function compile(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.*?)');
    compiled = new RegExp(`^${source}$`, 's');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** What each `*` matched, in order, or undefined when `name` does not match. */
export function matchPattern(pattern: string, name: string): string[] | undefined {
  if (!hasWildcard(pattern)) return pattern === name ? [] : undefined;
  const match = compile(pattern).exec(name);
  return match ? match.slice(1) : undefined;
}

/** Replaces the `*`s of `template` by `captures` in order; a `*` beyond the captures takes the last one. */
export function fillPattern(template: string, captures: readonly string[]): string {
  if (captures.length === 0) return template;
  let index = 0;
  return template.replace(/\*/g, () => captures[Math.min(index++, captures.length - 1)]!);
}
