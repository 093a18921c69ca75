import { KEY_PREFIX, type KeyKind } from '../contract/auth.js';
import { findLiveKey } from '../db/repositories/tenants.js';
import type { Store } from '../db/store.js';
import { sha256Hex } from './crypto.js';

/**
 * A new API key: 32 random bytes, base64url, behind its kind's prefix. Only its SHA-256 is stored
 * (a key is as long as a password manager's and random, so a fast hash is enough); `prefix` names it
 * in listings without revealing it.
 */
export async function newKey(kind: KeyKind): Promise<{ key: string; hash: string; prefix: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const body = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  const key = `${KEY_PREFIX[kind]}${body}`;
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, KEY_PREFIX[kind].length + 6) };
}

/** The tenant of a live key of the given kind, or undefined (unknown, revoked, or the other kind). */
export async function tenantOfKey(store: Store, key: string, kind: KeyKind): Promise<string | undefined> {
  if (!key.startsWith(KEY_PREFIX[kind]) || key.length > 200) return undefined;
  const found = await findLiveKey(store.db, await sha256Hex(key));
  return found?.kind === kind ? found.tenantId : undefined;
}
