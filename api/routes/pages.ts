/**
 * The HTML pages beside the API (the demo, the hosted booking page, the manage page), served the same way
 * by the Node host and the Worker, which differ only in how they read the files.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders, type SecureHeadersVariables } from 'hono/secure-headers';
import { handleError, handleNotFound } from './errors.js';
import { FAVICON_PNG_BASE64 } from './favicon-png.js';

type PageEnv = { Variables: SecureHeadersVariables };

/** A CSP source keyword or a host source (`https://school.example`, `*.school.example`); nothing that ends a directive. */
const SOURCE = /^(?:'self'|'none'|(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*\.)?[A-Za-z0-9.-]+(?::\d+)?|https?:)$/;

/**
 * `FRAME_ANCESTORS`: who may frame /book and /pack, as CSP sources separated by spaces or commas
 * (`'self' https://school.example`); `self` and `none` may be written without quotes. Unset: `'self'`.
 */
export function frameAncestorsFrom(value: string | undefined): string[] {
  const sources = (value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((source) => (source === 'self' || source === 'none' ? `'${source}'` : source));
  for (const source of sources) {
    if (!SOURCE.test(source)) throw new Error(`FRAME_ANCESTORS: ${source} is not a CSP source`);
  }
  if (sources.includes("'none'") && sources.length > 1) throw new Error(`FRAME_ANCESTORS: 'none' stands alone`);
  return sources.length > 0 ? sources : ["'self'"];
}

/**
 * Security headers of a page (hono/secure-headers). The CSP allows what the pages do: the widget's module
 * scripts from /dist/ and the API on this origin, inline scripts only with this response's nonce, inline
 * styles (the widget sets a style attribute for its grid's column count). `frameAncestors` decides who may
 * frame it; X-Frame-Options, which cannot name other origins, is sent only while that is this origin alone.
 */
export function pageHeaders(frameAncestors: string[]): MiddlewareHandler<PageEnv> {
  const sameOrigin = frameAncestors.length === 1 && frameAncestors[0] === "'self'";
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", NONCE],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors,
    },
    xFrameOptions: sameOrigin ? 'SAMEORIGIN' : false,
    crossOriginResourcePolicy: sameOrigin ? 'same-origin' : 'cross-origin',
    // The manage page's URL carries its token: no Referer may take it to another site.
    referrerPolicy: 'no-referrer',
  });
}

/** The page with this response's CSP nonce on each of its script elements. */
function withNonce(c: Context<PageEnv>, html: string): string {
  const nonce = c.get('secureHeadersNonce');
  return nonce ? html.replace(/<script(?=[\s>])/gi, `<script nonce="${nonce}"`) : html;
}

export interface PagesOptions {
  /** Reads `demo/<name>`; null when it is not there. */
  read: (name: string, c: Context) => string | null | Promise<string | null>;
  /** Who may frame /book and /pack (`frameAncestorsFrom`). */
  frameAncestors: string[];
}

/** The site icon: a 2 × 2 grid of sessions, one taken, in the widget's accent (an SVG, no file to ship). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="7" fill="#0b5cad"/>' +
  '<g fill="#fff"><rect x="6" y="6" width="9" height="9" rx="2"/><rect x="17" y="6" width="9" height="9" rx="2"/>' +
  '<rect x="6" y="17" width="9" height="9" rx="2"/></g>' +
  '<rect x="17.5" y="17.5" width="8" height="8" rx="2" fill="none" stroke="#fff" stroke-width="1.5"/></svg>';

const ICON_CACHE = 'public, max-age=86400';
const faviconSvg = (c: Context) =>
  c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml', 'cache-control': ICON_CACHE });
// Decoded once, at start-up (atob is on Node and the Worker alike); a Response copies the bytes it is given.
const FAVICON_PNG = Uint8Array.from(atob(FAVICON_PNG_BASE64), (ch) => ch.charCodeAt(0));
const faviconPng = (c: Context) =>
  c.body(FAVICON_PNG, 200, { 'content-type': 'image/png', 'cache-control': ICON_CACHE });

/** `/`, `/book/:teacherId`, `/partner` and `/pack/:packageId`, with their security headers; the favicon. */
export function pages(options: PagesOptions) {
  const own = pageHeaders(["'self'"]);
  const embeddable = pageHeaders(options.frameAncestors);
  const page = (name: string) => async (c: Context<PageEnv>) => {
    const html = await options.read(name, c);
    // no-cache: each visit revalidates, so a page never names a widget release that is gone.
    return html === null ? handleNotFound(c) : c.html(withNonce(c, html), 200, { 'Cache-Control': 'no-cache' });
  };
  const app = new Hono<PageEnv>()
    .get('/', own, page('index.html'))
    .get('/book/:teacherId', embeddable, page('book.html'))
    .get('/partner', own, page('partner.html'))
    .get('/pack/:packageId', embeddable, page('pack.html'))
    .get('/teach', own, page('teach.html'))
    // Browsers ask for /favicon.ico whatever the page says: answer it rather than 404 on every page. A PNG (browsers
    // take PNG bytes at .ico): an SVG icon costs the page's main thread a whole SVG document during its first paint.
    .get('/favicon.ico', faviconPng)
    .get('/favicon.png', faviconPng)
    .get('/favicon.svg', faviconSvg);
  app.onError(handleError);
  return app;
}
