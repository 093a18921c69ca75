/**
 * Load generator, run as its own process so it does not share the server's event loop or core.
 * Reads a job from the JSON file named in argv: { url, urls?, method, bodies?, headers?, connections, seconds,
 * maxRequests?, warm?, phases? }; request i goes to urls[i] (else url) with bodies[i], so a URL and its body stay paired.
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
  /** Warm up on the first body too: set when every body may be sent any number of times (the check). */
  warm?: boolean;
}

interface Spec extends Job {
  /** Run in turn in this one process, each with its own warm-up and figures: a paired row's rounds. */
  phases?: Partial<Job>[];
}

const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Spec;

async function run(job: Job) {
  const dispatcher = new Agent({ connections: job.connections, pipelining: 1, keepAliveTimeout: 10_000 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const limit = job.maxRequests ?? Number.POSITIVE_INFINITY;
  const send = async (i: number) => {
    const body = job.bodies ? job.bodies[i % job.bodies.length] : undefined;
    const url = job.urls ? job.urls[i % job.urls.length]! : job.url;
    const response = await request(url, {
      method: job.method,
      dispatcher,
      headers: body ? { 'content-type': 'application/json', ...job.headers } : job.headers,
      body,
    });
    await response.body.arrayBuffer();
    return response.statusCode;
  };

  // Warm up connections and JIT on idempotent requests only (a POST body may be single-use).
  if (!job.bodies || job.warm) {
    const warmupDeadline = performance.now() + 300;
    while (performance.now() < warmupDeadline) await send(0);
  }

  const deadline = performance.now() + job.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && next < limit) {
      const i = next++;
      const started = performance.now();
      const status = await send(i);
      latencies.push(performance.now() - started);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: job.connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  await dispatcher.close();
  return {
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pick(0.5),
    p99: pick(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    statuses,
    /** The load process's own CPU per request, µs: a row the client cannot send faster is measuring the client. */
    clientCpuUs: (used.user + used.system) / Math.max(1, latencies.length),
  };
}

if (spec.phases) {
  const phases = [];
  for (const phase of spec.phases) phases.push(await run({ ...spec, ...phase }));
  console.log(JSON.stringify({ phases }));
} else console.log(JSON.stringify(await run(spec)));
