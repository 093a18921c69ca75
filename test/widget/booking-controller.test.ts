// The booking controller on its own, against a bare host: what it sends, which key it uses and when it
// fires, without rendering anything.
import { expect } from '@open-wc/testing';
import type { GridSlot, MultiSlotAvailability, RecurringPattern } from '../../api/contract/wire.js';
import { ApiError, type PackageView, type PurchaseRequest, type SmartPackClient } from '../../widget/api-client.js';
import type { SmartPackChangeEvent, SmartPackPurchasedEvent } from '../../widget/index.js';
import { BookingController, MAX_SLOTS, type BookingHost } from '../../widget/grid/booking-controller.js';
import { TIERS } from './fake-api.js';

class Host extends EventTarget implements BookingHost {
  patterns: RecurringPattern[] = [];
  teacherId = 't1';
  subjectId = 'math';
  buyerId = 'student-demo';
  locale = 'en-US';
  holdKey = '';
  updates = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(): void {}
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
}

const free = (time: string): GridSlot => ({ time, available: true, status: 'free', freeWeeks: 8, weeks: 8 });

const result = (sessions = 8): MultiSlotAvailability => ({
  available: true,
  timezone: 'Africa/Khartoum',
  patterns: [],
  scheduledSessions: [],
  recurringSessionCount: sessions,
  floated: 0,
  totalWeeksNeeded: 4,
  firstSession: null,
  lastSession: null,
  packageEndDate: null,
  message: '',
});

const PKG = { id: 'pkg-1' } as PackageView;

/** A client whose purchase answers come from `answers`, in order; every request is kept. */
function purchases(...answers: Array<PackageView | Error>) {
  const sent: PurchaseRequest[] = [];
  const client = {
    purchase: async (body: PurchaseRequest) => {
      sent.push(body);
      const answer = answers.shift();
      if (!answer || answer instanceof Error) throw answer ?? new Error('no answer scripted');
      return answer;
    },
  } as Partial<SmartPackClient> as SmartPackClient;
  return { client, sent };
}

function setup(...answers: Array<PackageView | Error>) {
  const host = new Host();
  const { client, sent } = purchases(...answers);
  let rechecks = 0;
  const booking = new BookingController(host, {
    tier: () => TIERS[0],
    client: () => client,
    recheck: () => rechecks++,
  });
  return { host, booking, sent, rechecks: () => rechecks };
}

