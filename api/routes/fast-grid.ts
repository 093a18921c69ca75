import type { MiddlewareHandler } from 'hono';
import { teacherParam, weeklyAvailabilityQuery, type WeeklyAvailabilityQuery } from '../contract/schemas.js';
import type { AppDeps } from '../deps.js';
import { weeklyGridText } from '../services/marketplace.js';
import { tenantDirectory } from '../services/tenants.js';
import type { CorsAnswerHeaders } from './cors.js';
import {
  acceptsGzip,
  entityTag,
  gzipBytes,
  gzipTag,
  noneMatch,
  runtimeEncodes,
  SHARED_READ_CACHE_CONTROL,
  SHARED_READ_VARY,
} from './http-cache.js';

/** Query strings and gzipped grids remembered; a school's pages ask a handful of each. */
const MAX_REMEMBERED = 512;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value as string);
  map.set(key, value);
  return value;
}

/**
 * A raw query string as the route's validator reads it, or null when the ordinary path should: anything
 * escaped (`%`, `+`), a repeated or value-less parameter, or what the schema refuses (the 400 is worded there).
 */
function plainQuery(raw: string): WeeklyAvailabilityQuery | null {
  if (raw.includes('+')) return null;
  const params: Record<string, string> = {};
  if (raw !== '') {
    for (const pair of raw.split('&')) {
      const at = pair.indexOf('=');
      if (at <= 0) return null;
      const name = pair.slice(0, at);
      if (Object.hasOwn(params, name)) return null;
      params[name] = pair.slice(at + 1);
    }
  }
  const parsed = weeklyAvailabilityQuery.safeParse(params);
  return parsed.success ? parsed.data : null;
}

/**
 * The weekly grid's read path without the middleware stack (issue 13's hot path): a public GET of the grid
 * that the ordinary route would answer 200 or 304 is answered here from the probe, the memoised grid text
 * and, gzipped, its memoised bytes, with every header the stack would add in one plain object (on Node the
 * adapter writes that without building a Headers). Anything else (a token, a HEAD, an escape, an unknown
 * key, teacher, subject or tier, an invalid query, any error) goes on to the ordinary route, which answers
 * it as before; test/api/fast-grid.test.ts holds the two paths to the same answers. On the Worker only a
 * revalidation is answered here: an unconditional read goes through the Cache API on the ordinary path.
 */
export function fastGrid(
  deps: AppDeps,
  cors: { answerHeaders(tenantId: string, origin: string, notModified?: boolean): Promise<CorsAnswerHeaders> },
): MiddlewareHandler {
  const directory = tenantDirectory(deps.store);
  const queries = new Map<string, WeeklyAvailabilityQuery | null>();
  const gzipped = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
  const teacherIds = new Map<string, boolean>();
  const encodes = runtimeEncodes();

  return async function fastGridMiddleware(c, next) {
    if (c.req.method !== 'GET' || c.req.header('authorization') !== undefined) return next();
    const url = c.req.url;
    if (url.includes('%')) return next();
    const at = url.indexOf('?');
    const raw = at < 0 ? '' : url.slice(at + 1);
    let query = queries.get(raw);
    if (query === undefined) query = remember(queries, raw, plainQuery(raw));
    const teacherId = c.req.param('teacherId');
    if (!query || !teacherId) return next();
    let validId = teacherIds.get(teacherId);
    if (validId === undefined) validId = remember(teacherIds, teacherId, teacherParam.safeParse({ teacherId }).success);
    if (!validId) return next();

    const key = c.req.header('x-publishable-key')?.trim() || query.key?.trim() || '';
    const tenantId = key ? await directory.tenantOfPublishableKey(key) : deps.defaultTenantId;
    if (!tenantId) return next();
    try {
      const read = await weeklyGridText(deps, tenantId, teacherId, query);
      if (read.version === undefined) return next();
      const tag = entityTag(tenantId, c.req.path, query, read.version);
      const revalidated = noneMatch(c.req.header('if-none-match'), tag);
      if (!revalidated && deps.sharedCache) return next();
      const compress = !encodes && acceptsGzip(c.req.header('accept-encoding'));
      const allowed = await cors.answerHeaders(tenantId, c.req.header('origin') ?? '', revalidated);
      // What gzip(), cacheControl('shared-read'), noSniff() and tenantCors add on the ordinary path (its Vary
      // already names Origin and Accept-Encoding); a 304 carries no nosniff and exposes nothing.
      const headers: Record<string, string> = {
        ETag: compress ? gzipTag(tag) : tag,
        'Cache-Control': SHARED_READ_CACHE_CONTROL,
        Vary: SHARED_READ_VARY,
      };
      const origin = allowed['Access-Control-Allow-Origin'];
      if (origin !== undefined) headers['Access-Control-Allow-Origin'] = origin;
      const exposed = allowed['Access-Control-Expose-Headers'];
      if (exposed !== undefined) headers['Access-Control-Expose-Headers'] = exposed;
      if (revalidated) return new Response(null, { status: 304, headers });

      const text = await read.read();
      headers['X-Content-Type-Options'] = 'nosniff';
      headers['Content-Type'] = 'application/json';
      if (!compress) return new Response(text, { status: 200, headers });
      let bytes = gzipped.get(tag);
      if (!bytes) bytes = remember(gzipped, tag, gzipBytes(text));
      headers['Content-Encoding'] = 'gzip';
      return new Response(await bytes, { status: 200, headers });
    } catch {
      // A 404 or a race with a change: the ordinary route reads again and words the answer.
      return next();
    }
  };
}
