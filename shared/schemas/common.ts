import * as z from 'zod';

export const countyCode = z.string().regex(/^\d{6}$/, 'must be a 6-digit county division code');
export const townshipCode = z.string().regex(/^\d{9}$/, 'must be a 9-digit township division code');
export const villageCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit village or community division code');
export const id = (what: string) => z.string().min(1).max(256).regex(/^[A-Za-z0-9_-]+$/, `must be a ${what} id`);
export const isoDate = z.iso.date({ message: 'must be a date YYYY-MM-DD' });
export const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with offset' });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() }).loose()),
    }),
  })
  .meta({ id: 'Error' });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  nextToken: z.string().max(2048).optional(),
});
