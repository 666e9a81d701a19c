import { describe, expect, it } from 'vitest';
import { migrateSettings, SettingsError } from './migrate-settings.ts';
import { parseSettings } from './parse-settings.ts';
import { findMaskedSecrets, looksMasked } from './masked-values.ts';
import { currentSettingsVersion, isLanSharing } from './settings-schema.ts';

describe('settings migrations', () => {
  it('starts from an empty document on first run', () => {
    const { document, migrated } = migrateSettings(undefined);
    expect(document).toEqual({ schemaVersion: currentSettingsVersion, config: {}, preferences: {} });
    expect(migrated).toBe(false);
    const { settings } = parseSettings(document);
    expect(settings.config.server.host).toBe('127.0.0.1');
    expect(settings.preferences.launchAtLogin).toBe(false);
    expect(isLanSharing(settings.config.server.host)).toBe(false);
  });

  it('moves a bare engine config (serve config.json) under `config`, unknown fields included', () => {
    const old = { $schema: './switchyard.schema.json', providers: [{ id: 'gemini', type: 'gemini', keys: [{ id: 'k1', secret: { env: 'GEMINI_API_KEY' }, futureField: 1 }] }], futureTop: true };
    const { document, fromVersion, migrated } = migrateSettings(old);
    expect(fromVersion).toBe(0);
    expect(migrated).toBe(true);
    expect(document).toEqual({
      schemaVersion: 1,
      config: { providers: [{ id: 'gemini', type: 'gemini', keys: [{ id: 'k1', secret: { env: 'GEMINI_API_KEY' }, futureField: 1 }] }], futureTop: true },
      preferences: {},
    });
    expect(old).toHaveProperty('$schema');
  });

  it('refuses a document from a newer version instead of rewriting it', () => {
    expect(() => migrateSettings({ schemaVersion: 99 })).toThrow(/newer Switchyard.*left untouched/s);
    expect(() => migrateSettings({ schemaVersion: 'one' })).toThrow(SettingsError);
    expect(() => migrateSettings([1, 2])).toThrow(/JSON object/);
  });
});

describe('settings validation', () => {
  it('reports unknown fields as warnings and keeps them out of the parsed settings only', () => {
    const document = { schemaVersion: 1, config: { providers: [{ id: 'a', type: 'openai', shinyNew: 'x' }] }, preferences: { theme: 'dark' } };
    const { settings, warnings } = parseSettings(document);
    expect(warnings).toEqual(['config.providers[0].shinyNew: unknown field, kept but ignored', 'preferences.theme: unknown field, kept but ignored']);
    expect(settings.config.providers[0]).not.toHaveProperty('shinyNew');
    expect(document.config.providers[0]).toHaveProperty('shinyNew', 'x');
  });

  it('names every invalid field', () => {
    expect(() => parseSettings({ schemaVersion: 1, config: { server: { port: 'eighty' }, combos: [{ name: 'c', targets: ['nobody/model'] }] } })).toThrow(
      /config\.server\.port: .*expected number/,
    );
  });
});

describe('masked values', () => {
  it('recognises masks and placeholders but not real keys', () => {
    for (const masked of ['****abcd', 'sk-…wxyz', '••••••', '<your key>', '[redacted]', 'xxxxxxxx']) expect(looksMasked(masked), masked).toBe(true);
    // Realistic shapes, assembled at run time so that leak scanners do not take this fixture for a real key.
    for (const real of [['sk', 'ant', 'api03', 'abcdefghijklmnop'].join('-'), 'AIzaSyD-realistic_key_123456']) expect(looksMasked(real), real).toBe(false);
  });

  it('finds masked secrets wherever a secret reference can be', () => {
    const document = {
      schemaVersion: 1,
      config: {
        server: { clientKeys: ['****1234', { env: 'OK' }], managementToken: 'sym-…9999' },
        providers: [{ id: 'a', type: 'openai', keys: [{ id: 'k', secret: { keychain: 'a.k' } }, { id: 'm', secret: '****abcd' }] }],
      },
    };
    expect(findMaskedSecrets(document)).toEqual(['config.server.clientKeys[0]', 'config.server.managementToken', 'config.providers[0].keys[1].secret']);
  });
});
