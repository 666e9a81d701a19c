import { describe, expect, it } from 'vitest';
import { isAccountProviderType } from '../../../shared/config/provider-schema.ts';
import { kindNeedsKey } from '../../../main/core/providers/key-requirement.ts';
import { providerCatalog } from '../../../renderer/src/provider-catalog.ts';

// The dashboard's add form runs before any provider exists, so it keeps a key hint per kind; this pins that hint to
// the adapters' capability (main/core/providers/key-requirement.ts), the one home of "this kind takes no key".
describe("the add form's key hint", () => {
  it('matches the adapters for every kind', () => {
    // A kind takes no key when it is keyless (keyOptional) or signs accounts in instead (signIn).
    for (const entry of providerCatalog) expect({ type: entry.type, noKey: entry.keyOptional === true || entry.signIn === true }).toEqual({ type: entry.type, noKey: !kindNeedsKey(entry.type) });
  });

  it('offers sign-in exactly for the account kinds', () => {
    for (const entry of providerCatalog) expect({ type: entry.type, signIn: entry.signIn === true }).toEqual({ type: entry.type, signIn: isAccountProviderType(entry.type) });
  });
});
