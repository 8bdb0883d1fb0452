import { Duration, Lazy, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { cognitoClaims, type ClaimMap } from '../../shared/auth/claims.js';
import { customAttributes, roles } from '../../shared/auth/roles.js';
import { ServiceFunction } from './service-function.js';

/**
 * Who signs users in. `cognito`: a user pool in this stack (the global regions' default).
 * `oidc`: any OpenID Connect issuer the bureau uses: the province's unified identity platform
 * (统一身份认证) or a Keycloak the bureau runs; the only choice in the AWS China regions, which
 * offer no Cognito user pools. `claims` says where its tokens carry role and area (Cognito's
 * names when absent; a dotted path reads a nested claim, e.g. Keycloak's `realm_access.roles`).
 */
export type IdentitySettings =
  | { readonly kind: 'cognito' }
  | {
      readonly kind: 'oidc';
      /** The issuer URL exactly as in the tokens' `iss` (https). */
      readonly issuer: string;
      /** The `jwks_uri` of the issuer's discovery document. */
      readonly jwksUri: string;
      /** The web pages' client id (public client, authorization code + PKCE) at the issuer. */
      readonly webClientId: string;
      /** Client ids whose tokens the API accepts (the web client's is added). */
      readonly audience?: readonly string[];
      readonly claims?: Partial<ClaimMap>;
    };

/** The claim names' environment variables (functions/lib/config.ts `oidcIssuer`). */
const claimEnv: Record<keyof ClaimMap, string> = { roles: 'CLAIM_ROLES', county: 'CLAIM_COUNTY', township: 'CLAIM_TOWNSHIP', site: 'CLAIM_SITE', institution: 'CLAIM_INSTITUTION' };

/**
 * The stack's identity: what the web pages sign in with (`config.json`'s authority and client id,
 * the origins the content security policy allows) and what the API checks tokens with. Cognito's
 * tokens go through the HTTP API's JWT authorizer; any other issuer's through our Lambda
 * authorizer (functions/authorizer, jose), because only there can claims be read from where the
 * issuer puts them: the JWT authorizer flattens nested claims into strings. Resources are
 * created in the stack's own scope, under the ids they have always had.
 */
export class Identity {
  readonly authority: string;
  readonly webClientId: string;
  readonly identityOrigins: string[];
  readonly userPool?: cognito.UserPool;
  readonly apiClient?: cognito.UserPoolClient;
  private webClient?: cognito.UserPoolClient;
  private readonly authorizerFn?: ServiceFunction;

  constructor(private readonly scope: Stack, settings: IdentitySettings, opts: { partition: 'aws' | 'aws-cn' }) {
    if (settings.kind === 'cognito') {
      if (opts.partition === 'aws-cn') {
        throw new Error('Cognito user pools are not offered in the AWS China regions: give the bureau\'s OIDC issuer (-c oidcIssuer=... -c oidcJwksUri=... -c oidcWebClientId=...).');
      }
      this.userPool = cognitoPool(scope);
      this.apiClient = this.userPool.addClient('ApiClient', {
        authFlows: { userSrp: true },
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.hours(1),
        readAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true, preferredUsername: true }).withCustomAttributes(...customAttributes),
        // Users must not be able to move themselves to another county or site.
        writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ preferredUsername: true }),
      });
      const domain = this.userPool.addDomain('Login', { cognitoDomain: { domainPrefix: `eldercare-${scope.node.addr.slice(0, 12)}` }, managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN });
      this.authority = `https://cognito-idp.${scope.region}.${scope.urlSuffix}/${this.userPool.userPoolId}`;
      // Known only after deploy: a lazy reference, resolved in config.json.
      this.webClientId = Lazy.string({ produce: () => this.webClient!.userPoolClientId });
      this.identityOrigins = [`https://cognito-idp.${scope.region}.${scope.urlSuffix}`, `https://${domain.domainName}.auth.${scope.region}.amazoncognito.com`];
      return;
    }
    if (!/^https:\/\/[^\s/]+/.test(settings.issuer)) throw new Error(`oidcIssuer must be an https URL; got ${JSON.stringify(settings.issuer)}`);
    if (!/^https:\/\/[^\s/]+/.test(settings.jwksUri)) throw new Error(`oidcJwksUri must be an https URL; got ${JSON.stringify(settings.jwksUri)}`);
    if (!settings.webClientId) throw new Error('oidcWebClientId is required with an OIDC issuer');
    this.authority = settings.issuer;
    this.webClientId = settings.webClientId;
    this.identityOrigins = [new URL(settings.issuer).origin];
    const claims = { ...cognitoClaims, ...settings.claims };
    this.authorizerFn = new ServiceFunction(scope, 'AuthorizerFunction', {
      group: 'authorizer',
      entry: 'authorizer/lambda.ts',
      description: `Verifies tokens of ${settings.issuer} for the HTTP API`,
      // A cold start fetches the key set: give it time, but well under API Gateway's 10 s.
      timeout: Duration.seconds(5),
      memorySize: 512,
      environment: {
        OIDC_ISSUER: settings.issuer,
        OIDC_AUDIENCE: [...new Set([settings.webClientId, ...(settings.audience ?? [])])].join(','),
        OIDC_JWKS_URI: settings.jwksUri,
        ...Object.fromEntries((Object.keys(claimEnv) as (keyof ClaimMap)[]).map((k) => [claimEnv[k], claims[k]])),
      },
    });
  }

  /** The function that verifies tokens, when the issuer is not Cognito. */
  get authorizerFunction(): ServiceFunction | undefined {
    return this.authorizerFn;
  }

  /**
   * The web pages' client, once their URL is known (Cognito only: another issuer's client is
   * registered there, with `<WebUrl>/auth/callback` as its redirect URI).
   */
  addWebClient(webUrl: string): void {
    if (!this.userPool) return;
    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID],
        callbackUrls: [`${webUrl}/auth/callback`],
        logoutUrls: [`${webUrl}/`],
      },
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true, preferredUsername: true }).withCustomAttributes(...customAttributes),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ preferredUsername: true }),
    });
    new cognito.CfnManagedLoginBranding(this.scope, 'LoginBranding', { userPoolId: this.userPool.userPoolId, clientId: this.webClient.userPoolClientId, useCognitoProvidedValues: true });
  }

  /** The routes' authorizer. */
  authorizer(): IHttpRouteAuthorizer {
    if (this.userPool) {
      return new HttpUserPoolAuthorizer('Cognito', this.userPool, { userPoolClients: [this.apiClient!, ...(this.webClient ? [this.webClient] : [])], identitySource: ['$request.header.Authorization'] });
    }
    return new HttpLambdaAuthorizer('Oidc', this.authorizerFn!, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // A verdict per token for five minutes: a refused token is refused without a call too.
      resultsCacheTtl: Duration.minutes(5),
    });
  }
}

