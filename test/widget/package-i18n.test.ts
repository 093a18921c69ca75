/**
 * Every counted sentence of the package view in English and Arabic over 0, 1, 2, 3, 10, 11, 20, 100: the
 * Arabic noun in each of the six plural categories (zero, one, two — the dual —, few, many, other), the
 * adjective and the verb agreeing, and the number in the page's own digits.
 */
import { expect } from '@open-wc/testing';
import { formatNumber, formatZone } from '../../widget/format.js';
import { plural, strings } from '../../widget/package-view/i18n.js';

const COUNTS = [0, 1, 2, 3, 10, 11, 20, 100] as const;
type Row = Record<(typeof COUNTS)[number], string>;

function table(f: (n: number) => string): Row {
  return Object.fromEntries(COUNTS.map((n) => [n, f(n)])) as Row;
}

describe('time zones by name', () => {
  it('names a zone with its UTC offset in the page’s language, never the raw IANA id it knows a name for', () => {
    const december = Date.UTC(2026, 11, 2, 12);
    expect(formatZone('en', 'Africa/Khartoum', december)).to.equal('Central Africa Time, GMT+2');
    expect(formatZone('en', 'Europe/London', Date.UTC(2026, 6, 1))).to.equal('British Summer Time, GMT+1');
    const ar = formatZone('ar', 'Africa/Khartoum', december);
    expect(ar).not.to.include('Africa/Khartoum');
    expect(ar).to.match(/[\u0600-\u06ff]/);
    expect(formatZone('en', 'Not/AZone', december)).to.equal('Not/AZone');
  });
});

