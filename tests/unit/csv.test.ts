import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, neutralise } from '../../shared/csv.js';

/**
 * The CSV is read back as a spreadsheet program reads it: by a real RFC 4180 parser (csv-parse),
 * with the byte-order mark. A cell a spreadsheet would run as a formula starts with one of these
 * after optional white space (CWE-1236), or with tab or CR.
 */
const FORMULA = /^(?:[\t\r\n]|\s*[=+\-@＝＋－＠])/u;
const read = (csv: string) => parse(csv, { bom: true, record_delimiter: '\r\n', relax_column_count: false }) as string[][];

describe('the CSV writer (shared/csv.ts)', () => {
  it.each([
    ['=HYPERLINK("http://x.invalid/","查看")'], ['+1+1'], ['-王'], ['@SUM(A1:A9)'], ['\tX'], ['\rX'], ['  =1+1'], ['＝1+1'], ['－5'],
  ])('neutralises %j with a leading quote, inside a quoted field', (v) => {
    const field = csvField(v);
    expect(field.startsWith('"\'')).toBe(true);
    const [[cell]] = read(`${field}\r\n`) as [[string]];
    expect(cell).toBe(`'${v}`);
    expect(FORMULA.test(cell)).toBe(false);
  });

  it('leaves ordinary text alone, writes numbers as numbers (negative ones too), empty as empty', () => {
    expect(csvField('王秀英')).toBe('"王秀英"');
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField(-500)).toBe('-500');
    expect(csvField(1500)).toBe('1500');
    expect(csvField(undefined)).toBe('');
    expect(csvField(['dibao', 'living_alone'])).toBe('"dibao;living_alone"');
    expect(() => csvField(Number.NaN)).toThrow();
    expect(neutralise('1-2')).toBe('1-2');
  });

  it('a document is UTF-8 with a BOM (Excel reads Chinese right), CR LF after every row', () => {
    const doc = csvDocument(['name', 'fen'], [['王秀英', 500]]);
    expect(doc).toBe('\ufeff"name","fen"\r\n"王秀英",500\r\n');
    expect(Buffer.from(doc, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('for any text and numbers: read back, text cells are the neutralised text and never a formula; numbers are the numbers', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('=1+1', '-1', '+', '@', '\t', '\r\n=x', ' -3', '"', ',', '\n'), fc.string().map((s) => `=${s}`));
    fc.assert(fc.property(fc.array(fc.tuple(text, fc.integer({ min: -1_000_000, max: 1_000_000 })), { minLength: 1, maxLength: 20 }), (rows) => {
      const back = read(csvDocument(['text', 'fen'], rows));
      expect(back[0]).toEqual(['text', 'fen']);
      back.slice(1).forEach(([t, n], i) => {
        const [sent, fen] = rows[i]!;
        expect(t).toBe(sent === '' ? '' : neutralise(sent));
        expect(FORMULA.test(t!)).toBe(false);
        expect(Number(n)).toBe(fen);
      });
    }));
  });
});
