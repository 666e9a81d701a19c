import { describe, expect, it } from 'vitest';
import { applyHostOverride } from './host-overrides.ts';

describe('network.hostOverrides', () => {
  const overrides = { 'github.com': 'http://127.0.0.1:9001', 'api.githubcopilot.com': 'https://mirror.corp/copilot/' };
  it('replaces the origin of an overridden host and keeps path and query', () => {
    expect(applyHostOverride('https://github.com/login/device/code?x=1', overrides)).toBe('http://127.0.0.1:9001/login/device/code?x=1');
    expect(applyHostOverride('https://api.githubcopilot.com/chat/completions', overrides)).toBe('https://mirror.corp/copilot/chat/completions');
  });
  it('leaves other hosts (and subdomains of an overridden one) alone', () => {
    expect(applyHostOverride('https://api.github.com/user', overrides)).toBe('https://api.github.com/user');
    expect(applyHostOverride('https://github.com/x', undefined)).toBe('https://github.com/x');
  });
});
