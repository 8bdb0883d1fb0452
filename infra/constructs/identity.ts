import { Duration, Lazy, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import type { IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { cognitoClaims, type ClaimMap } from '../../shared/auth/claims.js';
import { realmRoles, realms, type Realm } from '../../shared/auth/realms.js';
import { customAttributes } from '../../shared/auth/roles.js';
import { ServiceFunction } from './service-function.js';

/** One OpenID Connect issuer (a realm of the bureau's identity provider). */
export interface OidcIssuerSettings {
  /** The issuer URL exactly as in the tokens' `iss` (https). */
  readonly issuer: string;
  /** The `jwks_uri` of the issuer's discovery document. */
  readonly jwksUri: string;
  /** The web pages' client id (public client, authorization code + PKCE) at the issuer. */
  readonly webClientId: string;
  /** Client ids whose tokens the API accepts (the web client's is added). */
  readonly audience?: readonly string[];
  /** Where its tokens carry role and area (Cognito's names when absent; a dotted path reads a nested claim, e.g. Keycloak's `realm_access.roles`). */
  readonly claims?: Partial<ClaimMap>;
}

/**
 * Who signs users in, in two realms (shared/auth/realms.ts): staff and institutions (MFA by TOTP
 * required, recovery by an administrator only) apart from families and meal-site devices.
 * `cognito`: two user pools in this stack (the global regions' default). `oidc`: two issuers of
 * the bureau's own provider, the province's unified identity platform (统一身份认证) or a
 * Keycloak with a staff realm and a public realm; the only choice in the AWS China regions, which
 * offer no Cognito user pools.
 */
export type IdentitySettings =
  | { readonly kind: 'cognito' }
  | { readonly kind: 'oidc'; readonly staff: OidcIssuerSettings; readonly public: OidcIssuerSettings };

/** What the web pages read from config.json to sign in with one realm. */
export interface RealmSignIn {
  readonly authority: string;
  readonly clientId: string;
}

/** The claim names' environment variables, per realm (functions/lib/config.ts `oidcIssuers`). */
const claimEnv: Record<keyof ClaimMap, string> = { roles: 'CLAIM_ROLES', county: 'CLAIM_COUNTY', township: 'CLAIM_TOWNSHIP', site: 'CLAIM_SITE', institution: 'CLAIM_INSTITUTION' };

/** A realm's issuer as the authorizer function reads it: OIDC_<REALM>_ISSUER, ... */
function issuerEnvironment(realm: Realm, issuer: string, jwksUri: string, audience: string, claims: ClaimMap): Record<string, string> {
  const p = `OIDC_${realm.toUpperCase()}_`;
  return {
    [`${p}ISSUER`]: issuer,
    [`${p}AUDIENCE`]: audience,
    [`${p}JWKS_URI`]: jwksUri,
    ...Object.fromEntries((Object.keys(claimEnv) as (keyof ClaimMap)[]).map((k) => [`${p}${claimEnv[k]}`, claims[k]])),
  };
}

/**
 * The stack's identity: what the web pages sign in with (config.json's two realms, the origins
 * the content security policy allows) and how the API checks tokens.
 *
 * Why one Lambda authorizer (functions/authorizer, jose) for both realms in every partition, and
 * not the HTTP API's JWT authorizer: a JWT authorizer trusts one issuer, and a route has one
 * authorizer, while many routes serve roles of both realms (a family and staff both read an
 * elder's bookings). Two JWT authorizers per route group would split those routes in two, and
 * neither could check that an issuer grants only its own roles: the JWT authorizer checks
 * signature, issuer and audience, never which roles a token claims. The Lambda authorizer picks
 * the issuer's key set by the token's `iss`, verifies it, refuses a role of the other realm, and
 * reads claims from wherever a provider puts them (the JWT authorizer flattens nested claims).
 * Its verdicts are cached per token for five minutes, so most requests cost no invocation.
 */
export class Identity {
  readonly signIn: Record<Realm, RealmSignIn>;
  readonly identityOrigins: string[];
  /** Families, meal-site devices and the platform's account (Cognito only). */
  readonly userPool?: cognito.UserPool;
  /** County, township and institution staff: MFA (TOTP) required, recovery by an administrator (Cognito only). */
  readonly staffPool?: cognito.UserPool;
  /** Devices and scripts of the public realm that sign in with SRP (meal-site tablets, card readers). */
  readonly apiClient?: cognito.UserPoolClient;
  private webClients: Partial<Record<Realm, cognito.UserPoolClient>> = {};
  private readonly authorizerFn: ServiceFunction;

  constructor(private readonly scope: Stack, settings: IdentitySettings, opts: { partition: 'aws' | 'aws-cn' }) {
    let environment: Record<string, string>;
    if (settings.kind === 'cognito') {
      if (opts.partition === 'aws-cn') {
        throw new Error('Cognito user pools are not offered in the AWS China regions: give the bureau\'s two OIDC issuers, staff and public (-c staffOidcIssuer=... -c staffOidcJwksUri=... -c staffOidcWebClientId=... -c oidcIssuer=... -c oidcJwksUri=... -c oidcWebClientId=...).');
      }
      this.userPool = publicPool(scope);
      this.staffPool = staffPool(scope);
      this.apiClient = this.userPool.addClient('ApiClient', {
        authFlows: { userSrp: true },
        // SRP only, no OAuth: without this CDK would allow the implicit flow with a placeholder
        // callback (https://example.com), an address the bureau doesn't own.
        disableOAuth: true,
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.hours(1),
        readAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true, preferredUsername: true }).withCustomAttributes(...customAttributes),
        // Users must not be able to move themselves to another county or site.
        writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ preferredUsername: true }),
      });
      const domain = this.userPool.addDomain('Login', { cognitoDomain: { domainPrefix: `eldercare-${scope.node.addr.slice(0, 12)}` }, managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN });
      const staffDomain = this.staffPool.addDomain('StaffLogin', { cognitoDomain: { domainPrefix: `eldercare-staff-${scope.node.addr.slice(0, 12)}` }, managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN });
      const issuerOf = (pool: cognito.UserPool) => `https://cognito-idp.${scope.region}.${scope.urlSuffix}/${pool.userPoolId}`;
      // Known only after deploy, and the web clients only once the pages' URL is: lazy references.
      const clientId = (realm: Realm) => Lazy.string({ produce: () => this.webClients[realm]!.userPoolClientId });
      this.signIn = {
        public: { authority: issuerOf(this.userPool), clientId: clientId('public') },
        staff: { authority: issuerOf(this.staffPool), clientId: clientId('staff') },
      };
      this.identityOrigins = [
        `https://cognito-idp.${scope.region}.${scope.urlSuffix}`,
        `https://${domain.domainName}.auth.${scope.region}.amazoncognito.com`,
        `https://${staffDomain.domainName}.auth.${scope.region}.amazoncognito.com`,
      ];
      environment = {
        ...issuerEnvironment('public', issuerOf(this.userPool), `${issuerOf(this.userPool)}/.well-known/jwks.json`,
          Lazy.string({ produce: () => [this.apiClient!.userPoolClientId, this.webClients.public!.userPoolClientId].join(',') }), cognitoClaims),
        ...issuerEnvironment('staff', issuerOf(this.staffPool), `${issuerOf(this.staffPool)}/.well-known/jwks.json`,
          Lazy.string({ produce: () => this.webClients.staff!.userPoolClientId }), cognitoClaims),
      };
    } else {
      const checked = (realm: Realm, s: OidcIssuerSettings) => {
        const ctx = realm === 'staff' ? 'staffOidc' : 'oidc';
        if (!/^https:\/\/[^\s/]+/.test(s.issuer)) throw new Error(`${ctx}Issuer must be an https URL; got ${JSON.stringify(s.issuer)}`);
        if (!/^https:\/\/[^\s/]+/.test(s.jwksUri)) throw new Error(`${ctx}JwksUri must be an https URL; got ${JSON.stringify(s.jwksUri)}`);
        if (!s.webClientId) throw new Error(`${ctx}WebClientId is required with an OIDC issuer`);
        return s;
      };
      const issuers = { public: checked('public', settings.public), staff: checked('staff', settings.staff) };
      // One issuer for both would let the families' administrator grant staff roles.
      if (issuers.public.issuer === issuers.staff.issuer) throw new Error(`Staff need an issuer (realm) of their own, apart from families and devices: staffOidcIssuer and oidcIssuer are both ${issuers.staff.issuer}`);
      this.signIn = { public: { authority: issuers.public.issuer, clientId: issuers.public.webClientId }, staff: { authority: issuers.staff.issuer, clientId: issuers.staff.webClientId } };
      this.identityOrigins = [...new Set(realms.map((r) => new URL(issuers[r].issuer).origin))];
      environment = Object.assign({}, ...realms.map((r) => {
        const s = issuers[r];
        return issuerEnvironment(r, s.issuer, s.jwksUri, [...new Set([s.webClientId, ...(s.audience ?? [])])].join(','), { ...cognitoClaims, ...s.claims });
      })) as Record<string, string>;
    }
    this.authorizerFn = new ServiceFunction(scope, 'AuthorizerFunction', {
      group: 'authorizer',
      entry: 'authorizer/lambda.ts',
      description: 'Verifies tokens of the staff and the public issuer for the HTTP API, each for its own roles',
      // A cold start fetches the key sets: give it time, but well under API Gateway's 10 s.
      timeout: Duration.seconds(5),
      memorySize: 512,
      environment,
    });
  }

  /** The function that verifies tokens (both realms). */
  get authorizerFunction(): ServiceFunction {
    return this.authorizerFn;
  }

  /**
   * The web pages' clients, once their URL is known (Cognito only: another issuer's clients are
   * registered there, with `<WebUrl>/auth/callback` as their redirect URI). Authorization code
   * with PKCE only (no implicit flow), callbacks on the pages' own origin (never a placeholder).
   * Staff: short refresh tokens (10 hours, a working day), rotated at each use.
   */
  addWebClients(webUrl: string): void {
    if (!this.userPool || !this.staffPool) return;
    const common = {
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      enableTokenRevocation: true,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID],
        callbackUrls: [`${webUrl}/auth/callback`],
        logoutUrls: [`${webUrl}/`],
      },
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({ phoneNumber: true, preferredUsername: true }).withCustomAttributes(...customAttributes),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ preferredUsername: true }),
    } satisfies Partial<cognito.UserPoolClientOptions>;
    this.webClients.public = this.userPool.addClient('WebClient', { ...common, authFlows: {} });
    this.webClients.staff = this.staffPool.addClient('StaffWebClient', {
      ...common,
      // SRP only: with rotation on, Cognito refuses ALLOW_REFRESH_TOKEN_AUTH (CDK leaves it out);
      // the pages refresh at the token endpoint (refresh_token grant), which rotates.
      authFlows: { userSrp: true },
      refreshTokenValidity: Duration.hours(10),
      refreshTokenRotationGracePeriod: Duration.seconds(10),
    });
    new cognito.CfnManagedLoginBranding(this.scope, 'LoginBranding', { userPoolId: this.userPool.userPoolId, clientId: this.webClients.public.userPoolClientId, useCognitoProvidedValues: true });
    new cognito.CfnManagedLoginBranding(this.scope, 'StaffLoginBranding', { userPoolId: this.staffPool.userPoolId, clientId: this.webClients.staff.userPoolClientId, useCognitoProvidedValues: true });
  }

  /** The routes' authorizer: one for both realms (see the class's comment for why). */
  authorizer(): IHttpRouteAuthorizer {
    return new HttpLambdaAuthorizer('Oidc', this.authorizerFn, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // A verdict per token for five minutes: a refused token is refused without a call too.
      resultsCacheTtl: Duration.minutes(5),
    });
  }
}

