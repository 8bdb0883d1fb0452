import * as ExcelJSNamespace from 'exceljs';
import type { Workbook as WorkbookType } from 'exceljs';
import type { Answer } from '../../api.js';
import { modeLabels, slotLabels } from '../../messages.js';
import { categoryLabels, st } from '../../staff-messages.js';

/**
 * The spreadsheet chunk: a settlement as an Excel workbook (.xlsx), written in the browser with
 * exceljs, loaded only when staff press 下载 Excel 表格.
 *
 * - Numbers are numbers: money in yuan (the API's integer fen / 100) with the number format
 *   `0.00`, counts as integers, so the spreadsheet adds them up.
 * - The totals row holds plain numbers computed here to the fen (sums of the integer fen, then
 *   / 100), not SUM formulas: a formula without a cached value shows empty in some viewers
 *   (previews, WPS on phones) until recalculated.
 * - Text is text (CWE-1236): every text cell is written as a string value, never a formula, and
 *   one that starts like a formula (= + - @, their full-width forms, tab or CR; the rule of
 *   shared/csv.ts) also gets the text number format `@`, so retyping it in Excel keeps it text.
 */
type Settlement = Answer<'settlementReport'>;

// exceljs's browser build is a UMD bundle: its classes are on the namespace or on its default.
const ExcelJS = ((ExcelJSNamespace as unknown as { default?: typeof ExcelJSNamespace }).default ?? ExcelJSNamespace) as typeof ExcelJSNamespace;

const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;
const YUAN = '0.00';

type Cell = string | number | null;
const yuanOf = (fen: number | undefined): number | null => (fen === undefined ? null : fen / 100);

function putRow(sheet: ReturnType<WorkbookType['addWorksheet']>, values: Cell[], money: readonly number[] = []): void {
  const row = sheet.addRow(values);
  values.forEach((v, i) => {
    const cell = row.getCell(i + 1);
    if (typeof v === 'string' && FORMULA_START.test(v)) cell.numFmt = '@';
    if (typeof v === 'number' && money.includes(i)) cell.numFmt = YUAN;
  });
}

/** The workbook: sheet 结算汇总 (the figures and by category), sheet 结算明细 (the lines and a totals row). */
export async function settlementXlsx(s: Settlement): Promise<Blob> {
  const wb = new ExcelJS.Workbook();
  wb.creator = st.brand;
  const summary = wb.addWorksheet('结算汇总');
  summary.columns = [{ width: 22 }, { width: 40 }, { width: 16 }];
  putRow(summary, [st.chooseSite, s.siteName]);
  putRow(summary, [st.month, s.month]);
  putRow(summary, [st.meals, s.meals]);
  putRow(summary, [st.subsidised, s.subsidisedMeals]);
  putRow(summary, [`${st.mealSubsidy}（元）`, yuanOf(s.mealSubsidyFen)], [1]);
  putRow(summary, [`${st.siteSubsidy}（元）`, yuanOf(s.siteSubsidyFen)], [1]);
  putRow(summary, [`${st.totalSubsidy}（元）`, yuanOf(s.totalFen)], [1]);
  putRow(summary, []);
  putRow(summary, [st.category, st.meals, `${st.subsidy}（元）`]);
  for (const c of s.byCategory) putRow(summary, [categoryLabels[c.category as keyof typeof categoryLabels] ?? c.category, c.meals, yuanOf(c.subsidyFen)], [2]);

  const lines = wb.addWorksheet(st.xlsxSheet);
  lines.columns = st.xlsxHeader.map((_, i) => ({ width: [10, 12, 8, 12, 22, 10, 12, 12, 12, 20, 8][i] }));
  putRow(lines, [...st.xlsxHeader]);
  lines.getRow(1).font = { bold: true };
  const money = [6, 7, 8];
  let price = 0;
  let pay = 0;
  let subsidy = 0;
  let diners = 0;
  for (const l of s.lines) {
    price += l.priceFen ?? 0;
    pay += l.payFen ?? 0;
    subsidy += l.subsidyFen;
    diners += l.diners ?? 0;
    putRow(lines, [
      st.xlsxKinds[l.kind],
      l.date,
      l.slot ? (slotLabels[l.slot as keyof typeof slotLabels] ?? l.slot) : null,
      l.elderName ?? null,
      l.idNumberMasked ?? null,
      l.mode ? (modeLabels[l.mode as keyof typeof modeLabels] ?? l.mode) : null,
      yuanOf(l.priceFen),
      yuanOf(l.payFen),
      yuanOf(l.subsidyFen),
      l.categories?.length ? l.categories.map((c) => categoryLabels[c as keyof typeof categoryLabels] ?? c).join('、') : null,
      l.diners ?? null,
    ], money);
  }
  putRow(lines, [st.xlsxTotal, null, null, null, null, null, price / 100, pay / 100, subsidy / 100, null, diners], money);
  lines.lastRow!.font = { bold: true };
  const buffer = await wb.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
