import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from './json-depth.ts';

const text = (value: string) => Buffer.from(value, 'utf8');

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestsDeeperThan(text('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(nestsDeeperThan(text('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(nestsDeeperThan(text(`{"a":"${'['.repeat(50)}"}`), 3)).toBe(false);
    expect(nestsDeeperThan(text(`{"a":"\\"${'{'.repeat(50)}"}`), 3)).toBe(false);
    expect(nestsDeeperThan(text(`{"a":"\\\\"}${'['.repeat(5)}`), 3)).toBe(true);
  });

  it('refuses the deep tool schemas that overflowed the stack and keeps real ones', () => {
    const deep = `{"tools":[{"input_schema":${'{"type":"object","properties":{"p":'.repeat(3_000)}{}${'}}'.repeat(3_000)}}]}`;
    expect(nestsDeeperThan(text(deep))).toBe(true);
    const realistic = `{"tools":[{"input_schema":${'{"type":"object","properties":{"p":'.repeat(40)}{}${'}}'.repeat(40)}}]}`;
    expect(nestsDeeperThan(text(realistic))).toBe(false);
  });
});
