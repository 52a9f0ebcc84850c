import { describe, expect, it } from 'vitest';
import { addDecimals, formatDecimal, parseDecimal, percentChange } from './decimal';
import { addDays, formatCedis, formatDate, formatDateTime, formatLitres, ghanaToday } from './format';

describe('decimal', () => {
  it('parses and formats exactly', () => {
    expect(parseDecimal('1234.56', 2)).toBe(123456n);
    expect(parseDecimal('-0.5', 2)).toBe(-50n);
    expect(parseDecimal('0.125', 2)).toBe(13n); // half away from zero
    expect(formatDecimal(123456n, 2)).toBe('1234.56');
    expect(formatDecimal(-5n, 2)).toBe('-0.05');
    expect(formatDecimal(1234567n, 3, 0)).toBe('1235');
  });
  it('sums cedis without floating-point drift', () => {
    const tenths = Array.from({ length: 10 }, () => '0.10');
    expect(addDecimals(tenths, 2)).toBe('1.00');
    expect(addDecimals(['1000000000000.01', '0.02'], 2)).toBe('1000000000000.03');
  });
  it('gives the change against last week', () => {
    expect(percentChange('110.00', '100.00', 2)).toBe('10.0');
    expect(percentChange('90.00', '100.00', 2)).toBe('-10.0');
    expect(percentChange('1.00', '3.00', 2)).toBe('-66.7');
    expect(percentChange('5.00', '0.00', 2)).toBeNull();
  });
});

describe('format', () => {
  it('shows Ghana cedis with thousands separators', () => {
    expect(formatCedis('1234567.5')).toBe('GH₵ 1,234,567.50');
    expect(formatCedis('-40')).toBe('−GH₵ 40.00');
    expect(formatCedis(null)).toBe('—');
  });
  it('shows litres', () => {
    expect(formatLitres('12345.678')).toBe('12,346 L');
    expect(formatLitres('12345.678', 3)).toBe('12,345.678 L');
  });
  it('shows times in Ghana time', () => {
    expect(formatDateTime('2026-11-22T23:30:00Z')).toBe('22 Nov 2026, 23:30');
    expect(formatDate('2026-11-05')).toBe('05 Nov 2026');
    expect(ghanaToday(new Date('2026-11-22T23:59:59Z'))).toBe('2026-11-22');
    expect(addDays('2026-03-01', -7)).toBe('2026-02-22');
  });
});
