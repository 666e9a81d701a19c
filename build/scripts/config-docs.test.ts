import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, withReference } from './config-reference.ts';

// The config docs and the editor schema are generated from the zod schema; these fail when someone changes the
// schema without regenerating (node build/scripts/generate-config-docs.ts).
const root = join(import.meta.dirname, '..', '..');

describe('generated config documentation', () => {
  it('docs/switchyard.schema.json matches the zod schema', () => {
    expect(JSON.parse(readFileSync(join(root, 'docs', 'switchyard.schema.json'), 'utf8'))).toEqual(configJsonSchema());
  });

  it('the field reference in docs/configuration.md matches the zod schema', () => {
    const markdown = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');
    expect(markdown).toBe(withReference(markdown));
  });
});
