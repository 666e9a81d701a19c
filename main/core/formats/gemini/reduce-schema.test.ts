import { describe, expect, it } from 'vitest';
import { isRecord } from '../canonical/json-values.ts';
import { geminiSchemaToJsonSchema, reduceSchemaForGemini } from './reduce-schema.ts';

const allowed = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required', 'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'default', 'items', 'minimum', 'maximum']);

function keywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (!isRecord(schema)) return found;
  for (const [key, value] of Object.entries(schema)) {
    found.add(key);
    if (key === 'properties' && isRecord(value)) Object.values(value).forEach((child) => keywords(child, found));
    else if (key === 'items') keywords(value, found);
    else if (key === 'anyOf' && Array.isArray(value)) value.forEach((child) => keywords(child, found));
  }
  return found;
}

describe('reduceSchemaForGemini', () => {
  it('keeps only keywords Gemini accepts and names what it dropped', () => {
    const dropped = new Set<string>();
    const reduced = reduceSchemaForGemini(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
        properties: {
          command: { type: 'string', description: 'Shell command', minLength: 1 },
          timeout: { type: 'number', exclusiveMinimum: 0, maximum: 600000 },
          mode: { const: 'fast' },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
          when: { type: 'string', format: 'uri' },
        },
        required: ['command', 'missing'],
      },
      dropped,
    );
    expect(reduced).toEqual({
      type: 'OBJECT',
      properties: {
        command: { type: 'STRING', description: 'Shell command', minLength: 1 },
        timeout: { type: 'NUMBER', minimum: 0, maximum: 600000 },
        mode: { type: 'STRING', enum: ['fast'] },
        tags: { type: 'ARRAY', items: { type: 'STRING' } },
        when: { type: 'STRING' },
      },
      required: ['command'],
    });
    expect([...dropped].sort()).toEqual(['$schema', 'additionalProperties', 'exclusiveMinimum', 'format "uri"', 'uniqueItems']);
  });

  it('inlines $ref, merges allOf, turns oneOf and type lists into anyOf / nullable', () => {
    const dropped = new Set<string>();
    const reduced = reduceSchemaForGemini(
      {
        type: 'object',
        $defs: { point: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] } },
        properties: {
          where: { $ref: '#/$defs/point' },
          both: { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'string' } }, required: ['b'] }] },
          either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          maybe: { type: ['string', 'null'] },
          many: { type: ['string', 'number'] },
          self: { $ref: '#' },
        },
      },
      dropped,
    );
    expect(reduced?.properties).toEqual({
      where: { type: 'OBJECT', properties: { x: { type: 'INTEGER' } }, required: ['x'] },
      both: { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'STRING' } }, required: ['b'] },
      either: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
      maybe: { type: 'STRING', nullable: true },
      many: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
      self: { type: 'OBJECT' },
    });
    for (const keyword of keywords(reduced)) expect(allowed).toContain(keyword);
  });

  it('leaves out parameters for a tool without any', () => {
    expect(reduceSchemaForGemini({ type: 'object', properties: {} }, new Set())).toBeUndefined();
  });

  it('turns Gemini OpenAPI schemas back into JSON Schema', () => {
    expect(geminiSchemaToJsonSchema({ type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true } }, propertyOrdering: ['a'] })).toEqual({
      type: 'object',
      properties: { a: { type: ['string', 'null'] } },
    });
  });
});
