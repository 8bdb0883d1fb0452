/**
 * The one CSV writer: every CSV the product writes goes through `csvDocument`, so each is safe to
 * open in a spreadsheet program.
 *
 * - RFC 4180: fields separated by commas, records by CR LF; a text field is always quoted, a
 *   quote inside doubled.
 * - Formula injection (CWE-1236, OWASP "CSV Injection"): Excel, WPS and LibreOffice run a cell
 *   that starts with `=`, `+`, `-` or `@` as a formula (`=HYPERLINK(...)`, DDE), and tab or CR
 *   first can smuggle one in. A text cell whose first character is one of those, after any
 *   leading white space, or their full-width forms (＝＋－＠, which Chinese input methods type
 *   and some spreadsheet versions take for the ASCII ones), gets a single quote `'` in front,
 *   inside the quotes, as OWASP advises: the program then shows it as text. This is decided by
 *   the value's type, not its looks: a name such as `-王` is text and is neutralised, while a
 *   number the product computed (`-500` fen) is written as a number and stays one, so sums in
 *   the spreadsheet still work.
 * - UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads a CSV in the
 *   system's code page (GBK) and garbles every Chinese name; with it, Excel, WPS, Numbers and
 *   LibreOffice all read UTF-8.
 */

/** A cell: text (neutralised and quoted), a number the product computed (written as is), or empty. */
export type CsvCell = string | number | readonly string[] | null | undefined;

/** First characters a spreadsheet program reads as the start of a formula (CWE-1236). */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;

/** Text as a spreadsheet program will show it, never run it: see the module comment. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One field. Numbers must be finite: a product number that is NaN is a bug, not a cell. Arrays
 * (categories) are joined with `;` and are text.
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('a CSV number must be finite');
    return String(value);
  }
  const text = typeof value === 'string' ? value : value.join(';');
  if (text === '') return '';
  return `"${neutralise(text).replaceAll('"', '""')}"`;
}

/** A whole document: BOM, the header row, then the rows, each ended by CR LF. */
export function csvDocument(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