const customAttributeSchema = () => Object.fromEntries(customAttributes.map((a) => [a, new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true })]));

/**
 * Families, meal-site devices and the platform's account: one group per role of the public
 * realm; area in custom attributes that only administrators can set. MFA stays optional here:
 * meal-site tablets and card readers sign in unattended, and a family member may have no
 * authenticator app.
 */
function publicPool(scope: Stack): cognito.UserPool {
  const userPool = new cognito.UserPool(scope, 'Users', {
    selfSignUpEnabled: false,
    signInAliases: { username: true, phone: true },
    passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
    mfa: cognito.Mfa.OPTIONAL,
    mfaSecondFactor: { sms: true, otp: true },
    accountRecovery: cognito.AccountRecovery.PHONE_WITHOUT_MFA_AND_EMAIL,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    customAttributes: customAttributeSchema(),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
  });
  const acknowledged: Record<string, string> = {
    'AwsSolutions-COG2': 'MFA is optional in the public pool only: meal-site tablets and card readers sign in unattended. Staff and institutions sign in at the staff pool, where MFA (TOTP) is required.',
    'AwsSolutions-COG3': 'Threat protection needs the Plus feature plan, a cost the bureau decides on; sign-in is limited to accounts the bureau creates.',
    'AwsSolutions-COG8': 'The Plus feature plan (threat protection) is a cost decision for the bureau; see COG3.',
    'AwsSolutions-IAM5[Resource::*]': 'Cognito\'s SMS role (MFA and verification codes) must be allowed sns:Publish to phone numbers, which have no ARN.',
  };
  for (const [id, reason] of Object.entries(acknowledged)) Validations.of(userPool).acknowledge({ id, reason });
  for (const role of realmRoles.public) userPool.addGroup(`Group-${role}`, { groupName: role, description: `Role ${role}` });
  return userPool;
}

