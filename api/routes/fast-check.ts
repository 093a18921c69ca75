import type { MiddlewareHandler } from 'hono';
import { checkMultiSlot, type CheckMultiSlotBody } from '../contract/schemas.js';
import type { AppDeps } from '../deps.js';
import { checkAvailability } from '../services/packages.js';
import { consume, deploymentLimits } from '../services/rate-limit.js';
import { tenantDirectory } from '../services/tenants.js';
import type { CorsAnswerHeaders } from './cors.js';
import { MAX_BODY_BYTES } from './hardening.js';
import { acceptsGzip, gzipBytes, NO_STORE, runtimeEncodes } from './http-cache.js';
import { decisionHeaders, MAX_IP_LENGTH, PER_IP_WHAT, refusal } from './rate-limit.js';
import { SURROGATE_ESCAPE } from './well-formed.js';

/** Bodies remembered, validated; a body longer than this is validated on the ordinary route each time. */
const MAX_REMEMBERED = 512;
const MAX_REMEMBERED_BODY = 4096;
/** The per-IP limit's window (perIpLimits). */
const WINDOW_SECONDS = 60;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The availability check's path without the middleware stack (issue 13): a parent's browser re-checks the
 * same picks as they click, so a plain check (JSON without a charset, a publishable key or the default
 * tenant, no Authorization, no query) is validated once per body text, answered from the schedule's memo
 * and its text memoised per answer, counted in the per-IP checks limit exactly as perIpLimits counts it, and
 * sent with every header the stack adds in one plain object. Everything it does before counting is a read:
 * anything it cannot answer 200 (an invalid body, an unknown id, a scheduling refusal, any error) goes on to
 * the ordinary route uncounted, which then counts and answers it. test/api/fast-check.test.ts holds the two
 * paths to the same answers, a 429 included.
 */
export function fastCheck(
  deps: AppDeps,
  cors: { answerHeaders(tenantId: string, origin: string): Promise<CorsAnswerHeaders> },
): MiddlewareHandler {
  const directory = tenantDirectory(deps.store);
  const limit = deploymentLimits(deps).checksPerMinutePerIp;
  const bodies = new Map<string, CheckMultiSlotBody | null>();
  const texts = new WeakMap<object, string>();
  const gzipped = new WeakMap<object, Promise<Uint8Array<ArrayBuffer>>>();
  const encodes = runtimeEncodes();

  return async function fastCheckMiddleware(c, next) {
    const length = Number(c.req.header('content-length'));
    if (
      c.req.method !== 'POST' ||
      c.req.header('content-type') !== 'application/json' ||
      c.req.header('authorization') !== undefined ||
      c.req.header('transfer-encoding') !== undefined ||
      !(length > 0 && length <= MAX_BODY_BYTES) ||
      c.req.url.includes('?') ||
      c.req.url.includes('%')
    )
      return next();
    const key = c.req.header('x-publishable-key')?.trim() ?? '';
    const tenantId = key ? await directory.tenantOfPublishableKey(key) : deps.defaultTenantId;
    if (!tenantId) return next();

    // Read once; Hono keeps the bytes, so the ordinary route reads the same ones if this hands over.
    let text: string;
    try {
      text = utf8.decode(await c.req.arrayBuffer());
    } catch {
      return next();
    }
    if (SURROGATE_ESCAPE.test(text)) return next();
    let body = bodies.get(text);
    if (body === undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return next();
      }
      const result = checkMultiSlot.safeParse(parsed);
      body = result.success ? result.data : null;
      if (text.length <= MAX_REMEMBERED_BODY) {
        if (bodies.size >= MAX_REMEMBERED) bodies.delete(bodies.keys().next().value as string);
        bodies.set(text, body);
      }
    }
    if (!body) return next();

    let answer: object;
    try {
      answer = await checkAvailability(deps, tenantId, body);
    } catch {
      return next();
    }
    const ip = (deps.clientIp?.(c) ?? 'local').slice(0, MAX_IP_LENGTH);
    const decision = await consume(deps, `ip:${ip}:checks`, { limit, windowSeconds: WINDOW_SECONDS });

    const allowed = await cors.answerHeaders(tenantId, c.req.header('origin') ?? '');
    const compress = !encodes && acceptsGzip(c.req.header('accept-encoding'));
    // What cacheControl('no-store'), noSniff(), tenantCors and gzip() add on the ordinary path.
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Cache-Control': NO_STORE,
      'X-Content-Type-Options': 'nosniff',
    };
    // gzip() names Accept-Encoding where it compresses (not on workerd, whose front line encodes).
    const vary = [allowed.Vary, encodes ? undefined : 'Accept-Encoding'].filter(Boolean).join(', ');
    if (vary) headers.Vary = vary;
    const origin = allowed['Access-Control-Allow-Origin'];
    if (origin !== undefined) headers['Access-Control-Allow-Origin'] = origin;
    const exposed = allowed['Access-Control-Expose-Headers'];
    if (exposed !== undefined) headers['Access-Control-Expose-Headers'] = exposed;

    if (!decision.allowed) {
      const refused = refusal(decision, WINDOW_SECONDS, PER_IP_WHAT);
      Object.assign(headers, refused.headers);
      if (!compress) return new Response(refused.text, { status: 429, headers });
      headers['Content-Encoding'] = 'gzip';
      return new Response(await gzipBytes(refused.text), { status: 429, headers });
    }
    Object.assign(headers, decisionHeaders(decision));
    let json = texts.get(answer);
    if (json === undefined) texts.set(answer, (json = JSON.stringify(answer)));
    if (!compress) return new Response(json, { status: 200, headers });
    let bytes = gzipped.get(answer);
    if (!bytes) gzipped.set(answer, (bytes = gzipBytes(json)));
    headers['Content-Encoding'] = 'gzip';
    return new Response(await bytes, { status: 200, headers });
  };
}
