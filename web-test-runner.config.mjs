// Browser tests of <smart-pack-grid> in the system Chromium (never a downloaded browser).
// esbuild compiles TS with tsconfig.json so experimentalDecorators applies exactly as in `vite build`;
// test/widget/dist.test.ts additionally loads the built file, which is what partners get.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export default {
  // The teacher editor's tests drive a real mouse through the browser's protocol, which only the foreground tab
  // receives reliably: among 4 concurrent test pages a press could be lost ("'left' is not pressed"). They run
  // alone, in their own pass (`npm run test:browser`; `npx wtr --files <file>` runs any one file).
  files: ['test/widget/**/*.test.ts', '!test/widget/smart-pack-teacher.test.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
  concurrency: 4,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 120_000,
};
