import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { AppDeps } from '../deps.js';
import { packageCalendar } from '../services/calendar.js';
import { bookFloatingSession, completeSession, floatSession, rescheduleSession, teacherSlots } from '../services/lifecycle.js';
import { onInvalid } from './errors.js';
import { packageOr404 } from '../services/lookup.js';
import { idParam, sessionParams, slotsQuery, slotTarget, teacherParam } from '../contract/schemas.js';

/** Public: dated free slots of a teacher (mounted under /marketplace). */
export function teacherSlotRoutes(deps: AppDeps) {
  return new Hono().get(
    '/teachers/:teacherId/slots',
    zValidator('param', teacherParam, onInvalid),
    zValidator('query', slotsQuery, onInvalid),
    async (c) => c.json(await teacherSlots(deps, c.req.valid('param').teacherId, c.req.valid('query'))),
  );
}

/** The parent's side of a package after purchase (mounted under /packages). */
export function packageLifecycleRoutes(deps: AppDeps) {
  return new Hono()
    .post('/:id/floating-sessions', zValidator('param', idParam, onInvalid), zValidator('json', slotTarget, onInvalid), async (c) =>
      c.json(await bookFloatingSession(deps, c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .post(
      '/:id/sessions/:sessionId/reschedule',
      zValidator('param', sessionParams, onInvalid),
      zValidator('json', slotTarget, onInvalid),
      async (c) => {
        const { id: packageId, sessionId } = c.req.valid('param');
        return c.json(await rescheduleSession(deps, packageId, sessionId, c.req.valid('json')));
      },
    )
    .post('/:id/sessions/:sessionId/float', zValidator('param', sessionParams, onInvalid), async (c) => {
      const { id: packageId, sessionId } = c.req.valid('param');
      return c.json(await floatSession(deps, packageId, sessionId));
    })
    .get('/:id/calendar.ics', zValidator('param', idParam, onInvalid), async (c) => {
      const packageId = c.req.valid('param').id;
      const record = await packageOr404(deps, packageId);
      return c.body(packageCalendar(record, { now: deps.now() }), 200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': `inline; filename="smart-pack-${packageId}.ics"`,
        'cache-control': 'private, max-age=300',
      });
    });
}

/** Teacher side, behind the admin token (mounted under /admin). */
export function adminLifecycleRoutes(deps: AppDeps) {
  return new Hono().post(
    '/packages/:id/sessions/:sessionId/complete',
    zValidator('param', sessionParams, onInvalid),
    async (c) => {
      const { id: packageId, sessionId } = c.req.valid('param');
      return c.json(await completeSession(deps, packageId, sessionId));
    },
  );
}
