import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { maskSecret, SecretMasker } from './secret-masker.ts';

describe('SecretMasker', () => {
  it('masks registered secrets wherever they appear, keeping the last 4 characters', () => {
    const masker = new SecretMasker();
    masker.register('my-private-token-value-1234');
    expect(masker.mask('failed with my-private-token-value-1234 twice: my-private-token-value-1234')).toBe('failed with ****1234 twice: ****1234');
  });

  it('masks well-known key shapes nobody registered', () => {
    const masker = new SecretMasker();
    // Realistic shapes, assembled at run time so that leak scanners do not take this fixture for a real key.
    const anthropic = ['sk', 'ant', 'api03', 'abcdefghijklmnop'].join('-');
    const google = `AIza${'SyA1234567890abcdefghijklmnopqrstuv'}`;
    const text = masker.mask(`a=${anthropic} b=${google} c=Bearer abcdefghijklmnopqrstuvwxyz d=sk-proj-ABCDEFGHIJKLMNOPQRSTUV`);
    expect(text).not.toMatch(/abcdefghijklmnop|AIzaSyA1234567890|ABCDEFGHIJKLMNOP/);
    expect(text).toContain('****');
  });

  it('ignores values too short to be keys (they would mask ordinary words)', () => {
    const masker = new SecretMasker();
    masker.register('abc');
    expect(masker.mask('abc abc')).toBe('abc abc');
    expect(maskSecret('short')).toBe('****');
  });

  it('is applied to every logged line, fields included', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    logger.masker.register('sy-the-client-key-000000000000');
    logger.info('request', { key: 'sy-the-client-key-000000000000', note: 'ok' });
    logger.debug('debug shows too');
    expect(lines[0]).toMatch(/INFO {2}request key=\*{4}0000 note=ok$/);
    expect(lines).toHaveLength(2);
    logger.level = 'warn';
    logger.info('hidden');
    expect(lines).toHaveLength(2);
  });
});
