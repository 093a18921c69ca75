// `npm start`'s first step: is PORT free? Answers in one line before the build spends its seconds,
// instead of a raw EADDRINUSE stack trace once the server tries to listen.
import { createServer } from 'node:net';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT=${process.env.PORT} is not a port number (0–65535).`);
  process.exit(1);
}

const probe = createServer();
probe.once('error', (error) => {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${port} on ${host} is already in use: stop what runs there, or start on another port (PORT=${port + 1} npm start).`
      : `Cannot listen on ${host}:${port} (${code ?? error.message}): set PORT (and HOST) to an address this machine can use.`,
  );
  process.exit(1);
});
probe.listen(port, host, () => probe.close());