/**
 * Staff and institutions, who read ID numbers, names and care levels: MFA required, by TOTP only
 * (an authenticator app; no SMS codes, which SIM swaps and number recycling defeat), no self
 * sign-up, recovery by an administrator only (no reset code by SMS or e-mail: a lost phone or
 * password goes through the bureau, which checks who asks), a longer password with history, and
 * temporary passwords valid one day.
 */
function staffPool(scope: Stack): cognito.UserPool {
  const pool = new cognito.UserPool(scope, 'StaffUsers', {
    selfSignUpEnabled: false,
    signInAliases: { username: true },
    passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(1), passwordHistorySize: 12 },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { sms: false, otp: true },
    accountRecovery: cognito.AccountRecovery.NONE,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    customAttributes: customAttributeSchema(),
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
  });
  Validations.of(pool).acknowledge({ id: 'AwsSolutions-COG3', reason: 'Threat protection needs the Plus feature plan, a cost the bureau decides on; staff sign in with TOTP and accounts only the bureau creates.' });
  Validations.of(pool).acknowledge({ id: 'AwsSolutions-COG8', reason: 'The Plus feature plan (threat protection) is a cost decision for the bureau; see COG3.' });
  for (const role of realmRoles.staff) pool.addGroup(`Group-${role}`, { groupName: role, description: `Role ${role}` });
  return pool;
}
