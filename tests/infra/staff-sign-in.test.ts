import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { appClientsSound, staffPoolsGuarded, type TemplateJson } from '../../infra/rules.js';

// Issue 15, point 3: staff sign in apart from families and meal-site devices, with MFA (TOTP)
// required and recovery by an administrator only; app clients without implicit flow or
// placeholder callbacks; short, rotated staff refresh tokens.
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const global = Template.fromStack(buildApp(new App({ context: noBundling })).stack);
const json = global.toJSON() as TemplateJson;
const pools = global.findResources('AWS::Cognito::UserPool');
const [staffPoolId, staffPool] = Object.entries(pools).find(([id]) => id.startsWith('StaffUsers'))!;
const [, publicPool] = Object.entries(pools).find(([id]) => id.startsWith('Users'))!;
const clients = global.findResources('AWS::Cognito::UserPoolClient');

describe('global regions: a Cognito user pool for staff', () => {
  it('requires MFA, by TOTP only (no SMS), with no self sign-up and recovery by an administrator only', () => {
    const p = staffPool.Properties;
    expect(p.MfaConfiguration).toBe('ON');
    expect(p.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(p.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] });
    expect(p.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(p.SmsConfiguration).toBeUndefined();
    expect(p.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 14, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true, TemporaryPasswordValidityDays: 1, PasswordHistorySize: 12 });
  });

  it('holds only the staff realm\'s groups; the families\' and devices\' pool keeps its own rules and groups', () => {
    const groupsOf = (poolId: string) => Object.values(global.findResources('AWS::Cognito::UserPoolGroup')).filter((g) => g.Properties.UserPoolId.Ref === poolId).map((g) => g.Properties.GroupName).sort();
    expect(groupsOf(staffPoolId)).toEqual(['institution', 'staff']);
    const publicId = Object.keys(pools).find((id) => id.startsWith('Users'))!;
    expect(groupsOf(publicId)).toEqual(['family', 'platform', 'site']);
    // Unattended meal-site devices: MFA optional there.
    expect(publicPool.Properties.MfaConfiguration).toBe('OPTIONAL');
  });

  it('gives staff a web client with short refresh tokens (10 h), rotated, and no user-existence errors', () => {
    const [, staffClient] = Object.entries(clients).find(([id]) => id.startsWith('StaffUsersStaffWebClient'))!;
    const c = staffClient.Properties;
    expect(c.UserPoolId).toEqual({ Ref: staffPoolId });
    expect(c.RefreshTokenValidity).toBe(600);
    expect(c.TokenValidityUnits.RefreshToken).toBe('minutes');
    expect(c.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    // With rotation, Cognito refuses ALLOW_REFRESH_TOKEN_AUTH: refresh goes through the token endpoint.
    expect(c.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH']);
    expect(c.PreventUserExistenceErrors).toBe('ENABLED');
    expect(c.EnableTokenRevocation).toBe(true);
  });

  it('has no app client with the implicit flow or a placeholder callback URL', () => {
    for (const [id, { Properties: c }] of Object.entries(clients)) {
      expect(c.AllowedOAuthFlows ?? [], id).not.toContain('implicit');
      expect(JSON.stringify(c.CallbackURLs ?? []), id).not.toMatch(/example\.com/);
      expect(c.PreventUserExistenceErrors, id).toBe('ENABLED');
    }
    expect(appClientsSound(json)).toEqual([]);
    expect(staffPoolsGuarded(json)).toEqual([]);
  });
});

describe('our synth rules catch a staff pool or an app client that is not sound', () => {
  const bad = structuredClone(json) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const p = bad.Resources[staffPoolId]!.Properties;
  p.MfaConfiguration = 'OPTIONAL';
  p.EnabledMfas = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'];
  p.AccountRecoverySetting = { RecoveryMechanisms: [{ Name: 'verified_phone_number', Priority: 1 }] };
  p.AdminCreateUserConfig = { AllowAdminCreateUserOnly: false };
  const [clientId] = Object.keys(clients);
  Object.assign(bad.Resources[clientId!]!.Properties, { AllowedOAuthFlows: ['code', 'implicit'], CallbackURLs: ['https://example.com'] });

  it('refuses a user pool holding staff without MFA ON, TOTP only, admin-only recovery, and closed sign-up', () => {
    expect(staffPoolsGuarded(bad as TemplateJson)).toEqual([
      expect.objectContaining({ rule: 'staff-mfa', resource: staffPoolId }),
      expect.objectContaining({ rule: 'staff-mfa-totp', resource: staffPoolId }),
      expect.objectContaining({ rule: 'staff-recovery', resource: staffPoolId }),
      expect.objectContaining({ rule: 'staff-self-sign-up', resource: staffPoolId }),
    ]);
  });

  it('finds the staff in any pool: staff put in the public pool make that pool a staff pool', () => {
    const moved = structuredClone(json) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const publicId = Object.keys(pools).find((id) => id.startsWith('Users'))!;
    const staffGroup = Object.values(moved.Resources).find((r) => r.Type === 'AWS::Cognito::UserPoolGroup' && r.Properties.GroupName === 'staff')!;
    staffGroup.Properties.UserPoolId = { Ref: publicId };
    expect(staffPoolsGuarded(moved as TemplateJson).map((f) => [f.rule, f.resource])).toContainEqual(['staff-mfa', publicId]);
  });

  it('refuses the implicit flow and a placeholder callback', () => {
    expect(appClientsSound(bad as TemplateJson).map((f) => f.rule)).toEqual(['client-implicit-flow', 'client-placeholder-callback']);
  });
});

describe('AWS China regions: two OIDC issuers, staff and public', () => {
  const issuers = {
    oidcIssuer: 'https://sso.mzj.example.gov.cn/realms/county',
    oidcJwksUri: 'https://sso.mzj.example.gov.cn/realms/county/protocol/openid-connect/certs',
    oidcWebClientId: 'eldercare-web',
    claimRoles: 'realm_access.roles',
    staffOidcIssuer: 'https://idp.henan.example.gov.cn/staff',
    staffOidcJwksUri: 'https://idp.henan.example.gov.cn/staff/jwks',
    staffOidcWebClientId: 'eldercare-staff',
    staffOidcAudience: 'eldercare-staff-desk',
    staffClaimRoles: 'roles',
    webDomain: 'yanglao.example.gov.cn',
    webIamCertificateId: 'ASCAEXAMPLECERTIFICATE1',
  };
  const china = buildApp(new App({ context: { ...noBundling, partition: 'aws-cn', ...issuers } }));
  const cn = Template.fromStack(china.stack);

  it('has no Cognito resource, and both issuers reach the one authorizer, each with its own clients and claim names', () => {
    expect(Object.values(cn.toJSON().Resources as Record<string, { Type: string }>).filter((r) => r.Type.startsWith('AWS::Cognito'))).toEqual([]);
    expect(Object.keys(cn.findResources('AWS::ApiGatewayV2::Authorizer'))).toHaveLength(1);
    const env = Object.values(cn.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {}).find((v) => v.OIDC_STAFF_ISSUER)!;
    expect(env).toMatchObject({
      OIDC_PUBLIC_ISSUER: issuers.oidcIssuer, OIDC_PUBLIC_JWKS_URI: issuers.oidcJwksUri, OIDC_PUBLIC_AUDIENCE: 'eldercare-web', OIDC_PUBLIC_CLAIM_ROLES: 'realm_access.roles',
      OIDC_STAFF_ISSUER: issuers.staffOidcIssuer, OIDC_STAFF_JWKS_URI: issuers.staffOidcJwksUri, OIDC_STAFF_AUDIENCE: 'eldercare-staff,eldercare-staff-desk', OIDC_STAFF_CLAIM_ROLES: 'roles',
      // Unset staff claim names are the public realm's (here Cognito's default).
      OIDC_STAFF_CLAIM_COUNTY: 'custom:county',
    });
  });

  it('writes both realms into config.json and lets the content security policy reach both issuers', () => {
    const out = china.app.synth().directory;
    const configs = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('config.json')).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
    expect(configs).toContainEqual({ oidc: {
      public: expect.objectContaining({ authority: issuers.oidcIssuer, clientId: 'eldercare-web', scope: 'openid' }),
      staff: expect.objectContaining({ authority: issuers.staffOidcIssuer, clientId: 'eldercare-staff', scope: 'openid' }),
    } });
    const policy = Object.values(cn.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string;
    expect(policy).toMatch(/connect-src 'self' https:\/\/sso\.mzj\.example\.gov\.cn https:\/\/idp\.henan\.example\.gov\.cn;/);
  });

  it('refuses one issuer for both realms, and one realm without the other', () => {
    expect(() => buildApp(new App({ context: { ...noBundling, partition: 'aws-cn', ...issuers, staffOidcIssuer: issuers.oidcIssuer } }))).toThrow(/issuer \(realm\) of their own/);
    const { staffOidcIssuer: _s, ...onlyPublic } = issuers;
    expect(() => buildApp(new App({ context: { ...noBundling, partition: 'aws-cn', ...onlyPublic } }))).toThrow(/two issuers, staff and public.*staffOidcIssuer/);
  });
});
