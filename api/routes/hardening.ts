import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorBody } from '../contract/errors.js';

/** The largest request body read (64 KB): a purchase or an admin write is a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a refused chunked body is still read for, so the connection can carry the next request; then it is cut. */
const MAX_DRAIN_BYTES = 1024 * 1024;

function tooLarge(c: Context): Response {
  // Close the connection: its unread rest would otherwise be taken for the next request (@hono/node-server
  // then drops that one).
  return c.json(
    errorBody('payload_too_large', `The request body is over ${MAX_BODY_BYTES} bytes.`, { maxBytes: MAX_BODY_BYTES }),
    413,
    { Connection: 'close' },
  );
}

/**
 * Puts a stream we can still read behind the request's body: hono/body-limit stops reading a chunked body
 * at the limit and keeps its reader, and a body left half-read behind `wrangler dev`'s proxy made the next
 * request on that connection answer 503 (see api/worker.ts). Returns the original reader.
 */
function handOffBody(c: Context): ReadableStreamDefaultReader<Uint8Array> {
  const reader = c.req.raw.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  c.req.raw = new Request(c.req.raw, { body, duplex: 'half' } as RequestInit);
  return reader;
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    for (let read = 0; read <= MAX_DRAIN_BYTES;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.length;
    }
    await reader.cancel();
  } catch {
    // A client that went away: nothing left to read.
  }
}

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a body over MAX_BODY_BYTES with 413 before anything reads it: by its Content-Length at once, and
 * any other as soon as the count passes the limit (hono/body-limit). A GET, HEAD or OPTIONS that declares no
 * body is not touched: on Node, reading `c.req.raw.body` of a GET builds a full Request (see wellFormedText).
 */
export function limitBody(): MiddlewareHandler {
  return async function limitBodyMiddleware(c, next) {
    const length = c.req.header('content-length');
    // A declared length is judged from the header alone: hono/body-limit would first touch `c.req.raw.body`,
    // and on Node that builds a full Request with a web stream over the socket (a third of a check's time).
    if (length !== undefined && c.req.header('transfer-encoding') === undefined)
      return Number.parseInt(length, 10) > MAX_BODY_BYTES ? tooLarge(c) : next();
    // No length: chunked, or a body whose length nobody said (HTTP/2 may send neither header).
    const mayHaveBody = c.req.header('transfer-encoding') !== undefined || !BODILESS.has(c.req.method);
    if (!mayHaveBody || !c.req.raw.body) return next();
    const reader = handOffBody(c);
    return bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: async (c) => {
        await drain(reader);
        return tooLarge(c);
      },
    })(c, next);
  };
}

/**
 * Every API answer with a body, JSON or not, says its Content-Type is the truth (no MIME sniffing into HTML).
 * A 304 has no body to sniff, and a cache keeps the header from the 200 it revalidates.
 */
export function noSniff(): MiddlewareHandler {
  return async function noSniffMiddleware(c, next) {
    await next();
    if (c.res.status !== 304) c.res.headers.set('X-Content-Type-Options', 'nosniff');
  };
}
