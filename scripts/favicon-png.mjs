// Renders the site icon (FAVICON_SVG in api/routes/pages.ts) to the 32 × 32 PNG the pages serve, in Debian's
// Chromium, and writes it to api/routes/favicon-png.ts. Run after changing the SVG: node scripts/favicon-png.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const source = readFileSync(new URL('../api/routes/pages.ts', import.meta.url), 'utf8');
const svg = /export const FAVICON_SVG =\s*([\s\S]*?);\n/.exec(source)?.[1];
if (!svg) throw new Error('FAVICON_SVG not found in api/routes/pages.ts');
// The constant is string literals joined with +: evaluate it as such (our own file).
const markup = new Function(`return ${svg}`)();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage({ viewport: { width: 32, height: 32 }, deviceScaleFactor: 1 });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:32px;height:32px}</style>${markup}`,
  );
  const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: 32, height: 32 } });
  writeFileSync(
    new URL('../api/routes/favicon-png.ts', import.meta.url),
    `/**\n * FAVICON_SVG (pages.ts) as a 32 × 32 PNG, drawn by \`node scripts/favicon-png.mjs\`. A page's icon is decoded in\n * its renderer: an SVG icon builds a whole SVG document on the page's main thread (20-odd ms on a cold phone-class\n * CPU, in the middle of the widget's first paint), a PNG is a small image decode.\n */\n` +
      `export const FAVICON_PNG_BASE64 =\n  '${png.toString('base64')}';\n`,
  );
  console.log(`favicon: ${png.length} bytes`);
} finally {
  await browser.close();
}
