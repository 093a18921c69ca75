import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
/** An escape that may spell half of a surrogate pair; without one, parsed JSON has none. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
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
 * (Hono would keep them as literal `%XX` text). The body is read once through `c.req.arrayBuffer()`,
 * which Hono caches, so the validators' `c.req.json()` later parses the same bytes.
 */
export function wellFormedText(): MiddlewareHandler {
  return async function wellFormedTextMiddleware(c, next) {
    const url = new URL(c.req.url);
    if (!percentEscapesAreUtf8(url.pathname))
      throw invalidText('path', 'The path has percent-escapes that are not UTF-8.');
    if (!percentEscapesAreUtf8(url.search)) {
      throw invalidText('query', 'The query string has percent-escapes that are not UTF-8.');
    }
    if (c.req.raw.body) {
      let text: string;
      try {
        text = utf8.decode(await c.req.arrayBuffer());
      } catch {
        throw invalidText('body', 'The request body is not valid UTF-8.');
      }
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
