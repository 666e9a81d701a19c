// `node --import ./test/packaging/register-fake-electron.ts dist/main/app.js`: see fake-electron-hooks.ts.
import { register } from 'node:module';

register('./fake-electron-hooks.ts', import.meta.url);
