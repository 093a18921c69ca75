// What `npm run lint` would refuse on the current tree, counted: ESLint problems per rule, and the
// files Prettier would rewrite with the line churn `npm run format` would cause. Changes no file.
//   node scripts/lint-report.mjs        (or: npm run lint:report)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const eslint = new ESLint();
const results = await eslint.lintFiles(['.']);
const perRule = new Map();
for (const result of results) {
  for (const message of result.messages) {
    const key = `${message.ruleId ?? '(parse error)'} (${message.severity === 2 ? 'error' : 'warning'})`;
    perRule.set(key, (perRule.get(key) ?? 0) + 1);
  }
}
const problems = [...perRule.values()].reduce((a, b) => a + b, 0);
const dirty = results.filter((result) => result.messages.length).length;
console.log(`ESLint: ${problems} problem(s) in ${dirty} file(s)`);
for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${rule}`);

// Tracked and new (not ignored) files, as `prettier --check .` would see them.
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  encoding: 'utf8',
})
  .split('\0')
  .filter(Boolean);
const scratch = mkdtempSync(join(tmpdir(), 'lint-report-'));
const changed = [];
let added = 0;
let removed = 0;
try {
  for (const file of files) {
    const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
    if (info.ignored || !info.inferredParser) continue;
    const source = readFileSync(file, 'utf8');
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    const formatted = await prettier.format(source, options);
    if (formatted === source) continue;
    const before = join(scratch, 'before');
    const after = join(scratch, 'after');
    writeFileSync(before, source);
    writeFileSync(after, formatted);
    let numstat = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--numstat', before, after], { encoding: 'utf8' });
    } catch (error) {
      numstat = String(error.stdout); // git diff --no-index exits 1 when the files differ
    }
    const [plus = '0', minus = '0'] = numstat.trim().split(/\s+/);
    added += Number(plus);
    removed += Number(minus);
    changed.push({ file, plus: Number(plus), minus: Number(minus) });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`Prettier: ${changed.length} file(s) would be reformatted, +${added} -${removed} lines`);
const perTop = new Map();
for (const { file } of changed) {
  const top = file.includes('/') ? `${file.split('/')[0]}/` : file;
  perTop.set(top, (perTop.get(top) ?? 0) + 1);
}
for (const [top, n] of [...perTop].sort()) console.log(`  ${String(n).padStart(5)}  ${top}`);
if (process.argv.includes('--files')) {
  for (const { file, plus, minus } of changed.sort((a, b) => b.plus + b.minus - a.plus - a.minus)) {
    console.log(`  ${`+${plus} -${minus}`.padStart(11)}  ${file}`);
  }
}
