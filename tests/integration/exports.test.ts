import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api } from '../support/api.js';
import { mealsFixture } from '../support/meals.js';

/**
 * Exports are safe to open in a spreadsheet (issue 10, fault 4; CWE-1236). The settlement CSV is
 * fetched as bytes and read back with a real CSV parser, as a spreadsheet program reads it: a
 * cell that came from someone's text never starts like a formula, the money columns are still
 * numbers, and the totals still add up.
 */
let fx: Awaited<ReturnType<typeof mealsFixture>>;
beforeAll(async () => {
  fx = await mealsFixture({ effectiveFrom: '2020-01-01', rules: [{ match: { minAge: 60 }, subsidyFen: 500 }], siteSubsidyPerDinerFen: 300 });
});

const FORMULA = /^(?:[\t\r\n]|\s*[=+\-@＝＋－＠])/u;
const hostile = ['=HYPERLINK("http://x.invalid/","查看")', '-王', '+86 张', '@SUM(1,2)', '＝李四', ' =1+1'];

describe('settlement CSV', () => {
  it('neutralises names that look like formulas, keeps money numeric and totals that add up, in UTF-8 with a BOM', async () => {
    const site = await fx.newSite();
    const device = await fx.siteToken(site.id);
    const names = [...hostile, '王秀英', '阿依古丽·买买提'];
    const elders = await Promise.all(names.map((name) => fx.register({ name })));
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    const served = await api('POST', `/v1/meal-sites/${site.id}/servings`, { token: device, body: { records: elders.map((e) => ({ clientRecordId: `x-${e.id}`, elderId: e.id, servedAt: at, slot: 'lunch', mode: 'dine_in', verifiedBy: 'card' })) } });
    expect(served.body.results.every((r: { status: string }) => r.status === 'accepted')).toBe(true);
    // Names are stored as typed (after trimming): neutralising is the export's job, not the registry's.
    expect((await api('GET', `/v1/elders/${elders[0]!.id}`, { token: fx.staff })).body.name).toBe(hostile[0]);

    const month = new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 7);
    const path = `/v1/reports/meals/settlement?month=${month}&siteId=${site.id}`;
    const json = (await api('GET', path, { token: fx.staff })).body;
    const res = await fetch(`${inject('apiUrl')}${path}`, { headers: { authorization: `Bearer ${fx.staff}`, accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    // Unquoted fields are what a spreadsheet takes as numbers; quoted ones are text.
    const rows = parse(bytes.toString('utf8'), {
      bom: true,
      cast: (value, ctx) => (ctx.quoting || value === '' ? value : Number(value)),
    }) as (string | number)[][];
    const header = rows[0] as string[];
    const col = (name: string) => header.indexOf(name);
    const lines = rows.slice(1, -1);
    const total = rows.at(-1)!;
    expect(lines).toHaveLength(names.length + 1); // one line per subsidised meal, one per day of site subsidy

    const textColumns = ['kind', 'date', 'servingId', 'slot', 'elderId', 'elderName', 'idNumberMasked', 'mode', 'categories', 'policyVersion'].map(col);
    for (const row of rows) {
      for (const c of textColumns) {
        const cell = row[c];
        if (typeof cell === 'string') expect(FORMULA.test(cell), `${header[c]}: ${cell}`).toBe(false);
        else expect(cell, `${header[c]} is text`).toBe('');
      }
    }
    const shownNames = lines.filter((l) => l[col('kind')] === 'meal').map((l) => l[col('elderName')]);
    expect(shownNames.sort()).toEqual([...hostile.map((n) => `'${n.trim()}`), '王秀英', '阿依古丽·买买提'].sort());

    for (const l of lines) {
      expect(typeof l[col('subsidyFen')]).toBe('number');
      if (l[col('kind')] === 'meal') expect([typeof l[col('priceFen')], typeof l[col('payFen')]]).toEqual(['number', 'number']);
    }
    const sum = lines.reduce((n, l) => n + (l[col('subsidyFen')] as number), 0);
    expect(total[col('subsidyFen')]).toBe(sum);
    expect(sum).toBe(json.totalFen);
    expect(json.totalFen).toBe(names.length * 500 + names.length * 300);
  });
});
