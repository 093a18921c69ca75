/**
 * HTTP caching of the public reads (issue 13): ETags derived from what an answer depends on, 304s that skip
 * computing it, Cache-Control per route group, gzip, and the Worker's Cache API in front of the reads.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { PublicEnv } from './auth.js';
import type { VersionedRead } from '../services/marketplace.js';

export type { VersionedRead };

/**
 * The grid, the listings, the tiers and the slots: a shared cache may serve them a few seconds stale,
 * because the check and the purchase re-verify everything against the database.
 */
export const SHARED_READ_CACHE_CONTROL = 'public, max-age=0, s-maxage=5, stale-while-revalidate=30';
/** The tenant comes from the publishable key (or `?key=`, which is in the URL); CORS answers per origin. */
export const SHARED_READ_VARY = 'X-Publishable-Key, Origin, Accept-Encoding';
/** A public read whose tenant came from a parent's or manage link's Bearer token: nobody else's to keep. */
export const PRIVATE_CACHE_CONTROL = 'private, no-store';
export const NO_STORE = 'no-store';
/** How long the Worker's Cache API keeps a read (the shared caches' s-maxage): a changed read has another key anyway. */
const EDGE_ENTRY_CACHE_CONTROL = 'public, s-maxage=5';

/** FNV-1a over two 32-bit lanes: a tag only has to tell versions of one URL apart, and this costs nothing. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Normalised queries by object: the grid's read path hands the same validated query object again and again. */
const NORMALISED = new WeakMap<object, string>();

/** The query as the route validated it, keys sorted, so `?a=1&b=2` and `?b=2&a=1` share a tag. */
function normalised(query: object): string {
  let text = NORMALISED.get(query);
  if (text !== undefined) return text;
  const entries = Object.entries(query).filter(([, value]) => value !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  NORMALISED.set(query, (text = JSON.stringify(entries)));
  return text;
}

/** The strong tag of an answer: tenant, route, normalised query and the versions the answer derives from. */
export function entityTag(tenantId: string, path: string, query: object, version: string): string {
  return `"${hash64(`${tenantId}\n${path}\n${normalised(query)}\n${version}`)}"`;
}

/** The suffix `gzip()` puts inside a strong tag of compressed bytes (RFC 9110 §8.8.3: one tag per representation). */
export const GZIP_TAG_SUFFIX = '-gzip';

const ENTITY_TAGS = /(?:W\/)?"[^"]*"/g;

/** The opaque part of a tag, without `W/` and the encoding suffix: what weak comparison compares. */
function opaque(tag: string): string {
  const bare = tag.startsWith('W/') ? tag.slice(2) : tag;
  return bare.endsWith(`${GZIP_TAG_SUFFIX}"`) ? `${bare.slice(0, -GZIP_TAG_SUFFIX.length - 1)}"` : bare;
}

/**
 * `If-None-Match` against the current tag, by weak comparison (RFC 9110 §13.1.2: GET and HEAD): `*` matches
 * any current representation, a list matches when one member does, `W/` and our encoding suffix are ignored.
 */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const current = opaque(tag);
  return (header.match(ENTITY_TAGS) ?? []).some((candidate) => opaque(candidate) === current);
}

/**
 * Answers a versioned read: 304 with no body when `If-None-Match` matches its tag (the read is never run),
 * else the read's answer with the tag. An answer that would be a 404 (no version) is computed as usual.
 * With a shared cache (the Worker's), an unconditional read without `Authorization` is looked up by its tag
 * first: the key is the tag (tenant, route, query, versions) and the Origin, so an entry can never be another
 * tenant's, nor stale (a change is another tag); it saves a cold isolate the schedule load and the derivation.
 */
export async function conditional<T, R extends Response>(
  c: Context<PublicEnv>,
  cache: SharedCache | undefined,
  query: object,
  answer: VersionedRead<T>,
  respond: (value: T) => R,
): Promise<R> {
  if (answer.version === undefined) return respond(await answer.read());
  const tag = entityTag(c.get('tenantId'), c.req.path, query, answer.version);
  if (noneMatch(c.req.header('if-none-match'), tag)) return c.body(null, 304, { ETag: tag }) as unknown as R;
  const key =
    cache && !c.req.header('authorization')
      ? `${new URL(c.req.url).origin}/__cache/${tag.slice(1, -1)}?origin=${encodeURIComponent(c.req.header('origin') ?? '')}`
      : undefined;
  const hit = key ? await cache!.match(key) : undefined;
  if (hit) {
    const response = new Response(hit.body, hit);
    response.headers.set('X-Cache', 'HIT');
    return response as R;
  }
  const response = respond(await answer.read());
  response.headers.set('ETag', tag);
  if (key) {
    const stored = new Response(response.clone().body, response);
    // s-maxage alone: Miniflare's cache would count stale-while-revalidate into the entry's life too.
    stored.headers.set('Cache-Control', EDGE_ENTRY_CACHE_CONTROL);
    c.executionCtx.waitUntil(cache!.put(key, stored));
    response.headers.set('X-Cache', 'MISS');
  }
  return response;
}

