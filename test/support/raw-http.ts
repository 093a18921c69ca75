import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';

/** An answer as it crossed the wire: fetch would add Accept-Encoding and decode, these helpers do neither. */
export interface RawAnswer {
  status: number;
  /** Header names in lower case, repeated ones joined. */
  headers: Record<string, string>;
  /** The body decoded from its Content-Encoding. */
  text: string;
  /** The body's bytes as sent. */
  sent: number;
}

/** One request with exactly these headers (and body), over a fresh connection. */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        const gzipped = res.headers['content-encoding'] === 'gzip' && bytes.length > 0;
        const text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
        resolve({ status: res.statusCode!, headers, text, sent: bytes.length });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * What differs between two answers by transport or by the state of the Worker's cache (the second of two
 * equal reads is its hit), not by what they say.
 */
const TRANSPORT = [
  'date',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'age',
  'cf-cache-status',
  'x-cache',
];

/** An answer as a client or cache reads it: status, headers but `TRANSPORT` and `ignore`, parsed body. */
export function meaning(answer: RawAnswer, ignore: string[] = []) {
  const skip = new Set([...TRANSPORT, ...ignore]);
  return {
    status: answer.status,
    headers: Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !skip.has(name))),
    body: answer.text ? (JSON.parse(answer.text) as unknown) : null,
  };
}
