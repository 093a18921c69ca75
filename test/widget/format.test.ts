import { expect } from '@open-wc/testing';
import {
  fallbackFirstDay,
  firstDayOfWeek,
  formatClock,
  formatDate,
  formatDayMonth,
  formatMoney,
  formatPercent,
  TABLED_LOCALES,
  WEEKDAYS,
  formatNumber,
  weekdayName,
  weekdaysInLocaleOrder,
  zonedToUtc,
  instantIn,
  zonesDiffer,
} from '../../widget/format.js';

describe('format helpers', () => {
  describe('first day of the week', () => {
    it('follows the locale: en-US Sunday, en-GB Monday, ar Saturday, ar-SA Sunday', () => {
      expect(firstDayOfWeek('en-US')).to.equal(0);
      expect(firstDayOfWeek('en-GB')).to.equal(1);
      expect(firstDayOfWeek('ar')).to.equal(6);
      expect(firstDayOfWeek('ar-SD')).to.equal(6);
      expect(firstDayOfWeek('ar-SA')).to.equal(0);
    });

    it('falls back to CLDR regions when Intl.Locale has no week info', () => {
      expect(fallbackFirstDay('', 'ar')).to.equal(6);
      expect(fallbackFirstDay('SD', 'ar')).to.equal(6);
      expect(fallbackFirstDay('SA', 'ar')).to.equal(0);
      expect(fallbackFirstDay('', 'en')).to.equal(0);
      expect(fallbackFirstDay('US', 'en')).to.equal(0);
      expect(fallbackFirstDay('GB', 'en')).to.equal(1);
      expect(fallbackFirstDay('', 'fr')).to.equal(1);
    });

    it('orders weekdays from that day', () => {
      expect(weekdaysInLocaleOrder('ar').slice(0, 2)).to.deep.equal(['SATURDAY', 'SUNDAY']);
      expect(weekdaysInLocaleOrder('en-GB')[6]).to.equal('SUNDAY');
    });
  });

  describe('plain text without a formatter', () => {
    // The fast path must say exactly what Intl says, in every locale that takes it, or one page would mix two.
    const locales = ['en', 'en-US', 'en-GB', 'ar', 'ar-SD', 'ar-EG', 'ar-SA'];
    const intlClock = (locale: string, time: string) => {
      const [h, m] = time.split(':').map(Number);
      return new Intl.DateTimeFormat(locale, {
        numberingSystem: 'latn',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZone: 'UTC',
      }).format(Date.UTC(2023, 0, 1, h!, m!));
    };
    it('writes a clock exactly as Intl does in English and Arabic', () => {
      for (const locale of locales)
        for (const time of ['00:00', '09:05', '12:30', '23:59'])
          expect(formatClock(locale, time)).to.equal(intlClock(locale, time));
    });
    it('writes small whole numbers exactly as Intl does, and larger ones through Intl', () => {
      for (const locale of locales) {
        const intl = new Intl.NumberFormat(locale, { numberingSystem: 'latn' });
        for (const n of [0, 1, 2, 3, 10, 11, 20, 100, 999, 1000, 12345, 2.5])
          expect(formatNumber(locale, n)).to.equal(intl.format(n));
      }
    });
    it('keeps the formatter for other languages (French writes 1 000 with a narrow space)', () => {
      expect(formatNumber('fr', 1000)).to.equal(new Intl.NumberFormat('fr', { numberingSystem: 'latn' }).format(1000));
      expect(formatClock('fi', '09:05')).to.equal(intlClock('fi', '09:05'));
    });
  });

  describe('the first screen’s own tables (no Intl formatter built)', () => {
    // Everything the tables write is compared with what this browser's Intl writes, entry by entry.
    const locales = Object.keys(TABLED_LOCALES);
    const intl = (locale: string, opts: Intl.DateTimeFormatOptions, ms: number) =>
      new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC', numberingSystem: 'latn' }).format(ms);

    it('covers English and Arabic with the regions that write them alike', () => {
      expect(locales).to.include.members(['en', 'en-US', 'ar', 'ar-SD', 'ar-EG']);
    });

    it('names weekdays, long and short, as Intl does', () => {
      for (const locale of locales)
        WEEKDAYS.forEach((day, i) => {
          const ms = Date.UTC(2023, 0, 1 + i, 12);
          expect(weekdayName(locale, day), `${locale} ${day}`).to.equal(intl(locale, { weekday: 'long' }, ms));
          expect(weekdayName(locale, day, 'short'), `${locale} ${day}`).to.equal(
            intl(locale, { weekday: 'short' }, ms),
          );
        });
    });

    it('writes every day of a year, with and without the year, and as day and month, as Intl does', () => {
      for (const locale of locales)
        for (let day = 0; day < 366; day += 1) {
          const ms = Date.UTC(2028, 0, 1 + day, 12);
          const date = new Date(ms).toISOString().slice(0, 10);
          const opts = { weekday: 'short', day: 'numeric', month: 'short' } as const;
          expect(formatDate(locale, date), `${locale} ${date}`).to.equal(intl(locale, opts, ms));
          expect(formatDate(locale, date, true), `${locale} ${date}`).to.equal(
            intl(locale, { ...opts, year: 'numeric' }, ms),
          );
          expect(formatDayMonth(locale, date), `${locale} ${date}`).to.equal(
            intl(locale, { day: 'numeric', month: 'short' }, ms),
          );
        }
    });

    it('writes prices in the tabled currencies as Intl does, and the rest through Intl', () => {
      const currencies = [
        'SDG',
        'USD',
        'EUR',
        'GBP',
        'JPY',
        'SAR',
        'AED',
        'EGP',
        'QAR',
        'KWD',
        'OMR',
        'BHD',
        'INR',
        'XOF',
      ];
      for (const locale of locales)
        for (const currency of currencies) {
          const nf = new Intl.NumberFormat(locale, { style: 'currency', currency, numberingSystem: 'latn' });
          const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
          for (const minor of [0, 5, 99, 100, 123_456, 7_200_000, 1_234_567_891])
            expect(formatMoney(locale, minor, currency), `${locale} ${currency} ${minor}`).to.equal(
              nf.format(minor / 10 ** digits),
            );
        }
    });

    it('writes whole percentages as Intl does, and fractions through Intl', () => {
      for (const locale of locales)
        for (const percent of [0, 1, 5, 10, 12.5, 33, 100]) {
          const nf = new Intl.NumberFormat(locale, {
            style: 'percent',
            maximumFractionDigits: 1,
            numberingSystem: 'latn',
          });
          expect(formatPercent(locale, percent), `${locale} ${percent}`).to.equal(nf.format(percent / 100));
        }
    });
  });

  it('names weekdays in Arabic and English', () => {
    expect(weekdayName('ar', 'FRIDAY')).to.equal('الجمعة');
    expect(weekdayName('en', 'MONDAY', 'short')).to.equal('Mon');
  });

  it('formats integer minor units with the currency’s own fraction digits', () => {
    expect(formatMoney('en-US', 127500, 'SDG')).to.match(/1,275\.00/);
    expect(formatMoney('en-US', 1500, 'JPY')).to.equal('¥1,500');
    expect(formatMoney('en-US', 12345, 'KWD')).to.match(/12\.345/);
    expect(formatMoney('en-GB', 3000, 'GBP')).to.equal('£30.00');
  });

  it('converts teacher wall-clock time to UTC across a DST change', () => {
    // London: GMT in January, BST (UTC+1) in July.
    expect(new Date(zonedToUtc('2026-01-12', '16:00', 'Europe/London')).toISOString()).to.equal(
      '2026-01-12T16:00:00.000Z',
    );
    expect(new Date(zonedToUtc('2026-07-13', '16:00', 'Europe/London')).toISOString()).to.equal(
      '2026-07-13T15:00:00.000Z',
    );
    expect(new Date(zonedToUtc('2026-01-12', '01:00', 'Africa/Khartoum')).toISOString()).to.equal(
      '2026-01-11T23:00:00.000Z',
    );
    expect(instantIn(Date.parse('2026-01-11T23:00:00Z'), 'Africa/Khartoum')).to.deep.equal({
      date: '2026-01-12',
      time: '01:00',
      weekday: 'MONDAY',
    });
  });

  it('treats zones with the same offset as not different', () => {
    const jan = Date.parse('2026-01-12T12:00:00Z');
    expect(zonesDiffer('Africa/Khartoum', 'Africa/Cairo', jan)).to.equal(false);
    expect(zonesDiffer('Africa/Khartoum', 'Europe/London', jan)).to.equal(true);
  });
});
