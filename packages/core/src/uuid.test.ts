import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from './uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  afterEach(() => vi.restoreAllMocks());

  it('makes v4 UUIDs (the server validates clientId as a UUID)', () => {
    expect(uuid()).toMatch(V4);
  });

  it('falls back to getRandomValues where randomUUID is missing (plain-http pages)', () => {
    // Shadow the prototype's method on the instance, as an insecure context lacks it.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    const random = vi.spyOn(crypto, 'getRandomValues');
    try {
      const ids = new Set(Array.from({ length: 50 }, () => uuid()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(V4);
      expect(random).toHaveBeenCalledTimes(50);
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
  });
});
