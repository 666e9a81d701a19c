import { useEffect, useState } from 'react';

export const routes = ['dashboard', 'usage', 'request-log', 'providers', 'combos', 'settings', 'setup'] as const;
export type Route = (typeof routes)[number];

function current(): Route {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (routes as readonly string[]).includes(name ?? '') ? (name as Route) : 'dashboard';
}

/** Screens live in the fragment (#/providers), which works from file:// in the app and under /ui/ in web mode. */
export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return [route, (next) => (window.location.hash = `#/${next}`)];
}
