// The preload of the dashboard window: runs sandboxed, with context isolation, before the page. Bundled to
// dist/preload/preload.cjs (sandboxed preloads must be one CommonJS file that only requires 'electron').
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeGlobalName } from '../shared/api-contract.ts';
import { createBridge } from './create-bridge.ts';

contextBridge.exposeInMainWorld(bridgeGlobalName, createBridge(ipcRenderer));
