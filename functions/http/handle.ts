import type { Principal } from '#shared/auth/principal.js';
import type { RouteInput, RouteResult, RouteSpec } from '#shared/http/route.js';
import type { Pager } from '#shared/pagination.js';

/** List routes are those whose query takes a nextToken. */
type IsList<R extends RouteSpec> = 'nextToken' extends keyof RouteInput<R>['query'] ? true : false;

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
  /**
   * On list routes: the page asked for, its nextToken already verified against this route,
   * the caller's county and township and the request's filters (400 INVALID_PAGE_TOKEN if it
   * was not given out by this list), and `reply` to sign the next one.
   */
  readonly page: IsList<R> extends true ? Pager : undefined;
}

export type RouteHandler<R extends RouteSpec> = (input: RouteInput<R>, ctx: RouteContext<R>) => Promise<RouteResult<R>>;

/** Binds a handler to its route spec, so its input and result types come from the spec. */
export const handle = <R extends RouteSpec>(_spec: R, fn: RouteHandler<R>): RouteHandler<R> => fn;