/** Users: one group per role; area in custom attributes that only administrators can set. */
function cognitoPool(scope: Construct): cognito.UserPool {
  const userPool = new cognito.UserPool(scope, 'Users', {
    selfSignUpEnabled: false,
    signInAliases: { username: true, phone: true },
    passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
    mfa: cognito.Mfa.OPTIONAL,
    mfaSecondFactor: { sms: true, otp: true },
    accountRecovery: cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    customAttributes: Object.fromEntries(customAttributes.map((a) => [a, new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true })])),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
  });
  const acknowledged: Record<string, string> = {
    'AwsSolutions-COG2': 'MFA is optional: meal-site tablets and card readers sign in unattended. Staff accounts are required to enrol MFA by bureau policy.',
    'AwsSolutions-COG3': 'Threat protection needs the Plus feature plan, a cost the bureau decides on; sign-in is limited to accounts the bureau creates.',
    'AwsSolutions-COG8': 'The Plus feature plan (threat protection) is a cost decision for the bureau; see COG3.',
    'AwsSolutions-IAM5[Resource::*]': 'Cognito\'s SMS role (MFA and verification codes) must be allowed sns:Publish to phone numbers, which have no ARN.',
  };
  for (const [id, reason] of Object.entries(acknowledged)) Validations.of(userPool).acknowledge({ id, reason });
  for (const role of roles) userPool.addGroup(`Group-${role}`, { groupName: role, description: `Role ${role}` });
  return userPool;
}
