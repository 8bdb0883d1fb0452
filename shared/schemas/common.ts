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

/** Trimmed text of `min` to `max` characters. */
export const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));
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
  nextToken: z.optional(z.string().check(z.maxLength(2048))),
});