describe('package view plurals', () => {
  it('chooses the Arabic category with Intl.PluralRules: zero, one, two, few, many, other', () => {
    const forms = {
      zero: () => 'zero',
      one: () => 'one',
      two: () => 'two',
      few: () => 'few',
      many: () => 'many',
      other: () => 'other',
    };
    expect(table((n) => plural('ar', n, forms))).to.deep.equal({
      0: 'zero',
      1: 'one',
      2: 'two',
      3: 'few',
      10: 'few',
      11: 'many',
      20: 'many',
      100: 'other',
    });
    expect(table((n) => plural('en', n, forms))).to.deep.equal({
      0: 'other',
      1: 'one',
      2: 'other',
      3: 'other',
      10: 'other',
      11: 'other',
      20: 'other',
      100: 'other',
    });
  });

  for (const locale of ['ar', 'ar-SD']) {
    const d = (n: number) => formatNumber(locale, n);
    const t = strings(locale);
    describe(`Arabic (${locale}, numbers as ${d(20)})`, () => {
      it('counts sessions: حصة واحدة، حصتان، ٣ حصص، ١١ حصة', () => {
        expect(table((n) => t.title(n))).to.deep.equal({
          0: `باقتك الذكية · ${d(0)} حصة`,
          1: 'باقتك الذكية · حصة واحدة',
          2: 'باقتك الذكية · حصتان',
          3: `باقتك الذكية · ${d(3)} حصص`,
          10: `باقتك الذكية · ${d(10)} حصص`,
          11: `باقتك الذكية · ${d(11)} حصة`,
          20: `باقتك الذكية · ${d(20)} حصة`,
          100: `باقتك الذكية · ${d(100)} حصة`,
        });
        // After من the dual is genitive.
        expect(table((n) => t.progress(1, n))).to.deep.equal({
          0: `تمت ${d(1)} من ${d(0)} حصة`,
          1: `تمت ${d(1)} من حصة واحدة`,
          2: `تمت ${d(1)} من حصتين`,
          3: `تمت ${d(1)} من ${d(3)} حصص`,
          10: `تمت ${d(1)} من ${d(10)} حصص`,
          11: `تمت ${d(1)} من ${d(11)} حصة`,
          20: `تمت ${d(1)} من ${d(20)} حصة`,
          100: `تمت ${d(1)} من ${d(100)} حصة`,
        });
      });

      it('agrees the adjective and the verb with floating credits: حصتان مرنتان', () => {
        expect(table((n) => t.floatingLeft(n, 'X'))).to.deep.equal({
          0: 'لم تبقَ حصص مرنة للحجز قبل X',
          1: 'بقيت حصة مرنة واحدة للحجز قبل X',
          2: 'بقيت حصتان مرنتان للحجز قبل X',
          3: `بقيت ${d(3)} حصص مرنة للحجز قبل X`,
          10: `بقيت ${d(10)} حصص مرنة للحجز قبل X`,
          11: `بقيت ${d(11)} حصة مرنة للحجز قبل X`,
          20: `بقيت ${d(20)} حصة مرنة للحجز قبل X`,
          100: `بقيت ${d(100)} حصة مرنة للحجز قبل X`,
        });
        expect(table((n) => t.floatingExpired(n, 'X'))).to.deep.equal({
          0: `انتهت صلاحية ${d(0)} حصة مرنة دون استخدام في X`,
          1: 'انتهت صلاحية حصة مرنة واحدة دون استخدام في X',
          2: 'انتهت صلاحية حصتين مرنتين دون استخدام في X',
          3: `انتهت صلاحية ${d(3)} حصص مرنة دون استخدام في X`,
          10: `انتهت صلاحية ${d(10)} حصص مرنة دون استخدام في X`,
          11: `انتهت صلاحية ${d(11)} حصة مرنة دون استخدام في X`,
          20: `انتهت صلاحية ${d(20)} حصة مرنة دون استخدام في X`,
          100: `انتهت صلاحية ${d(100)} حصة مرنة دون استخدام في X`,
        });
      });

      it('counts hours, reschedules left, credits to book and sessions needing attention', () => {
        expect(table((n) => t.notice(n))).to.deep.equal({
          0: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(0)} ساعة قبل بدايتها.`,
          1: 'يمكنك تغيير موعد الحصة أو إلغاؤها حتى ساعة واحدة قبل بدايتها.',
          2: 'يمكنك تغيير موعد الحصة أو إلغاؤها حتى ساعتين قبل بدايتها.',
          3: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(3)} ساعات قبل بدايتها.`,
          10: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(10)} ساعات قبل بدايتها.`,
          11: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(11)} ساعة قبل بدايتها.`,
          20: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(20)} ساعة قبل بدايتها.`,
          100: `يمكنك تغيير موعد الحصة أو إلغاؤها حتى ${d(100)} ساعة قبل بدايتها.`,
        });
        expect(table((n) => t.reschedule(n))).to.deep.equal({
          0: 'غيّر الموعد (لم تبقَ مرات)',
          1: 'غيّر الموعد (بقيت مرة واحدة)',
          2: 'غيّر الموعد (بقيت مرتان)',
          3: `غيّر الموعد (بقيت ${d(3)} مرات)`,
          10: `غيّر الموعد (بقيت ${d(10)} مرات)`,
          11: `غيّر الموعد (بقيت ${d(11)} مرة)`,
          20: `غيّر الموعد (بقيت ${d(20)} مرة)`,
          100: `غيّر الموعد (بقيت ${d(100)} مرة)`,
        });
        expect(t.bookFloating(1)).to.equal('احجز حصة مرنة (بقيت واحدة)');
        expect(t.bookFloating(2)).to.equal('احجز حصة مرنة (بقيت اثنتان)');
        expect(t.bookFloating(11)).to.equal(`احجز حصة مرنة (بقي ${d(11)})`);
        expect(table((n) => t.attention(n))).to.deep.equal({
          0: `${d(0)} حصة تحتاج إلى انتباهك`,
          1: 'حصة واحدة تحتاج إلى انتباهك',
          2: 'حصتان تحتاجان إلى انتباهك',
          3: `${d(3)} حصص تحتاج إلى انتباهك`,
          10: `${d(10)} حصص تحتاج إلى انتباهك`,
          11: `${d(11)} حصة تحتاج إلى انتباهك`,
          20: `${d(20)} حصة تحتاج إلى انتباهك`,
          100: `${d(100)} حصة تحتاج إلى انتباهك`,
        });
      });

      it('joins لـ to a definite noun (للحصة), and writes session numbers in the page digits', () => {
        expect(t.pickerReschedule(t.session(1))).to.equal(`اختر موعداً جديداً للحصة ${d(1)}`);
        expect(t.pickerReschedule(t.session(null))).to.equal('اختر موعداً جديداً لـحصة');
        expect(t.session(11)).to.equal(`الحصة ${d(11)}`);
      });
    });
  }

  describe('English', () => {
    const t = strings('en');
    it('says 1 session and n sessions, 1 hour and n hours, and agrees the verb', () => {
      expect(table((n) => t.title(n))).to.deep.equal({
        0: 'Your Smart Pack · 0 sessions',
        1: 'Your Smart Pack · 1 session',
        2: 'Your Smart Pack · 2 sessions',
        3: 'Your Smart Pack · 3 sessions',
        10: 'Your Smart Pack · 10 sessions',
        11: 'Your Smart Pack · 11 sessions',
        20: 'Your Smart Pack · 20 sessions',
        100: 'Your Smart Pack · 100 sessions',
      });
      expect(table((n) => t.floatingLeft(n, 'X'))).to.deep.equal({
        0: '0 floating sessions left to book before X',
        1: '1 floating session left to book before X',
        2: '2 floating sessions left to book before X',
        3: '3 floating sessions left to book before X',
        10: '10 floating sessions left to book before X',
        11: '11 floating sessions left to book before X',
        20: '20 floating sessions left to book before X',
        100: '100 floating sessions left to book before X',
      });
      expect(table((n) => t.attention(n))).to.deep.equal({
        0: '0 sessions need your attention',
        1: '1 session needs your attention',
        2: '2 sessions need your attention',
        3: '3 sessions need your attention',
        10: '10 sessions need your attention',
        11: '11 sessions need your attention',
        20: '20 sessions need your attention',
        100: '100 sessions need your attention',
      });
      expect(table((n) => t.notice(n))).to.deep.equal({
        0: 'You can reschedule or cancel a session up to 0 hours before it starts.',
        1: 'You can reschedule or cancel a session up to 1 hour before it starts.',
        2: 'You can reschedule or cancel a session up to 2 hours before it starts.',
        3: 'You can reschedule or cancel a session up to 3 hours before it starts.',
        10: 'You can reschedule or cancel a session up to 10 hours before it starts.',
        11: 'You can reschedule or cancel a session up to 11 hours before it starts.',
        20: 'You can reschedule or cancel a session up to 20 hours before it starts.',
        100: 'You can reschedule or cancel a session up to 100 hours before it starts.',
      });
      expect(table((n) => t.progress(n, 10))).to.deep.equal({
        0: '0 of 10 sessions taught',
        1: '1 of 10 sessions taught',
        2: '2 of 10 sessions taught',
        3: '3 of 10 sessions taught',
        10: '10 of 10 sessions taught',
        11: '11 of 10 sessions taught',
        20: '20 of 10 sessions taught',
        100: '100 of 10 sessions taught',
      });
      expect(t.progress(0, 1)).to.equal('0 of 1 session taught');
    });
  });
});
