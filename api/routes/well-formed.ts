import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
/** An escape that may spell half of a surrogate pair; without one, parsed JSON has none. */
export const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
// Without the `u` flag the pattern sees UTF-16 code units; String#isWellFormed is not in our ES2023 lib.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function invalidText(where: 'body' | 'path' | 'query', message: string, path: string | null = null): ApiError {
  return new ApiError(400, 'invalid_text', message, { where, path });
}

/** True when every run of percent-escapes in `raw` decodes as UTF-8 (a lone `%` is left to the validators). */
function percentEscapesAreUtf8(raw: string): boolean {
  for (const run of raw.match(PERCENT_RUN) ?? []) {
    try {
      utf8.decode(Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16)));
    } catch {
      return false;
    }
  }
  return true;
}

/** The dotted path of the first key or string holding a lone surrogate, or null. Iterative: bodies may nest deeply. */
function loneSurrogateAt(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (LONE_SURROGATE.test(node)) return path;
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (LONE_SURROGATE.test(key)) return path;
        stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

/**
 * Refuses text that is not well-formed Unicode before any route reads it. Decoding a body quietly
 * turns invalid UTF-8 into U+FFFD, and JSON can spell a lone surrogate (`"\ud800"`) in plain
 * ASCII, which SQLite then stores as invalid UTF-8; both would be written as if the parent had
 * typed them. Percent-escapes in the path and query that are not UTF-8 are refused the same way
 * (Hono would keep them as literal `%XX` text). The body is read and decoded once, and the text is
 * left in Hono's body cache, so the validators' `c.req.json()` later parses the same text.
 */
export function wellFormedText(): MiddlewareHandler {
  return async function wellFormedTextMiddleware(c, next) {
    // From the URL text, not `new URL()`, and the body only when the request says it has one: on Node,
    // touching `c.req.raw.body` of a GET makes the adapter build a full Request, which cost the cached
    // grid about a third of its throughput.
    const url = c.req.url;
    const queryAt = url.indexOf('?');
    const pathname = queryAt < 0 ? url : url.slice(0, queryAt);
    if (url.includes('%')) {
      if (!percentEscapesAreUtf8(pathname))
        throw invalidText('path', 'The path has percent-escapes that are not UTF-8.');
      if (queryAt >= 0 && !percentEscapesAreUtf8(url.slice(queryAt))) {
        throw invalidText('query', 'The query string has percent-escapes that are not UTF-8.');
      }
    }
    // `c.req.raw.body` is not asked: on Node that alone builds the full Request; the adapter reads the
    // socket directly for arrayBuffer(). A GET or HEAD has no body to read, whatever its headers say.
    const hasBody =
      (c.req.header('content-length') !== undefined || c.req.header('transfer-encoding') !== undefined) &&
      c.req.method !== 'GET' &&
      c.req.method !== 'HEAD';
    if (hasBody) {
      let text: string;
      try {
        text = utf8.decode(await c.req.arrayBuffer());
      } catch {
        throw invalidText('body', 'The request body is not valid UTF-8.');
      }
      // The validators' `c.req.json()` reads Hono's text cache first: parse these decoded bytes, not
      // a second Response built from the cached ArrayBuffer.
      (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
      if (SURROGATE_ESCAPE.test(text)) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: the validators answer that.
        }
        const at = loneSurrogateAt(parsed);
        if (at !== null) {
          throw invalidText(
            'body',
            'Text in the request body must be well-formed Unicode (it has a lone surrogate).',
            at,
          );
        }
      }
    }
    await next();
  };
}
