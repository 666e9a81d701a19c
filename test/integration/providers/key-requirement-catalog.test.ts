import { describe, expect, it } from 'vitest';
import { kindNeedsKey } from '../../../main/core/providers/key-requirement.ts';
import { providerCatalog } from '../../../renderer/src/provider-catalog.ts';

// The dashboard's add form runs before any provider exists, so it keeps a key hint per kind; this pins that hint to
// the adapters' capability (main/core/providers/key-requirement.ts), the one home of "this kind takes no key".
describe("the add form's key hint", () => {
  it('matches the adapters for every kind', () => {
    for (const entry of providerCatalog) expect({ type: entry.type, keyOptional: entry.keyOptional === true }).toEqual({ type: entry.type, keyOptional: !kindNeedsKey(entry.type) });
  });
});
