// What the renderer shows for a caught value (renderer/src/api/errors.ts).
import { describe, expect, it } from 'vitest';
import { messageOf, toError } from '../../../../renderer/src/api/errors.js';

describe('messageOf', () => {
  it("gives an Error's message and anything else as text", () => {
    expect(messageOf(new RangeError('slice 40 of 20'))).toBe('slice 40 of 20');
    expect(messageOf(toError({ name: 'NotFoundError', message: 'series 7 not found' }))).toBe('series 7 not found');
    expect(messageOf('offline')).toBe('offline');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