export type CachePolicy = 'shared-read' | 'no-store';

/**
 * Cache-Control (and Vary) for a route group, resolved once (hono/cors style). `shared-read`: a GET's 200
 * or 304 without `Authorization` may be kept by shared caches for seconds; with one (a token named the
 * tenant) it is private and not stored. `no-store`: whatever the route did not set itself (calendar feeds
 * have their own) is not stored. An error is never stored.
 */
export function cacheControl(policy: CachePolicy): MiddlewareHandler {
  const shared = policy === 'shared-read';
  return async function cacheControlMiddleware(c, next) {
    await next();
    const headers = c.res.headers;
    const status = c.res.status;
    if (status >= 400) {
      headers.set('Cache-Control', NO_STORE);
    } else if (shared && (status === 200 || status === 304) && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      headers.set('Cache-Control', c.req.header('authorization') ? PRIVATE_CACHE_CONTROL : SHARED_READ_CACHE_CONTROL);
      headers.set('Vary', SHARED_READ_VARY);
    } else if (shared || !headers.has('Cache-Control')) {
      headers.set('Cache-Control', NO_STORE);
    }
  };
}

/** JSON, HTML, scripts, CSS, SVG and other text: what gzip makes smaller. */
const COMPRESSIBLE = /^\s*(?:text\/|application\/(?:json|javascript|ecmascript|xml|manifest\+json)|image\/svg\+xml)/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
/** Under this many bytes gzip's header and a round of work buy nothing. */
const GZIP_THRESHOLD_BYTES = 1024;

/** Whether `Accept-Encoding` takes gzip (an explicit `gzip;q=0` refuses it, `*` takes it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return accepted;
    if (name === '*') wildcard = accepted;
  }
  return wildcard;
}

function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * Whether the runtime encodes answers itself. On workerd the Worker never sees the client's Accept-Encoding
 * (Cloudflare's front line, and Miniflare like it, sends `br, gzip`), and the front line encodes each answer for
 * its client itself, brotli or gzip, turning a strong tag weak when it does (RFC 9110 §8.8.3). So there gzip()
 * does nothing; Node sends the bytes it is given.
 */
export function runtimeEncodes(): boolean {
  return (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
}

/** `text` gzipped whole (CompressionStream: the same on Node and workerd), for an answer served many times. */
export async function gzipBytes(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The tag of `tag`'s gzipped bytes. */
export function gzipTag(tag: string): string {
  return `${tag.slice(0, -1)}${GZIP_TAG_SUFFIX}"`;
}

/**
 * gzip with CompressionStream, the same code on Node and workerd (no dependency). Not hono/compress: that
 * turns a strong tag weak and cannot give a 304 the tag its 200 had. Here a tagged answer is compressed
 * whatever its size, so its tag gets `-gzip` exactly when the client accepts gzip, on the 200 and the 304
 * alike; an untagged one only from 1 KB. Never a 204/304 body, a HEAD, an encoded body or `no-transform`.
 */
export function gzip(): MiddlewareHandler {
  const encodes = runtimeEncodes();
  return async function gzipMiddleware(c, next) {
    await next();
    if (encodes) return;
    const res = c.res;
    const tag = res.headers.get('ETag');
    // A tag already suffixed was tagged by an inner gzip() (the Node host wraps the app's).
    const strongTag = tag && !tag.startsWith('W/') && !tag.endsWith(`${GZIP_TAG_SUFFIX}"`) ? tag : null;
    const accepted = acceptsGzip(c.req.header('accept-encoding'));
    if (res.status === 304) {
      if (strongTag && accepted) res.headers.set('ETag', gzipTag(strongTag));
      return;
    }
    // `res.body` is asked last, only of what will be compressed: on Node, asking it turns the adapter's
    // lightweight answer into a web stream the adapter then has to pump.
    if (
      res.status === 204 ||
      res.status === 206 ||
      c.req.method === 'HEAD' ||
      res.headers.has('Content-Encoding') ||
      !COMPRESSIBLE.test(res.headers.get('Content-Type') ?? '') ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '')
    )
      return;
    const length = res.headers.get('Content-Length');
    if (!tag && length !== null && Number(length) < GZIP_THRESHOLD_BYTES) return;
    varyOnEncoding(res.headers);
    if (!accepted || !res.body) return;
    const compressed = new Response(res.body.pipeThrough(new CompressionStream('gzip')), res);
    compressed.headers.delete('Content-Length');
    compressed.headers.set('Content-Encoding', 'gzip');
    if (strongTag) compressed.headers.set('ETag', gzipTag(strongTag));
    c.res = undefined;
    c.res = compressed;
  };
}

/** The Worker's `caches.default`, as much of it as the reads use; absent on Node (the ETag path is its fast path). */
export interface SharedCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}
