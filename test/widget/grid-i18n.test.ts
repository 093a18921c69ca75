/**
 * Issue 11: the grid's words in English and Arabic. Every count through Intl.PluralRules (Arabic's six
 * categories and the dual), zones by name and offset (never an IANA id), "+1 day" / "−1 day" where the
 * viewer's date is not the teacher's, one kind of digits per page, and the load errors a parent can act on.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { strings } from '../../widget/grid/i18n.js';
import { formatClock, formatDate, formatMoney, zoneLabel } from '../../widget/format.js';
import { FakeApi } from './fake-api.js';
import { $, $$, cell, checked, mount, text } from './helpers.js';

const COUNTS = [0, 1, 2, 3, 10, 11, 20, 100] as const;
const ar = strings('ar');
const en = strings('en');

describe('grid strings: plurals', () => {
  it('Intl.PluralRules gives Arabic all six categories over the tested counts', () => {
    const rules = new Intl.PluralRules('ar');
    expect(COUNTS.map((n) => rules.select(n))).to.deep.equal([
      'zero',
      'one',
      'two',
      'few',
      'few',
      'many',
      'many',
      'other',
    ]);
  });

  it('counts sessions in Arabic: the dual, the plural of 3–10, the singular after 11 and 100', () => {
    expect(COUNTS.map((n) => ar.pack(n))).to.deep.equal([
      'الباقة الذكية: 0 حصة',
      'الباقة الذكية: حصة واحدة',
      'الباقة الذكية: حصتان',
      'الباقة الذكية: 3 حصص',
      'الباقة الذكية: 10 حصص',
      'الباقة الذكية: 11 حصة',
      'الباقة الذكية: 20 حصة',
      'الباقة الذكية: 100 حصة',
    ]);
    expect(COUNTS.map((n) => ar.floatingTitle(n))).to.deep.equal([
      '0 حصة مرنة',
      'حصة مرنة واحدة',
      'حصتان مرنتان',
      '3 حصص مرنة',
      '10 حصص مرنة',
      '11 حصة مرنة',
      '20 حصة مرنة',
      '100 حصة مرنة',
    ]);
  });

  it('counts weeks in Arabic', () => {
    expect(COUNTS.map((n) => ar.extraWeeks(n))).to.deep.equal([
      '+0 أسبوع بسبب التواريخ المتخطاة',
      '+أسبوع واحد بسبب التواريخ المتخطاة',
      '+أسبوعان بسبب التواريخ المتخطاة',
      '+3 أسابيع بسبب التواريخ المتخطاة',
      '+10 أسابيع بسبب التواريخ المتخطاة',
      '+11 أسبوعًا بسبب التواريخ المتخطاة',
      '+20 أسبوعًا بسبب التواريخ المتخطاة',
      '+100 أسبوع بسبب التواريخ المتخطاة',
    ]);
    expect(ar.division(8, 2, 4)).to.equal('8 حصص ÷ مرتان أسبوعياً = 4 أسابيع');
    expect(ar.division(8, 1, 8)).to.equal('8 حصص ÷ مرة واحدة أسبوعياً = 8 أسابيع');
  });

  it('counts sessions, weeks and days in English, one and other', () => {
    expect(COUNTS.map((n) => en.pack(n))).to.deep.equal(
      COUNTS.map((n) => `Smart Pack: ${n} ${n === 1 ? 'session' : 'sessions'}`),
    );
    expect(COUNTS.map((n) => en.extraWeeks(n))).to.deep.equal(
      COUNTS.map((n) => `+${n} ${n === 1 ? 'week' : 'weeks'} for skipped dates`),
    );
    expect(COUNTS.map((n) => en.floatingAfter(n))).to.deep.equal(
      COUNTS.map((n) => `Book them any time up to ${n} ${n === 1 ? 'day' : 'days'} after your last session.`),
    );
    expect(en.sessionsTitle(1)).to.equal('Your scheduled session');
    expect(en.sessionsTitle(8)).to.equal('Your 8 scheduled sessions');
    expect(en.announceOk(1, 1)).to.equal('1 session fits in 1 week.');
    expect(en.announceOk(8, 4)).to.equal('8 sessions fit in 4 weeks.');
    expect(en.announceConflicts(1)).to.equal('1 week needs a choice.');
  });

  it('never leaves a count without its noun ("1 مرنة تُحجز") and drops a floating part of zero', () => {
    expect(ar.purchasedDetail(8, 'الاثنين', 2, '1 مارس')).to.equal(
      'المجدول: 8 حصص ابتداءً من الاثنين. للحجز قبل 1 مارس: حصتان مرنتان.',
    );
    expect(ar.purchasedDetail(1, 'الاثنين', 1, '1 مارس'))
      .to.include('حصة واحدة')
      .and.include('حصة مرنة واحدة');
    expect(ar.purchasedDetail(5, 'الاثنين', 0, '—')).to.equal('المجدول: 5 حصص ابتداءً من الاثنين.');
    expect(en.purchasedDetail(1, 'Mon', 0, '—')).to.equal('1 session scheduled from Mon.');
    expect(ar.packSplit(10, 8, 2)).to.equal('10 حصص: 8 حصص متكررة وحصتان مرنتان');
    expect(ar.packSplit(5, 5, 0)).to.equal('5 حصص: 5 حصص متكررة');
    expect([1, 2, 8, 16].map((n) => ar.gridTitle(n))).to.deep.equal([
      'اختر مواعيدك الأسبوعية لحصة متكررة واحدة',
      'اختر مواعيدك الأسبوعية لحصتين متكررتين',
      'اختر مواعيدك الأسبوعية لـ8 حصص متكررة',
      'اختر مواعيدك الأسبوعية لـ16 حصة متكررة',
    ]);
    expect([ar.reviewFor('سارة'), ar.reviewFor('الحسن'), ar.reviewFor('Sara')]).to.deep.equal([
      'لسارة',
      'للحسن',
      'لـSara',
    ]);
  });

  it('says the day mark in both languages', () => {
    expect([en.dayShift(1), en.dayShift(-1), en.dayShift(2)]).to.deep.equal(['+1 day', '−1 day', '+2 days']);
    expect([ar.dayShift(1), ar.dayShift(-1), ar.dayShift(2)]).to.deep.equal(['+يوم', '−يوم', '+يومان']);
  });
});

describe('format: digits and zone names', () => {
  it('uses Latin digits for counts, dates, times and money in every Arabic locale', () => {
    for (const locale of ['ar', 'ar-SD', 'ar-EG', 'ar-SA']) {
      const all = [formatClock(locale, '16:05'), formatDate(locale, '2026-01-12'), formatMoney(locale, 127500, 'SDG')];
      expect(all.join(' '), locale).not.to.match(/[٠-٩]/);
      expect(all.join(' '), locale).to.match(/16:05.*12.*1[,٬]?275/);
    }
  });

  it('names a zone with its UTC offset in the page’s language, never as an IANA id', () => {
    const jan = Date.parse('2026-01-05T00:00:00Z');
    expect(zoneLabel('en', 'Africa/Khartoum', jan)).to.equal('Central Africa Time (GMT+2)');
    expect(zoneLabel('en', 'Asia/Tokyo', jan))
      .to.include('Japan')
      .and.include('GMT+9');
    const arabic = zoneLabel('ar', 'Africa/Khartoum', jan);
    expect(arabic)
      .not.to.include('Africa/')
      .and.not.to.match(/[A-Za-z]/);
    expect(arabic).to.include('+2');
  });
});

describe('<smart-pack-grid> zones and day marks', () => {
  let fake: FakeApi;
  beforeEach(() => {
    fake = new FakeApi().install();
  });
  afterEach(() => fake.uninstall());

  it('marks "+1 day" for a viewer in Tokyo where Khartoum’s evening is already tomorrow', async () => {
    const el = await mount({ 'viewer-time-zone': 'Asia/Tokyo' });
    const rows = $$(el, '[role=rowheader]');
    const row = (time: string) => rows.find((r) => r.textContent!.trim().startsWith(time))!;
    // 16:00 Khartoum (UTC+2) is 23:00 in Tokyo (UTC+9): same day. 17:00 is 00:00, 18:00 01:00: the next day.
    expect(row('16:00').textContent).to.include('23:00').and.not.include('+1 day');
    expect(row('17:00').textContent).to.include('00:00').and.include('+1 day');
    expect(row('18:00').textContent).to.include('01:00').and.include('+1 day');
    expect(cell(el, 'MONDAY', '17:00').getAttribute('aria-label')).to.include('Tuesday 00:00 +1 day');
    expect(text(el, '[part~=timezone]')).to.include('Japan').and.include('GMT+9');
    cell(el, 'MONDAY', '17:00').click();
    await checked(el);
    expect($$(el, '[part~=sessions] li')[0]!.textContent).to.include('+1 day');
  });

  it('marks "−1 day" for a viewer in Los Angeles where Khartoum’s morning is still yesterday', async () => {
    fake.offer = { ...fake.offer, SATURDAY: ['08:00', '10:00'] };
    const el = await mount({ 'viewer-time-zone': 'America/Los_Angeles' });
    const rows = $$(el, '[role=rowheader]');
    // 08:00 Khartoum = 06:00 UTC = 22:00 the day before in Los Angeles (UTC−8 in January); 10:00 = 00:00 same day.
    expect(rows.find((r) => r.textContent!.trim().startsWith('08:00'))!.textContent)
      .to.include('22:00')
      .and.include('−1 day');
    expect(rows.find((r) => r.textContent!.trim().startsWith('10:00'))!.textContent).not.to.include('day');
    expect(cell(el, 'SATURDAY', '08:00').getAttribute('aria-label')).to.include('Friday 22:00 −1 day');
  });

  it('shows no day mark and no viewer time for a viewer in the teacher’s zone', async () => {
    const el = await mount();
    expect($$(el, '[part~=day-shift]')).to.have.length(0);
  });

  it('shows the marks and zone names in Arabic', async () => {
    const el = await mount({ lang: 'ar', 'viewer-time-zone': 'Asia/Tokyo' });
    expect($$(el, '[part~=day-shift]')[0]!.textContent).to.equal('+يوم');
    expect(text(el, '[part~=timezone]')).not.to.include('Asia/Tokyo').and.not.include('Africa/Khartoum');
    expect(text(el, '[part~=timezone]')).not.to.match(/[٠-٩]/);
  });
});

describe('<smart-pack-grid> taken slots', () => {
  let fake: FakeApi;
  beforeEach(() => {
    fake = new FakeApi().install();
  });
  afterEach(() => fake.uninstall());

  it('says why when a taken cell is clicked or pressed with Space, in English and Arabic', async () => {
    for (const [lang, word] of [
      ['en-US', 'Taken: Thursday 16:00 (already booked).'],
      ['ar', 'محجوز: الخميس 16:00 (محجوز مسبقاً).'],
    ] as const) {
      const el = await mount({ lang });
      const taken = cell(el, 'THURSDAY', '16:00');
      taken.click();
      await el.updateComplete;
      const live = $(el, '[role=status][aria-live=polite]')!;
      expect(live.textContent!.trim()).to.equal(word);
      expect(el.patterns).to.deep.equal([]);
      taken.focus();
      taken.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, composed: true }));
      await el.updateComplete;
      expect(live.textContent!.trim()).to.equal(word);
    }
  });
});

describe('<smart-pack-grid> load errors', () => {
  let fake: FakeApi;
  beforeEach(() => {
    fake = new FakeApi().install();
  });
  afterEach(() => fake.uninstall());

  it('says an unknown teacher is not available for booking, with no useless Retry', async () => {
    for (const [lang, words] of [
      ['en-US', 'This teacher is not available for booking.'],
      ['ar', 'هذا المعلم غير متاح للحجز.'],
    ] as const) {
      const el = await mount({ lang, 'teacher-id': 'nobody' }, 'none');
      await waitUntil(() => $(el, '[part~=error]'), 'no error shown');
      expect(text(el, '[part~=error]')).to.include(words);
      expect($(el, '[part~=retry-button]')).to.equal(null);
    }
  });

  it('says an unknown tier-id pack is not available, with no Retry', async () => {
    const el = await mount({ 'tier-id': 'tier-ghost' }, 'none');
    await waitUntil(() => $(el, '[part~=error]'), 'no error shown');
    expect(text(el, '[part~=error]')).to.include('This pack is not available for booking.');
    expect($(el, '[part~=retry-button]')).to.equal(null);
  });

  it('clears every error with one Retry once the server is back (the grid and the check)', async () => {
    const el = await mount();
    cell(el, 'MONDAY', '16:00').click();
    await checked(el);
    // The server goes down; the parent picks another pack: the grid and the check both fail.
    fake.failing = /./;
    ($$(el, '[part~=tier] input')[1] as HTMLInputElement).click();
    await waitUntil(() => text(el, '[part~=summary]').includes('We could not check these times')).catch(() => {
      throw new Error(`no check error: ${text(el, '[part~=base]')}`);
    });
    // The widget stays, with an inline error; no whole-widget error card.
    expect($(el, '[role=grid]')).to.exist;
    expect($(el, '.error')).to.equal(null);
    await waitUntil(() => text(el, '.pick').includes('We could not load the times for this pack.'), 'no inline error');
    fake.failing = null;
    $$(el, '[part~=retry-button]')[0]!.click();
    await waitUntil(() => $$(el, '[part~=error]').length === 0, 'a second error survived the Retry', {
      timeout: 3000,
    });
    await checked(el);
    expect($(el, '[part~=sessions]')).to.exist;
  });
});
