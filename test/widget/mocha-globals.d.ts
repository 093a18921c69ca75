// web-test-runner runs Mocha in the page; its BDD globals are declared here because
// @types/mocha is not a dependency (and would clash with vitest's globals elsewhere).
interface MochaContext {
  timeout(ms: number): void;
  retries(n: number): void;
}
declare function describe(name: string, fn: (this: MochaContext) => void): void;
declare function it(name: string, fn: (this: MochaContext) => unknown): void;
declare function before(fn: (this: MochaContext) => unknown): void;
declare function after(fn: (this: MochaContext) => unknown): void;
declare function beforeEach(fn: (this: MochaContext) => unknown): void;
declare function afterEach(fn: (this: MochaContext) => unknown): void;
