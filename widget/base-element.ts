import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { TaskStatus } from '@lit/task';

/** The part of a `@lit/task` Task the base element drives when the element is detached and re-attached. */
interface ApiTask {
  readonly status: TaskStatus;
  autoRun: boolean | 'afterUpdate';
  abort(reason?: unknown): void;
  run(): Promise<void>;
}

/**
 * What `<smart-pack-grid>` and `<smart-pack-package>` share: the locale they render in, the HTTP client
 * they talk through, their guarded registration, and the rule that a detached element stops talking
 * to the API.
 *
 * `Client` is the element's own client interface; the default one is built from `api-base` by
 * `createClient` and rebuilt only when `api-base` changes, so tasks keyed on it do not re-run.
 */
export abstract class SmartPackElement<Client extends object> extends LitElement {
  /**
   * Registers this class under `tag` unless the tag is already defined, so a page that includes both the
   * module and the IIFE build (or two copies of one) does not throw. A constructor can be registered once
   * only: to use another tag as well, register a subclass (`class MyGrid extends SmartPackGrid {}`).
   */
  static define(this: CustomElementConstructor, tag: string): void {
    // Through a local name: the manifest analyzer reads a literal `customElements.define(tag, this)` as
    // an element named "tag". Each class carries its tag as `@tagname` instead.
    const registry = customElements;
    if (!registry.get(tag)) registry.define(tag, this);
  }

  /** Origin and prefix of the API; "" = same origin as the page. */
  @property({ attribute: 'api-base' }) apiBase = '';
  /**
   * The school's publishable key (`pk_…`): sent as `X-Publishable-Key`, so the API answers with that
   * school's teachers and packs. Safe in a page; never put a secret key here.
   */
  @property({ attribute: 'publishable-key' }) publishableKey = '';
  /** Replace the HTTP client (e.g. to add headers). Defaults to `hono/client`, typed by the API's `AppType`, against `api-base`. */
  @property({ attribute: false }) client?: Client;

  private _defaultClient?: { base: string; client: Client };
  private _abortedOnDisconnect = false;

  /** Builds the default client for an API base. */
  protected abstract createClient(apiBase: string): Client;

  /** The element's tasks that call the API: aborted on detach; those that run from properties re-run on re-attach. */
  protected apiTasks(): readonly ApiTask[] {
    return [];
  }

  /** The injected `client`, else the default one for the current `api-base`. */
  protected api(): Client {
    if (this.client) return this.client;
    if (this._defaultClient?.base !== this.apiBase) {
      this._defaultClient = { base: this.apiBase, client: this.createClient(this.apiBase) };
    }
    return this._defaultClient.client;
  }

  /** Locale from the `lang` attribute, then the nearest `lang` on the page, then the browser. */
  get locale(): string {
    const own = this.getAttribute('lang');
    const page = (this.parentElement?.closest('[lang]') as HTMLElement | null)?.lang || document.documentElement.lang;
    try {
      return Intl.getCanonicalLocales(own || page || navigator.language || 'en')[0] ?? 'en';
    } catch {
      return 'en';
    }
  }

  // `lang` stays the native HTMLElement property (a reactive property would stop it reflecting);
  // observing the attribute is enough to re-render in the new language.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  // A detached element must not keep talking to the API (nor let a late answer land): abort
  // everything in flight, and pick the interrupted work up again if it is re-attached.
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const task of this.apiTasks()) task.abort();
    this._abortedOnDisconnect = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this._abortedOnDisconnect) return;
    this._abortedOnDisconnect = false;
    // PENDING too: a run whose client ignored the abort never settles, and must not block the new one.
    for (const task of this.apiTasks()) {
      if (task.autoRun && (task.status === TaskStatus.ERROR || task.status === TaskStatus.PENDING)) void task.run();
    }
  }

  // Events are documented by each class's @fires tags; dispatching through one helper keeps the
  // manifest analyzer from inventing unnamed entries out of the constructor arguments.
  protected emit(event: Event): void {
    this.dispatchEvent(event);
  }
}
