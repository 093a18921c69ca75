import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, hmacSha256Hex, sha256Hex, toHex } from '../../api/services/crypto.js';

// Web Crypto results checked against node:crypto, which the API itself must not use (workerd).
describe('crypto helpers (Web Crypto only)', () => {
  it('hex-encodes bytes with two lowercase digits each', () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe('00010f10ff');
    expect(toHex(new Uint8Array([171, 205]).buffer)).toBe('abcd');
  });

  it('computes SHA-256 and HMAC-SHA256 as node:crypto does', async () => {
    expect(await sha256Hex('smart pack ✓')).toBe(createHash('sha256').update('smart pack ✓').digest('hex'));
    expect(await hmacSha256Hex('secret', '1700000000.{"id":1}')).toBe(
      createHmac('sha256', 'secret').update('1700000000.{"id":1}').digest('hex'),
    );
  });

  it('says two secrets are equal only when every byte and the length match', () => {
    expect(constantTimeEqual('test-admin-key', 'test-admin-key')).toBe(true);
    expect(constantTimeEqual('test-admin-kez', 'test-admin-key')).toBe(false);
    expect(constantTimeEqual('test-admin-key-', 'test-admin-key')).toBe(false);
    expect(constantTimeEqual('test-admin-ke', 'test-admin-key')).toBe(false);
    expect(constantTimeEqual('', 'test-admin-key')).toBe(false);
    // Same UTF-16 length, different bytes: compared as UTF-8, never equal.
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});