describe('BookingController', () => {
  describe('idempotency key', () => {
    it('keeps the key when the same selection is retried after a network error', async () => {
      const { booking, sent } = setup(new TypeError('Failed to fetch'), PKG);
      booking.toggle('MONDAY', free('16:00'));
      await booking.buy();
      expect(booking.purchase).to.deep.include({ status: 'failed', retryable: true });
      await booking.buy();
      expect(booking.purchase).to.deep.include({ status: 'done', pkg: PKG });
      expect(sent).to.have.length(2);
      expect(sent[0]!.idempotencyKey).to.match(/^[0-9a-f-]{36}$/);
      expect(sent[1]!.idempotencyKey).to.equal(sent[0]!.idempotencyKey);
    });

    it('changes the key when the selection changed since the failed attempt', async () => {
      const { booking, sent } = setup(new TypeError('Failed to fetch'), PKG);
      booking.toggle('MONDAY', free('16:00'));
      await booking.buy();
      booking.toggle('WEDNESDAY', free('17:00'));
      await booking.buy();
      expect(sent[1]!.recurringPatterns).to.have.length(2);
      expect(sent[1]!.idempotencyKey).not.to.equal(sent[0]!.idempotencyKey);
    });

    it('does not depend on the order in which the weekly times were picked', async () => {
      const { host, booking, sent } = setup(new TypeError('Failed to fetch'), PKG);
      booking.toggle('MONDAY', free('16:00'));
      booking.toggle('WEDNESDAY', free('17:00'));
      await booking.buy();
      host.patterns = host.patterns.slice().reverse();
      await booking.buy();
      expect(sent[1]!.idempotencyKey).to.equal(sent[0]!.idempotencyKey);
    });

    it('takes a new key after the server refused, since nothing was bought', async () => {
      const refusal = new ApiError(422, 'not_available', 'Not available', null);
      const { booking, sent } = setup(refusal, PKG);
      booking.toggle('MONDAY', free('16:00'));
      await booking.buy();
      expect(booking.purchase).to.deep.equal({ status: 'failed', retryable: false, message: 'Not available' });
      await booking.buy();
      expect(sent[1]!.idempotencyKey).not.to.equal(sent[0]!.idempotencyKey);
    });
  });

  describe('events', () => {
    it('fires smart-pack-change once, when the check caused by a gesture answers', () => {
      const { host, booking } = setup();
      const fired: SmartPackChangeEvent[] = [];
      // A bare EventTarget has no typed event map (HTMLElement has, see events.typecheck.ts).
      host.addEventListener('smart-pack-change', (e) => fired.push(e as SmartPackChangeEvent));
      booking.toggle('MONDAY', free('16:00'));
      expect(fired).to.have.length(0);
      booking.checked(result());
      booking.checked(result());
      expect(fired).to.have.length(1);
      expect(fired[0]!.detail.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
    });

    it('stays silent for a selection the host page set from code', () => {
      const { host, booking } = setup();
      let fired = 0;
      host.addEventListener('smart-pack-change', () => fired++);
      host.patterns = [{ weekday: 'MONDAY', time: '16:00' }];
      booking.checked(result());
      expect(fired).to.equal(0);
      expect(booking.announcement).to.include('sessions fit in');
    });

    it('fires smart-pack-purchased with the package once the purchase is confirmed', async () => {
      const { host, booking } = setup(PKG);
      const fired: SmartPackPurchasedEvent[] = [];
      host.addEventListener('smart-pack-purchased', (e) => fired.push(e as SmartPackPurchasedEvent));
      booking.toggle('MONDAY', free('16:00'));
      await booking.buy();
      expect(fired.map((e) => e.detail.package.id)).to.deep.equal(['pkg-1']);
    });
  });

  describe('selection', () => {
    it(`refuses a weekly time beyond ${MAX_SLOTS} with a notice and keeps the others`, () => {
      const { host, booking } = setup();
      for (const time of ['16:00', '17:00', '18:00', '19:00']) booking.toggle('MONDAY', free(time));
      booking.toggle('TUESDAY', free('16:00'));
      expect(host.patterns).to.have.length(MAX_SLOTS);
      expect(booking.notice).to.include(`up to ${MAX_SLOTS}`);
    });

    it('drops the resolutions of a weekly time that is gone, also when the host replaced the patterns', () => {
      const { host, booking } = setup();
      booking.toggle('MONDAY', free('16:00'));
      const conflict = { date: '2026-01-12', time: '16:00' } as Parameters<BookingController['resolve']>[0];
      booking.resolve(conflict, { date: '2026-01-12', time: '16:00', action: 'float' });
      booking.hostUpdate();
      expect(booking.resolutions).to.have.length(1);
      host.patterns = [{ weekday: 'TUESDAY', time: '16:00' }];
      booking.hostUpdate();
      expect(booking.resolutions).to.deep.equal([]);
    });

    it('after a 409 slot_taken, says what was taken and checks again', async () => {
      const taken = new ApiError(409, 'slot_taken', 'Taken', { conflicts: [{ date: '2026-01-12', time: '16:00' }] });
      const { booking, rechecks } = setup(taken);
      booking.toggle('MONDAY', free('16:00'));
      await booking.buy();
      expect(booking.purchase).to.deep.equal({ status: 'idle' });
      expect(booking.slotTaken).to.include('Someone just booked');
      expect(rechecks()).to.equal(1);
    });
  });
});
