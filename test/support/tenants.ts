import type { CreatedTenant } from '../../api/contract/wire.js';
import { client, type Client } from './http.js';
import { buildScenario, purchaseBody, type Scenario } from './scenario.js';
import type { ApiTarget } from './target.js';

let counter = 0;

/** A tenant made by the operator over HTTP; its keys as the one answer that shows them. */
export async function createTenant(target: ApiTarget, body: Record<string, unknown> = {}): Promise<CreatedTenant> {
  const operator = client(target.url, { authorization: `Bearer ${target.adminKey}` });
  const response = await operator.post('/admin/tenants', { name: `School ${process.pid}-${++counter}`, ...body });
  if (response.status !== 201) throw new Error(`tenant: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CreatedTenant;
}

export interface TenantWorld {
  tenant: CreatedTenant;
  /** A teacher, subject, tier and student made with the tenant's secret key; `api` sends its publishable key. */
  s: Scenario;
  /** One package bought through the public API with the publishable key. */
  pack: { id: string; sessions: { id: string }[] };
  /** Same-origin clients that send only the tenant's secret key, or only its publishable key. */
  admin: Client;
  api: Client;
  /** The tenant's family: its parent token and the tenant's publishable key (buys and manages `pack`). */
  parent: Client;
}

/**
 * A tenant with a scenario and a bought package, everything made with the tenant's own keys. The
 * tenant invoices (`paymentMode: "none"`) unless `body` says otherwise, so `pack` is active at once.
 */
export async function tenantWorld(target: ApiTarget, body: Record<string, unknown> = {}): Promise<TenantWorld> {
  const tenant = await createTenant(target, { paymentMode: 'none', ...body });
  const s = await buildScenario(target, { keys: tenant });
  const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '10:00' }]));
  if (bought.status !== 201) throw new Error(`purchase: ${bought.status} ${JSON.stringify(bought.body)}`);
  return { tenant, s, pack: bought.body, admin: s.admin, api: s.api, parent: s.parent.api };
}
