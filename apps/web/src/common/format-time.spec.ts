import { describe, expect, it } from 'vitest';
import { formatRelative } from './format-time';

const now = Date.parse('2026-03-10T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('formatRelative', () => {
  it.each([
    [20, 'now'],
    [5 * 60, '5 minutes ago'],
    [3 * 3600, '3 hours ago'],
    [24 * 3600, 'yesterday'],
    [3 * 24 * 3600, '3 days ago'],
    [40 * 24 * 3600, 'last month'],
  ])('describes %i seconds ago as %j', (seconds, text) => {
    expect(formatRelative(ago(seconds), now)).toBe(text);
  });
});
