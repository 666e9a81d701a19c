// Module hooks for running the BUILT main bundle under plain Node: the bare specifier 'electron' resolves to the
// shell tests' fake instead of the electron package (whose binary does not exist here).
type Resolve = (specifier: string, context: unknown, next: (specifier: string, context: unknown) => Promise<unknown>) => Promise<unknown>;

export const resolve: Resolve = async (specifier, context, next) => {
  if (specifier === 'electron') return { url: new URL('./fake-electron-module.ts', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
};
