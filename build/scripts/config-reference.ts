import { z } from 'zod';
import { configSchema } from '../../shared/config/config-schema.ts';

// docs/configuration.md's field reference and docs/switchyard.schema.json are generated from the zod schema in
// shared/, so the docs cannot drift from the code: a unit test fails when either file is out of date.
// Regenerate with: node build/scripts/generate-config-docs.ts

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  required?: string[];
};

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://switchyard.local/switchyard.schema.json', title: 'Switchyard configuration' };
}

function describeType(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(describeType).join(' \\| ');
  if (schema.type === 'object' && schema.properties && Object.keys(schema.properties).length <= 2 && !Object.values(schema.properties).some((inner) => inner.properties)) {
    return `{${Object.entries(schema.properties).map(([name, inner]) => `${name}: ${describeType(inner)}`).join(', ')}}`;
  }
  if (schema.type === 'array') {
    const item = schema.items ? describeType(schema.items) : 'any';
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return `map of ${describeType(schema.additionalProperties)}`;
  }
  if ((schema.type === 'integer' || schema.type === 'number') && (schema.minimum !== undefined || schema.maximum !== undefined)) {
    const bounded = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER;
    if (bounded) return `${schema.type} ${schema.minimum ?? ''}..${schema.maximum}`;
    return `${schema.type} ≥ ${schema.minimum}`;
  }
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(schema: JsonSchema, path: string, out: string[]): void {
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (name === '$schema') continue;
    const here = path ? `${path}.${name}` : name;
    const required = schema.required?.includes(name) && property.default === undefined;
    // Only plain objects are expanded; unions (secret references: env | keychain | inline) stay one row.
    const value = property;
    const isObject = value.type === 'object' && value.properties;
    const isObjectArray = value.type === 'array' && value.items?.type === 'object' && value.items.properties;
    const defaultText = property.default === undefined || isObject ? '' : `\`${JSON.stringify(property.default)}\``;
    const type = isObject ? 'object' : isObjectArray ? 'list of objects' : describeType(property);
    out.push(`| \`${here}\` | ${type} | ${required ? 'yes' : ''} | ${defaultText} | ${escapeCell(property.description ?? '')} |`);
    if (isObject) rows(value, here, out);
    if (isObjectArray) rows(value.items!, `${here}[]`, out);
  }
}

export function renderConfigReference(): string {
  const out = ['| Field | Type | Required | Default | What it does |', '|---|---|---|---|---|'];
  rows(configJsonSchema() as JsonSchema, '', out);
  return out.join('\n');
}

export const referenceStart = '<!-- generated:config-reference:start (node build/scripts/generate-config-docs.ts) -->';
export const referenceEnd = '<!-- generated:config-reference:end -->';

/** The docs file with its generated section replaced. */
export function withReference(markdown: string): string {
  const start = markdown.indexOf(referenceStart);
  const end = markdown.indexOf(referenceEnd);
  if (start === -1 || end === -1) throw new Error('docs/configuration.md lacks the generated-reference markers');
  return `${markdown.slice(0, start + referenceStart.length)}\n${renderConfigReference()}\n${markdown.slice(end)}`;
}
