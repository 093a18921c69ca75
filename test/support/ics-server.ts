import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one path of the loopback ICS server answers, changeable between requests. */
export interface FeedResponse {
  status?: number;
  body?: string;
  /** Sent as ETag; a request whose If-None-Match matches gets 304. */
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** Wait this long before answering (a slow feed). */
  delayMs?: number;
  /** Send the body in chunks without a Content-Length (the size limit must stop a stream). */
  chunked?: boolean;
}

export interface IcsServer {
  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string;
  serve(path: string, response: FeedResponse): void;
  /** The headers of every request for `path` so far. */
  requests(path: string): IncomingHttpHeaders[];
  close(): Promise<void>;
}

const FIXTURES = join(import.meta.dirname, '../api/fixtures/ics');
export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/**
 * A real HTTP server on loopback serving ICS feeds, as Google, Outlook or a tutoring platform would:
 * the API under test fetches from it over the network, on Node and on workerd alike.
 */
export async function startIcsServer(): Promise<IcsServer> {
  const feeds = new Map<string, FeedResponse>();
  const seen = new Map<string, IncomingHttpHeaders[]>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.set(path, [...(seen.get(path) ?? []), req.headers]);
    const feed = feeds.get(path);
    const answer = () => {
      if (!feed) return res.writeHead(404).end('no such feed');
      if (feed.etag && req.headers['if-none-match'] === feed.etag) return res.writeHead(304, { etag: feed.etag }).end();
      const headers: Record<string, string> = { 'content-type': feed.contentType ?? 'text/calendar; charset=utf-8' };
      if (feed.etag) headers.etag = feed.etag;
      if (feed.lastModified) headers['last-modified'] = feed.lastModified;
      const body = feed.body ?? '';
      if (!feed.chunked) return res.writeHead(feed.status ?? 200, headers).end(body);
      res.writeHead(feed.status ?? 200, headers);
      const chunk = 64 * 1024;
      let offset = 0;
      const next = () => {
        if (offset >= body.length || res.destroyed) return res.end();
        const ok = res.write(body.slice(offset, offset + chunk));
        offset += chunk;
        if (ok) setImmediate(next);
        else res.once('drain', next);
      };
      next();
    };
    if (feed?.delayMs) setTimeout(answer, feed.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    serve: (path, response) => void feeds.set(path, response),
    requests: (path) => seen.get(path) ?? [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
