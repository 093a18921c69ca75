import { expect } from '@open-wc/testing';
import {
  fallbackFirstDay,
  firstDayOfWeek,
  formatClock,
  formatMoney,
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
