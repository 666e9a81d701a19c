import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { useApi } from './api/api-context.tsx';
import { GaugeIcon, KeyIcon, LockIcon, PulseIcon, RouteIcon, SlidersIcon } from './components/icons.tsx';
import { StatusPill } from './components/status-pill.tsx';
import { useChannel } from './hooks/use-channel.ts';
import { useEvent } from './hooks/use-event.ts';
import type { Route } from './hooks/use-hash-route.ts';
import { useHashRoute } from './hooks/use-hash-route.ts';
import { servingTone, servingWords } from './screens/describe.ts';
import { CombosScreen } from './screens/combos/combos-screen.tsx';
import { DashboardScreen } from './screens/dashboard/dashboard-screen.tsx';
import { ProvidersScreen } from './screens/providers/providers-screen.tsx';
import { SettingsScreen } from './screens/settings/settings-screen.tsx';
import { UsageScreen } from './screens/usage/usage-screen.tsx';
import { RequestLogScreen } from './screens/request-log/request-log-screen.tsx';
import { SetupScreen } from './screens/setup/setup-screen.tsx';

const navigation: Array<{ route: Route; label: string; icon: ReactNode }> = [
  { route: 'dashboard', label: 'Dashboard', icon: <GaugeIcon /> },
  { route: 'usage', label: 'Usage', icon: <PulseIcon /> },
  { route: 'request-log', label: 'Request log', icon: <LockIcon /> },
  { route: 'providers', label: 'Providers', icon: <KeyIcon /> },
  { route: 'combos', label: 'Combos', icon: <RouteIcon /> },
  { route: 'settings', label: 'Settings', icon: <SlidersIcon /> },
];

export function AppShell({ live }: { live?: boolean }) {
  const [route, navigate] = useHashRoute();
  const status = useChannel('status');
  useEvent('status', status.setData);
  const api = useApi();

  // First start (no provider yet, the wizard never finished or cancelled): open the setup wizard instead of the dashboard.
  useEffect(() => {
    let current = true;
    api.call('setup.get', {}).then(
      (view) => {
        if (current && view.firstRun && ['', 'dashboard'].includes(window.location.hash.replace(/^#\/?/, ''))) navigate('setup');
      },
      () => {},
    );
    return () => {
      current = false;
    };
    // Once per window: later visits to the dashboard are the person's choice.
  }, [api]);

  const screens: Record<Route, ReactNode> = {
    dashboard: <DashboardScreen onNavigate={navigate} />,
    usage: <UsageScreen />,
    'request-log': <RequestLogScreen />,
    providers: <ProvidersScreen />,
    combos: <CombosScreen onNavigate={navigate} />,
    settings: <SettingsScreen onSetUp={() => navigate('setup')} />,
    setup: <SetupScreen onNavigate={navigate} />,
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(event) => {
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Switchyard
        </div>
        <nav aria-label="Main">
          <ul>
            {navigation.map((item) => (
              <li key={item.route}>
                <a href={`#/${item.route}`} className={`nav-link ${route === item.route ? 'nav-active' : ''}`} aria-current={route === item.route ? 'page' : undefined}>
                  {item.icon}
                  <span>{item.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {status.data ? (
            <>
              <StatusPill tone={servingTone(status.data.state)}>{servingWords(status.data.state)}</StatusPill>
              {status.data.url && <div className="sidebar-endpoint mono">{status.data.url.replace(/^https?:\/\//, '')}</div>}
              <div className="sidebar-meta">
                {status.data.mode === 'web' ? (live === false ? 'Web dashboard · reconnecting…' : 'Web dashboard') : 'Desktop app'} · v{status.data.version}
              </div>
            </>
          ) : (
            <div className="sidebar-meta">{status.error ? 'Not connected' : 'Connecting…'}</div>
          )}
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        {screens[route]}
      </main>
    </div>
  );
}
