import { csvDocument, type CsvCell } from '#shared/csv.js';
import { counted } from './reports.js';
import type { Serving } from './model.js';

/**
 * Monthly settlement (结算) of one site: one line per subsidised meal, one line per day for the
 * per-diner site subsidy, and totals that are the sums of those lines to the fen.
 */
export interface SettlementLine {
  readonly kind: 'meal' | 'site_diner_day';
  readonly date: string;
  readonly servingId?: string;
  readonly slot?: string;
  readonly elderId?: string;
  readonly elderName?: string;
  readonly idNumberMasked?: string;
  readonly mode?: string;
  readonly priceFen?: number;
  readonly payFen?: number;
  readonly policyVersion?: string;
  readonly categories?: string[];
  readonly diners?: number;
  readonly subsidyFen: number;
}

export interface Settlement {
  readonly meals: number;
  readonly subsidisedMeals: number;
  readonly mealSubsidyFen: number;
  readonly siteSubsidyFen: number;
  readonly totalFen: number;
  readonly byCategory: { category: string; meals: number; subsidyFen: number }[];
  readonly lines: SettlementLine[];
}

export function settle(servings: readonly Serving[], elders: ReadonlyMap<string, { name: string; idNumberMasked: string }>): Settlement {
  const live = servings.filter(counted).sort((a, b) => a.servedAt.localeCompare(b.servedAt));
  const mealLines: SettlementLine[] = live
    .filter((s) => s.subsidyFen > 0)
    .map((s) => ({
      kind: 'meal',
      date: s.date,
      servingId: s.id,
      slot: s.slot,
      elderId: s.elderId,
      elderName: elders.get(s.elderId)?.name ?? '',
      idNumberMasked: elders.get(s.elderId)?.idNumberMasked ?? '',
      mode: s.mode,
      priceFen: s.priceFen,
      payFen: s.payFen,
      ...(s.policyVersion && { policyVersion: s.policyVersion }),
      categories: s.categories,
      subsidyFen: s.subsidyFen,
    }));
  const dinerLines: SettlementLine[] = [];
  for (const date of [...new Set(live.map((s) => s.date))].sort()) {
    const day = live.filter((s) => s.date === date);
    const perDiner = day.find((s) => s.siteSubsidyPerDinerFen !== undefined)?.siteSubsidyPerDinerFen ?? 0;
    const diners = new Set(day.map((s) => s.elderId)).size;
    if (perDiner > 0) dinerLines.push({ kind: 'site_diner_day', date, diners, subsidyFen: diners * perDiner });
  }
  const categories = new Map<string, { meals: number; subsidyFen: number }>();
  for (const l of mealLines) {
    for (const c of l.categories?.length ? l.categories : ['none']) {
      const acc = categories.get(c) ?? { meals: 0, subsidyFen: 0 };
      categories.set(c, { meals: acc.meals + 1, subsidyFen: acc.subsidyFen + l.subsidyFen });
    }
  }
  const mealSubsidyFen = mealLines.reduce((n, l) => n + l.subsidyFen, 0);
  const siteSubsidyFen = dinerLines.reduce((n, l) => n + l.subsidyFen, 0);
  return {
    meals: live.length,
    subsidisedMeals: mealLines.length,
    mealSubsidyFen,
    siteSubsidyFen,
    totalFen: mealSubsidyFen + siteSubsidyFen,
    byCategory: [...categories].map(([category, v]) => ({ category, ...v })).sort((a, b) => a.category.localeCompare(b.category)),
    lines: [...mealLines, ...dinerLines],
  };
}

const columns = ['kind', 'date', 'servingId', 'slot', 'elderId', 'elderName', 'idNumberMasked', 'mode', 'categories', 'policyVersion', 'diners', 'priceFen', 'payFen', 'subsidyFen'] as const;

/**
 * CSV for the bureau's spreadsheet: the lines, then a total row; subsidyFen sums to the total.
 * Written by the product's one CSV writer (`shared/csv.ts`): names and other text can't run as
 * formulas (CWE-1236), money stays numeric, UTF-8 with a BOM.
 */
export function settlementCsv(s: Settlement, header: { siteId: string; month: string }): string {
  const rows: CsvCell[][] = s.lines.map((l) => columns.map((c) => l[c]));
  rows.push(columns.map((c) => (c === 'kind' ? 'total' : c === 'date' ? header.month : c === 'servingId' ? header.siteId : c === 'subsidyFen' ? s.totalFen : undefined)));
  return csvDocument(columns, rows);
}
