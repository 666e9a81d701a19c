import './zod-setup.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/api-client.ts';
import { bridgeTransport, findBridge } from './api/bridge-transport.ts';
import { DesktopRoot, WebRoot } from './roots.tsx';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/screens.css';

// One UI, two ways to reach main: the preload's bridge inside the desktop app, HTTP with the management token in a
// browser (web mode, served by `switchyard serve` at /ui/).
const bridge = findBridge();
const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{bridge ? <DesktopRoot client={createApiClient(bridgeTransport(bridge))} /> : <WebRoot />}</StrictMode>);
