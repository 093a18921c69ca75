import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from '../contract/errors.js';

/** The largest request body read (64 KB): a purchase or an admin write is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a body over MAX_BODY_BYTES with 413 before anything reads it: by its Content-Length at once, and
 * a chunked one as soon as the count passes the limit (hono/body-limit). Requests that declare no body are
 * not touched: on Node, reading `c.req.raw.body` of a GET builds a full Request (see wellFormedText).
 */
export function limitBody(): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.json(
        errorBody('payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`, {
          maxBytes: MAX_BODY_BYTES,
        }),
        413,
        { Connection: 'close' },
      ),
  });
  return async function limitBodyMiddleware(c, next) {
    const hasBody = c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined;
    return hasBody ? limit(c, next) : next();
  };
}

/** Every API answer, JSON or not, says its Content-Type is the truth (no MIME sniffing into HTML). */
export function noSniff(): MiddlewareHandler {
  return async function noSniffMiddleware(c, next) {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}
