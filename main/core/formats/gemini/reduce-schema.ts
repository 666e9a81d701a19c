// JSON Schema -> the OpenAPI Schema subset Gemini accepts in functionDeclarations[].parameters and
// generationConfig.responseSchema (docs/wire-formats.md, Gemini API; the `Schema` type of @google/genai). Gemini rejects unknown keywords, so this is
// an allowlist: $ref is inlined, allOf merged, oneOf becomes anyOf, type lists become nullable, const becomes a
// one-value enum, and everything else is dropped and named in one warning.
import { isRecord, type JsonObject } from '../canonical/json-values.ts';

const maxDepth = 24;
const stringFormats = new Set(['enum', 'date-time']);
const numberFormats = new Set(['float', 'double', 'int32', 'int64']);
const copiedKeywords = ['description', 'title', 'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties', 'minimum', 'maximum', 'pattern', 'default', 'example'] as const;

interface ReduceState {
  root: JsonObject;
  dropped: Set<string>;
  refStack: string[];
}

function resolveRef(ref: string, state: ReduceState): JsonObject | undefined {
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const definitions = state.root[match[1]!];
  const name = decodeURIComponent(match[2]!.replace(/~1/g, '/').replace(/~0/g, '~'));
  return isRecord(definitions) && isRecord(definitions[name]) ? definitions[name] : undefined;
}

function mergeAllOf(schema: JsonObject): JsonObject {
  const parts = Array.isArray(schema.allOf) ? schema.allOf.filter(isRecord) : [];
  const merged: JsonObject = { ...schema };
  delete merged.allOf;
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isRecord(value)) merged.properties = { ...(isRecord(merged.properties) ? merged.properties : {}), ...value };
      else if (key === 'required' && Array.isArray(value)) merged.required = [...new Set([...(Array.isArray(merged.required) ? merged.required : []), ...value])];
      else if (!(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

function geminiType(type: string): string {
  return type.toUpperCase();
}

function reduce(input: JsonObject, state: ReduceState, depth: number): JsonObject {
  if (depth > maxDepth) {
    state.dropped.add('(nesting deeper than 24 levels)');
    return { type: 'OBJECT' };
  }
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    const target = state.refStack.includes(ref) ? undefined : resolveRef(ref, state);
    if (!target) {
      state.dropped.add('$ref (recursive or external)');
      return { type: 'OBJECT', ...(typeof schema.description === 'string' ? { description: schema.description } : {}) };
    }
    state.refStack.push(ref);
    const { $ref: _ref, ...siblings } = schema;
    const reduced = reduce({ ...target, ...siblings }, state, depth + 1);
    state.refStack.pop();
    return reduced;
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema);
  const out: JsonObject = {};
  for (const keyword of Object.keys(schema)) {
    if (!['type', 'properties', 'required', 'items', 'enum', 'const', 'format', 'nullable', 'anyOf', 'oneOf', '$defs', 'definitions', ...copiedKeywords].includes(keyword)) {
      state.dropped.add(keyword);
    }
  }
  for (const keyword of copiedKeywords) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  if (schema.exclusiveMinimum !== undefined && typeof schema.exclusiveMinimum === 'number' && out.minimum === undefined) out.minimum = schema.exclusiveMinimum;
  if (schema.exclusiveMaximum !== undefined && typeof schema.exclusiveMaximum === 'number' && out.maximum === undefined) out.maximum = schema.exclusiveMaximum;

  let types = Array.isArray(schema.type) ? schema.type.filter((item): item is string => typeof item === 'string') : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.includes('null') || schema.nullable === true) out.nullable = true;
  types = types.filter((type) => type !== 'null');
  if (types.length > 1) {
    out.anyOf = types.map((type) => reduce({ ...schema, type, anyOf: undefined, oneOf: undefined, nullable: undefined }, state, depth + 1));
    return stripUndefined(out);
  }
  const type = types[0]?.toLowerCase();
  if (type) out.type = geminiType(type);

  if (schema.const !== undefined) {
    out.enum = [String(schema.const)];
    out.type = 'STRING';
  } else if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((value) => value !== null);
    if (type === undefined || type === 'string') {
      out.enum = values.map(String);
      out.type = 'STRING';
    } else state.dropped.add('enum (non-string values)');
  }
  if (typeof schema.format === 'string') {
    if ((type === 'string' && stringFormats.has(schema.format)) || ((type === 'number' || type === 'integer') && numberFormats.has(schema.format))) out.format = schema.format;
    else state.dropped.add(`format "${schema.format}"`);
  }
  const variants = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (variants) {
    const reduced = variants.filter(isRecord).filter((variant) => variant.type !== 'null').map((variant) => reduce(variant, state, depth + 1));
    if (variants.some((variant) => isRecord(variant) && variant.type === 'null')) out.nullable = true;
    if (reduced.length === 1) Object.assign(out, { ...reduced[0], ...out });
    else if (reduced.length > 1) out.anyOf = reduced;
  }
  if (isRecord(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, value] of Object.entries(schema.properties)) properties[name] = isRecord(value) ? reduce(value, state, depth + 1) : {};
    out.properties = properties;
    if (!out.type) out.type = 'OBJECT';
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter((name): name is string => typeof name === 'string' && name in properties);
      if (required.length) out.required = required;
    }
  }
  if (schema.items !== undefined) {
    const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    if (Array.isArray(schema.items)) state.dropped.add('items (tuple form)');
    out.items = isRecord(items) ? reduce(items, state, depth + 1) : { type: 'STRING' };
    if (!out.type) out.type = 'ARRAY';
  } else if (out.type === 'ARRAY') out.items = { type: 'STRING' };
  return stripUndefined(out);
}

function stripUndefined(schema: JsonObject): JsonObject {
  for (const key of Object.keys(schema)) if (schema[key] === undefined) delete schema[key];
  return schema;
}

/**
 * Reduces `schema` for Gemini. Returns undefined for a parameterless tool (Gemini rejects an OBJECT without
 * properties at the top of a function declaration). `dropped` collects the keywords that were removed.
 */
export function reduceSchemaForGemini(schema: JsonObject, dropped: Set<string>): JsonObject | undefined {
  const reduced = reduce(schema, { root: schema, dropped, refStack: [] }, 0);
  if (reduced.type === 'OBJECT' && (!isRecord(reduced.properties) || Object.keys(reduced.properties).length === 0)) return undefined;
  return reduced;
}

/** Gemini OpenAPI-style schema (uppercase types, nullable) -> ordinary JSON Schema for other formats. */
export function geminiSchemaToJsonSchema(schema: unknown): JsonObject {
  if (!isRecord(schema)) return {};
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, geminiSchemaToJsonSchema(child)]));
    else if (key === 'items') out.items = geminiSchemaToJsonSchema(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(geminiSchemaToJsonSchema);
    else if (key === 'nullable' || key === 'propertyOrdering') continue;
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}
