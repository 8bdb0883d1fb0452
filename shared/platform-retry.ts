/**
 * The platform deliverer's retry settings, in one place: the deliverer's defaults
 * (functions/lib/config.ts), the stack's environment (infra/stack.ts), the local link's quicker
 * values (scripts/local/platform-link.ts) and the tests' fast ones all come from here.
 */
export interface PlatformRetrySettings {
  /** Attempts in a round before the event is parked as a dead letter. */
  readonly maxAttempts: number;
  /** First back-off, in seconds (doubled per attempt, jittered). */
  readonly baseSeconds: number;
  /** Longest back-off, in seconds. */
  readonly capSeconds: number;
}

/** The environment variables an operator sets to change them (e.g. to stretch retries over a long outage). */
export const platformRetryEnv = {
  maxAttempts: 'PLATFORM_MAX_ATTEMPTS',
  baseSeconds: 'PLATFORM_RETRY_BASE_SECONDS',
  capSeconds: 'PLATFORM_RETRY_CAP_SECONDS',
} as const satisfies Record<keyof PlatformRetrySettings, string>;

/** In AWS: 30 s doubling to an hour, ten attempts (about six hours of a platform outage). */
export const platformRetryDefaults: PlatformRetrySettings = { maxAttempts: 10, baseSeconds: 30, capSeconds: 3600 };

/** `npm start`: quicker than in AWS so a demo shows retries and a dead letter within minutes. */
export const platformRetryLocal: PlatformRetrySettings = { maxAttempts: 8, baseSeconds: 2, capSeconds: 60 };

/** The settings as environment variables (strings), for the stack and the local runners. */
export const platformRetryEnvironment = (s: PlatformRetrySettings): Record<string, string> =>
  Object.fromEntries((Object.keys(platformRetryEnv) as (keyof PlatformRetrySettings)[]).map((k) => [platformRetryEnv[k], String(s[k])]));
