import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { config } from '../lib/config.js';
import { logger } from '../lib/powertools.js';
import { createRealmVerifier } from './verify.js';

/**
 * The HTTP API's Lambda authorizer, for two issuers (the staff realm's and the public realm's),
 * each trusted only for its own roles (verify.ts createRealmVerifier): two Cognito user pools in
 * the global regions, the province's unified identity platform or a Keycloak the bureau runs in
 * the AWS China regions (which have no Cognito user pools). Simple responses: allowed with the caller's claims, in the API's own names, as
 * context, which the functions read as they read the JWT authorizer's claims. API Gateway caches
 * each verdict per Authorization header (the stack sets the time to live).
 */
let verify: ReturnType<typeof createRealmVerifier> | undefined;

export async function handler(event: APIGatewayRequestAuthorizerEventV2): Promise<{ isAuthorized: boolean; context?: Record<string, string> }> {
  verify ??= createRealmVerifier(config.oidcIssuers());
  const verdict = await verify(event.headers?.authorization ?? event.identitySource?.[0]);
  if (verdict.ok) return { isAuthorized: true, context: verdict.claims };
  logger.info('token refused', { reason: verdict.reason, routeKey: event.routeKey });
  return { isAuthorized: false };
}
