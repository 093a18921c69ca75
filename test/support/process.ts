import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every test request comes from 127.0.0.1 under a pinned clock, so the whole suite would share one
 * per-IP window of the real limits. Servers the suite starts get limits no test reaches, unless a test
 * asks for others (test/api/rate-limit.test.ts); the limiter still counts every write.
 */
export const SUITE_RATE_LIMIT_ENV = {
  RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
  RATE_LIMIT_CHECKS_PER_MINUTE: '1000000',
  RATE_LIMIT_PURCHASES_PER_HOUR: '1000000',
  RATE_LIMIT_TENANT_WRITES_PER_MINUTE: '1000000',
};

export interface ServerProcess {
  url: string;
  process: ChildProcess;
  /** What the process printed so far (stdout and stderr), its start-up lines included. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `npm start`'s entry as a separate OS process (its own event loop and SQLite connection):
 * from source under tsx, or `compiled`, the JavaScript `npm start` runs (`npm run build` first).
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { compiled?: boolean } = {},
): Promise<ServerProcess> {
  const entry = options.compiled ? ['build/api/server/node.js'] : ['--import', 'tsx', 'api/server/node.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SEED: 'false', ...SUITE_RATE_LIMIT_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Smart Pack Grid on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
