// The layers of main/core, used by the lint rules (build/eslint.config.js) and checked complete by
// build/checks/engine-folder-cycles.test.ts: a new engine folder must be given its layer here.
/**
 * Layers of main/core, lowest first. A folder may import folders of lower layers only, so
 * no two folders import each other; build/checks/engine-folder-cycles.ts also catches cycles through re-exports.
 */
export const engineLayers = {
  errors: 0,
  logging: 0,
  formats: 1,
  guard: 1,
  upstream: 1,
  secrets: 1,
  providers: 2,
  usage: 2,
  // Signed-in accounts: token sources and sign-in flows, below the runtime config that holds them.
  accounts: 2.5,
  config: 3,
  settings: 4,
  shaping: 4,
  router: 4,
  pipeline: 5,
  // The generic HTTP edge sits below control, whose management routes are written on it.
  server: 6,
  control: 7,
  // Client configuration (switchyard clients): edits other tools' files, used by the CLI and, later, control.
  clients: 6.5,
  cli: 8,
};
