// What `import electron from 'electron'` gives the built main bundle in the bundle smoke test: the shell tests' fake,
// made to end the process the way Electron does once the app has quit.
import { createFakeElectron } from '../app/fake-electron.ts';

const electron = createFakeElectron({ userData: process.env.SWITCHYARD_DATA_DIR ?? process.cwd(), isPackaged: false });
const quit = electron.app.quit.bind(electron.app);
electron.app.quit = () => {
  quit();
  if (electron.app.quitted) setImmediate(() => process.exit(0));
};
electron.app.exit = (code = 0) => process.exit(code);

export default electron;
