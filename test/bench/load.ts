/**
 * Load generator, run as its own process so it does not share the server's event loop or core.
 * Reads a job from the JSON file named in argv: { url, urls?, method, bodies?, headers?, connections, seconds,
 * maxRequests? }; request i goes to urls[i] (else url) with bodies[i], so a URL and its body stay paired.
 * Each "connection" is a loop of sequential keep-alive requests; prints one JSON line of results.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

interface Job {
  url: string;
  urls?: string[];
  method: 'GET' | 'POST';
  bodies?: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  maxRequests?: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const dispatcher = new Agent({ connections: job.connections, pipelining: 1, keepAliveTimeout: 10_000 });
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let next = 0;
const deadline = performance.now() + job.seconds * 1000;
const limit = job.maxRequests ?? Number.POSITIVE_INFINITY;

async function worker() {
  while (performance.now() < deadline && next < limit) {
    const i = next++;
    const body = job.bodies ? job.bodies[i % job.bodies.length] : undefined;
    const started = performance.now();
    const url = job.urls ? job.urls[i % job.urls.length]! : job.url;
    const response = await request(url, {
      method: job.method,
      dispatcher,
      headers: body ? { 'content-type': 'application/json', ...job.headers } : job.headers,
      body,
    });
    await response.body.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
  }
}

// Warm up connections and JIT on idempotent requests only (a POST body may be single-use).
if (!job.bodies) {
  const warmupDeadline = performance.now() + 300;
  while (performance.now() < warmupDeadline) {
    const r = await request(job.url, { method: job.method, dispatcher, headers: job.headers });
    await r.body.arrayBuffer();
  }
}
latencies.length = 0;

const started = performance.now();
await Promise.all(Array.from({ length: job.connections }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
console.log(
  JSON.stringify({
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pick(0.5),
    p99: pick(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    statuses,
  }),
);
await dispatcher.close();
