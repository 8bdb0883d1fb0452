import type { Principal } from '#shared/auth/principal.js';
import type { RouteInput, RouteResult, RouteSpec } from '#shared/http/route.js';

/** What every handler gets besides its validated input. */
export interface RouteContext<R extends RouteSpec> {
  /** Absent only on public routes. */
  readonly principal: R['access'] extends 'public' | 'signed' ? undefined : Principal;
  /** The body exactly as received (signed routes verify their signature over it). */
  readonly rawBody: string;
  readonly requestId: string;
  /** One clock reading per request, so a handler never sees two different "nows". */
  readonly now: Date;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export type RouteHandler<R extends RouteSpec> = (input: RouteInput<R>, ctx: RouteContext<R>) => Promise<RouteResult<R>>;

/** Binds a handler to its route spec, so its input and result types come from the spec. */
export const handle = <R extends RouteSpec>(_spec: R, fn: RouteHandler<R>): RouteHandler<R> => fn;
