import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The schemas use `zod/mini`: the same validation as classic zod, in a functional style
 * (`z.optional(x)`, `x.check(z.maxLength(n))`) that lets esbuild keep only what is used, about
 * 70 KB less in every function's bundle (see the benchmarks in the README).
 */
// Classic zod loads English messages by default; mini loads none, so the English ones only.
z.config(en());

export const countyCode = z.string().check(z.regex(/^\d{6}$/, 'must be a 6-digit county division code'));
export const townshipCode = z.string().check(z.regex(/^\d{9}$/, 'must be a 9-digit township division code'));
export const villageCode = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit village or community division code'));
export const id = (what: string) => z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^[A-Za-z0-9_-]+$/, `must be a ${what} id`));
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with offset' });

// ---- text that people read: one set of rules for every free string field of every request

/** Control characters (Unicode general category Cc): C0 U+0000-U+001F, DEL U+007F, C1 U+0080-U+009F. */
const CONTROL = /\p{Cc}/u;
/** The same, except tab and line feed, which a multi-line note may hold. */
const CONTROL_BUT_TAB_LF = /(?![\t\n])\p{Cc}/u;
/**
 * A surrogate code unit not part of a pair (category Cs under the `u` flag): such a string is not
 * well-formed UTF-16, can't be encoded as UTF-8 (Unicode 3.9 D92) and is stored and shown as
 * garbage or U+FFFD.
 */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Characters that show nothing on their own: white space and separators (White_Space, Z), controls
 * (Cc), format characters (Cf: zero-width space U+200B, joiners U+200C/U+200D, bidi controls,
 * U+FEFF...), Unicode's default-ignorable code points (variation selectors U+FE00-U+FE0F and
 * U+E0100-U+E01EF, Hangul fillers U+3164/U+FFA0, tag characters...), combining marks without a base
 * (M), and the blank braille pattern U+2800, a favourite for "empty" names.
 */
const INVISIBLE = /[\p{White_Space}\p{Z}\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/** Any invisible character or white space anywhere: ids compared byte for byte must not hide one. */
const INVISIBLE_OR_SPACE = /[\p{White_Space}\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

export const textMessages = {
  loneSurrogate: 'must be well-formed Unicode: it holds an unpaired surrogate (U+D800-U+DFFF)',
  control: 'must not contain control characters (U+0000-U+001F, U+007F-U+009F), tabs or line breaks',
  controlMultiline: 'must not contain control characters (U+0000-U+001F, U+007F-U+009F) other than tab and line feed',
  invisible: 'must contain at least one visible character (not only spaces, zero-width, format or combining characters)',
  keyChars: 'must not contain spaces, control characters or zero-width and other invisible characters',
} as const;

/** True when `s` has a character that shows something (see INVISIBLE). */
export const hasVisibleCharacter = (s: string): boolean => s.replace(INVISIBLE, '').length > 0;

/**
 * The first rule of `text` that `s` breaks, or undefined. Pure, for the schema and for tests.
 * `multiline` allows tab and line feed (a note typed into a text box); everything else of
 * category Cc is refused everywhere (NUL truncates strings in C-based tools, escape sequences
 * rewrite terminals, C1 controls are mojibake of Windows-1252 text).
 */
export function textProblem(s: string, multiline = false): string | undefined {
  if (LONE_SURROGATE.test(s)) return textMessages.loneSurrogate;
  if ((multiline ? CONTROL_BUT_TAB_LF : CONTROL).test(s)) return multiline ? textMessages.controlMultiline : textMessages.control;
  if (s.length > 0 && !hasVisibleCharacter(s)) return textMessages.invisible;
  return undefined;
}

/**
 * Text a person typed and others will read (names, addresses, reasons, notes, dish names), of
 * `min` to `max` UTF-16 code units after normalisation:
 * - trimmed (ECMAScript white space), then refused when it holds an unpaired surrogate, a
 *   control character (see `textProblem`; `multiline: true` keeps tab and line feed, and turns
 *   CR LF and lone CR into LF first), or nothing visible at all (a name of U+200B U+200D only);
 * - normalised to NFC (Unicode TR15), so the same name typed on two devices is stored, compared
 *   and counted as the same string (e + U+0301 becomes é).
 * Each rule has its own message (`textMessages`), reported on the field's path.
 * Real names keep working: 阿依古丽·买买提 (U+00B7 middle dot), 欧阳娜娜, emoji with ZWJ.
 */
export const text = (min: number, max: number, opts: { multiline?: boolean } = {}) =>
  z.string().check(
    ...(opts.multiline ? [z.overwrite((s: string) => s.replace(/\r\n?/g, '\n'))] : []),
    z.trim(),
    z.superRefine((s: string, ctx) => {
      const problem = textProblem(s, opts.multiline);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
    }),
    z.normalize('NFC'),
    z.minLength(min),
    z.maxLength(max),
  );

/**
 * A key a client chooses (clientRecordId, and the like), 1 to `max` characters: trimmed, `text`
 * rules, NFC, and no white space or invisible character anywhere, since two keys that look the
 * same must be the same key.
 */
export const clientKey = (max: number) =>
  z.string().check(
    z.trim(),
    z.superRefine((s: string, ctx) => {
      const problem = textProblem(s) ?? (INVISIBLE_OR_SPACE.test(s) ? textMessages.keyChars : undefined);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: s });
    }),
    z.normalize('NFC'),
    z.minLength(1),
    z.maxLength(max),
  );

/** An http(s) URL a person pastes (a kitchen's live stream): no spaces, controls or invisible characters. */
export const webUrl = (max = 2048) => z.pipe(clientKey(max), z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));

/** A whole number within bounds. */
export const whole = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));
/** Named schema: one entry under components in the OpenAPI document. */
export const named = <T extends z.ZodMiniType>(schema: T, id: string): T => schema.check(z.meta({ id }));
/** A description for the OpenAPI document. */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

export const errorBody = named(
  z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.looseObject({ path: z.optional(z.string()), message: z.string() })),
    }),
  }),
  'Error',
);

export const pageQuery = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 50),
  nextToken: z.optional(z.string().check(z.maxLength(2048), z.regex(/^[A-Za-z0-9_.-]*$/, 'is not a token this list gave out'))),
});
