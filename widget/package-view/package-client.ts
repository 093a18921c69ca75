/** The calls `<smart-pack-package>` makes, over the same typed `hono/client` and JSON reader as the grid. */
import type { DatedSlots, PackageView, SessionOutcome } from '../../api/contract/wire.js';
import { bearer, readJson, typedClient } from '../api-client.js';

export type SlotChoice = { date: string; time: string };

/** The calls the package view makes; swap it (e.g. for a `hono/client` adapter) via the `client` property. */
export interface PackageClient {
  getPackage(packageId: string, signal?: AbortSignal): Promise<PackageView>;
  slots(
    teacherId: string,
    query: { from: string; to: string; duration: number },
    signal?: AbortSignal,
  ): Promise<DatedSlots>;
  reschedule(packageId: string, sessionId: string, slot: SlotChoice): Promise<SessionOutcome>;
  bookFloating(packageId: string, slot: SlotChoice): Promise<SessionOutcome>;
  floatSession(packageId: string, sessionId: string): Promise<SessionOutcome>;
  /** `POST /packages/:id/cancel`: a paid pack's refund by the policy, or an unpaid hold's release. */
  cancelPackage(packageId: string): Promise<PackageView>;
  /** The feed URL to subscribe to: the package's `calendarPath` (it carries a read-only feed token) on this API. */
  calendarUrl(packageId: string, calendarPath?: string): string;
}

/** @param token the parent's or the package's manage token, read per call. */
export function createPackageClient(
  apiBase: string,
  fetchImpl?: typeof fetch,
  token: () => string = () => '',
  publishableKey: () => string = () => '',
): PackageClient {
  const api = typedClient(apiBase, fetchImpl, publishableKey);
  // hono/client pastes path params verbatim; ids come from attributes, so encode them here.
  const e = encodeURIComponent;
  const base = apiBase.replace(/\/+$/, '');
  const auth = () => ({ headers: bearer(token()) });
  const get = (signal?: AbortSignal) => ({
    init: { signal: signal ?? null },
    headers: { accept: 'application/json', ...bearer(token()) },
  });
  const pack = api.packages[':id'];
  const session = (id: string, sessionId: string) => ({ param: { id: e(id), sessionId: e(sessionId) } });
  return {
    getPackage: (id, signal) => readJson(pack.$get({ param: { id: e(id) } }, get(signal))),
    slots: (teacherId, q, signal) =>
      readJson(
        api.marketplace.teachers[':teacherId'].slots.$get(
          { param: { teacherId: e(teacherId) }, query: { from: q.from, to: q.to, duration: String(q.duration) } },
          get(signal),
        ),
      ),
    reschedule: (id, sessionId, slot) =>
      readJson(pack.sessions[':sessionId'].reschedule.$post({ ...session(id, sessionId), json: slot }, auth())),
    bookFloating: (id, slot) => readJson(pack['floating-sessions'].$post({ param: { id: e(id) }, json: slot }, auth())),
    floatSession: (id, sessionId) => readJson(pack.sessions[':sessionId'].float.$post(session(id, sessionId), auth())),
    cancelPackage: (id) => readJson(pack.cancel.$post({ param: { id: e(id) } }, auth())),
    calendarUrl: (id, calendarPath) => `${base}${calendarPath ?? `/packages/${e(id)}/calendar.ics`}`,
  };
}
