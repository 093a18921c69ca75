import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitEscrow, tierPrice } from '../../api/core/index.js';

describe('splitEscrow', () => {
  it('spreads the remainder one unit each over the first shares', () => {
    expect(splitEscrow(1000, 3)).toEqual([334, 333, 333]);
    expect(splitEscrow(1001, 3)).toEqual([334, 334, 333]);
    expect(splitEscrow(2, 5)).toEqual([1, 1, 0, 0, 0]);
    expect(splitEscrow(0, 2)).toEqual([0, 0]);
  });

  it('always sums exactly to the total with shares differing by at most one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 200 }),
        (total, parts) => {
          const shares = splitEscrow(total, parts);
          expect(shares).toHaveLength(parts);
          expect(shares.every(Number.isSafeInteger)).toBe(true);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
          expect([...shares].sort((a, b) => b - a)).toEqual(shares);
        },
      ),
    );
  });

  it('rejects impossible splits', () => {
    expect(() => splitEscrow(100, 0)).toThrow(RangeError);
    expect(() => splitEscrow(-1, 2)).toThrow(RangeError);
    expect(() => splitEscrow(10.5, 2)).toThrow(RangeError);
  });
});

describe('tierPrice', () => {
  it('prices a tier from the hourly rate and rounds the discount in the payer’s favour only to the unit', () => {
    expect(tierPrice(15_000, 60, 10, 15)).toEqual({
      listPriceMinor: 150_000,
      priceMinor: 127_500,
      savingsMinor: 22_500,
    });
    // 1001 * 45 * 3 / 60 = 2252.25 -> 2252; 10% of 2252 = 225.2 -> 225 saved
    expect(tierPrice(1001, 45, 3, 10)).toEqual({ listPriceMinor: 2252, priceMinor: 2027, savingsMinor: 225 });
    // 1 * 30 * 1 / 60 = 0.5 -> rounds half up to 1
    expect(tierPrice(1, 30, 1, 0)).toEqual({ listPriceMinor: 1, priceMinor: 1, savingsMinor: 0 });
  });

  it('is exact where floating point would not be', () => {
    // 0.07 * 100 style errors: 1015 * 60 * 1 / 60 * 7% = 71.05 -> 71
    expect(tierPrice(1015, 60, 1, 7)).toEqual({ listPriceMinor: 1015, priceMinor: 944, savingsMinor: 71 });
  });

  it('keeps price + savings = list, all integers, for any input', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 15, max: 240 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 0, max: 90 }),
        (rate, minutes, count, discount) => {
          const p = tierPrice(rate, minutes, count, discount);
          expect(p.priceMinor + p.savingsMinor).toBe(p.listPriceMinor);
          expect(Number.isSafeInteger(p.priceMinor) && p.priceMinor >= 0).toBe(true);
          const exact = (BigInt(rate) * BigInt(minutes) * BigInt(count) * 2n + 60n) / 120n;
          expect(BigInt(p.listPriceMinor)).toBe(exact);
          expect(BigInt(p.savingsMinor)).toBe((exact * BigInt(discount)) / 100n);
        },
      ),
    );
  });

  it('rejects input it cannot price exactly', () => {
    expect(() => tierPrice(Number.MAX_SAFE_INTEGER, 240, 100, 0)).toThrow(RangeError);
    expect(() => tierPrice(100, 60, 1, 101)).toThrow(RangeError);
  });
});
