import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema, withReference } from './config-reference.ts';

const root = join(import.meta.dirname, '..', '..');
const docsPath = join(root, 'docs', 'configuration.md');
writeFileSync(join(root, 'docs', 'switchyard.schema.json'), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync(docsPath, withReference(readFileSync(docsPath, 'utf8')));
console.log('wrote docs/switchyard.schema.json and the reference in docs/configuration.md');
