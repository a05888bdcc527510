import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { hashSessionId, rememberSessionHash, sessionHashOf } from './session-data.js';

describe('sessionHashOf', () => {
  it("is the SHA-256 of the request's session ID, as the store keys the row", () => {
    const req = { sessionID: 'first-id' } as Request;
    expect(sessionHashOf(req)).toBe(hashSessionId('first-id'));
    expect(sessionHashOf(req)).toBe(hashSessionId('first-id'));
  });

  it('follows a rotation: after req.sessionID changes, the new ID is hashed, never the old hash reused [S-FIXATION]', () => {
    const req = { sessionID: 'before-rotation' } as Request;
    expect(sessionHashOf(req)).toBe(hashSessionId('before-rotation'));
    req.sessionID = 'after-rotation';
    expect(sessionHashOf(req)).toBe(hashSessionId('after-rotation'));
  });

  it("reuses the hash the store looked the row up by, for that ID only", () => {
    const req = { sessionID: 'loaded-id' } as Request;
    rememberSessionHash(req, 'loaded-id', 'the-hash-the-store-used');
    expect(sessionHashOf(req)).toBe('the-hash-the-store-used');
    req.sessionID = 'another-id';
    expect(sessionHashOf(req)).toBe(hashSessionId('another-id'));
  });
});
