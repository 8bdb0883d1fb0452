import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { checkTemplate, type TemplateJson } from '../../infra/rules.js';
import { routeList } from '../../shared/routes/index.js';

// Issue 15, point 1: the same stack for the global regions (Cognito, JWT authorizer, X-Ray) and
// the AWS China regions (the bureau's OIDC issuer through a Lambda authorizer, no X-Ray).
const noBundling = { 'aws:cdk:bundling-stacks': [] };
const keycloak = {
  oidcIssuer: 'https://sso.mzj.example.gov.cn/realms/county',
  oidcJwksUri: 'https://sso.mzj.example.gov.cn/realms/county/protocol/openid-connect/certs',
  oidcWebClientId: 'eldercare-web',
  oidcAudience: 'eldercare-counter',
  claimRoles: 'realm_access.roles',
  claimCounty: 'county',
  claimTownship: 'township',
  // Staff sign in at a realm of their own (issue 15, point 3; tests/infra/staff-sign-in.test.ts).
  staffOidcIssuer: 'https://sso.mzj.example.gov.cn/realms/county-staff',
  staffOidcJwksUri: 'https://sso.mzj.example.gov.cn/realms/county-staff/protocol/openid-connect/certs',
  staffOidcWebClientId: 'eldercare-staff-web',
  // CloudFront in China serves only on an ICP-filed domain with an IAM server certificate.
  webDomain: 'yanglao.example.gov.cn',
  webIamCertificateId: 'ASCAEXAMPLECERTIFICATE1',
};
const china = buildApp(new App({ context: { ...noBundling, region: 'cn-northwest-1', ...keycloak } }));
const cn = Template.fromStack(china.stack);
const global = Template.fromStack(buildApp(new App({ context: noBundling })).stack);
const ourFunctions = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function')).map((f) => f.Properties).filter((f) => !String(f.Runtime).startsWith('python'));

describe('AWS China regions (aws-cn)', () => {
  it('serves the pages on the bureau\'s ICP-filed domain with an IAM server certificate (CloudFront there takes no ACM certificate and serves nothing on *.cloudfront.cn), and refuses to synth without one', () => {
    const dist = Object.values(cn.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(dist.Aliases).toEqual(['yanglao.example.gov.cn']);
    expect(dist.ViewerCertificate).toEqual({ IamCertificateId: 'ASCAEXAMPLECERTIFICATE1', SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    const { webDomain: _d, webIamCertificateId: _c, ...noDomain } = keycloak;
    expect(() => buildApp(new App({ context: { ...noBundling, region: 'cn-northwest-1', ...noDomain } }))).toThrow(/ICP.*webDomain=.*webIamCertificateId/);
  });

  it('in the global regions, a domain takes its ACM certificate and pins TLS 1.2', () => {
    const withDomain = Template.fromStack(buildApp(new App({ context: { ...noBundling, webDomain: 'yanglao.example.gov.cn', webCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' } })).stack);
    const dist = Object.values(withDomain.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
    expect(dist.Aliases).toEqual(['yanglao.example.gov.cn']);
    expect(dist.ViewerCertificate).toMatchObject({ AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    expect(() => buildApp(new App({ context: { ...noBundling, webDomain: 'yanglao.example.gov.cn' } }))).toThrow(/needs one certificate/);
  });

  it('refuses Cognito there, naming what to give instead', () => {
    expect(() => buildApp(new App({ context: { ...noBundling, region: 'cn-north-1' } }))).toThrow(/not offered in the AWS China regions.*oidcIssuer/);
    expect(() => buildApp(new App({ context: { ...noBundling, partition: 'aws-cn' } }))).toThrow(/Cognito/);
  });

  it('has no Cognito resource and checks tokens with a Lambda authorizer on the bureau\'s issuer, its claim names configured', () => {
    expect(Object.keys(cn.toJSON().Resources).filter((id) => cn.toJSON().Resources[id].Type.startsWith('AWS::Cognito'))).toEqual([]);
    const authorizers = Object.values(cn.findResources('AWS::ApiGatewayV2::Authorizer')).map((a) => a.Properties);
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]).toMatchObject({ AuthorizerType: 'REQUEST', AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true, IdentitySource: ['$request.header.Authorization'], AuthorizerResultTtlInSeconds: 300 });
    const fn = ourFunctions(cn).find((f) => f.Environment?.Variables?.OIDC_PUBLIC_ISSUER)!;
    expect(fn.Environment.Variables).toMatchObject({
      OIDC_PUBLIC_ISSUER: keycloak.oidcIssuer, OIDC_PUBLIC_JWKS_URI: keycloak.oidcJwksUri, OIDC_PUBLIC_AUDIENCE: 'eldercare-web,eldercare-counter',
      OIDC_PUBLIC_CLAIM_ROLES: 'realm_access.roles', OIDC_PUBLIC_CLAIM_COUNTY: 'county', OIDC_PUBLIC_CLAIM_TOWNSHIP: 'township', OIDC_PUBLIC_CLAIM_SITE: 'custom:site', OIDC_PUBLIC_CLAIM_INSTITUTION: 'custom:institution',
    });
    const routes = Object.values(cn.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    for (const r of routeList) {
      const deployed = routes.find((x) => x.RouteKey === `${r.method} ${r.path}`)!;
      expect(deployed.AuthorizationType, deployed.RouteKey).toBe(r.access === 'public' || r.access === 'signed' ? 'NONE' : 'CUSTOM');
    }
  });

  it('points the pages\' sign-in at the issuer, and lets the content security policy reach it', () => {
    // config.json has no deploy-time value here: it is written whole into the deployment's asset.
    const out = china.app.synth().directory;
    const configs = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('config.json')).map((f) => JSON.parse(readFileSync(join(out, f), 'utf8')));
    expect(configs).toContainEqual(expect.objectContaining({ oidc: expect.objectContaining({ public: expect.objectContaining({ authority: keycloak.oidcIssuer, clientId: 'eldercare-web' }) }) }));
    const policy = Object.values(cn.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy as string;
    expect(policy).toMatch(/connect-src[^;]*https:\/\/sso\.mzj\.example\.gov\.cn/);
    expect(policy).not.toContain('cognito');
  });

  it('turns X-Ray tracing off on every function (Lambda has no X-Ray integration there)', () => {
    for (const f of ourFunctions(cn)) expect(f.TracingConfig?.Mode ?? 'PassThrough', f.Description).not.toBe('Active');
    for (const f of ourFunctions(global)) expect(f.TracingConfig?.Mode, f.Description).toBe('Active');
  });

  it('writes no partition, region or global hostname into ARNs and URLs: both come from the deployment', () => {
    for (const t of [cn, global]) {
      const json = JSON.stringify(t.toJSON());
      expect(json).not.toMatch(/arn:aws:|arn:aws-cn:/);
      expect(json).not.toMatch(/us-east-1|cn-north(west)?-1/);
    }
  });

  it('passes cdk-nag and our own rules there too', () => {
    const report = new AwsSolutionsChecks().validateScope(china.app);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(checkTemplate(cn.toJSON() as TemplateJson)).toEqual([]);
  });

  it('refuses an issuer or key set that is not https, and a missing web client id', () => {
    const build = (extra: Record<string, string>) => () => buildApp(new App({ context: { ...noBundling, partition: 'aws-cn', ...keycloak, ...extra } }));
    expect(build({ oidcIssuer: 'http://sso.example.gov.cn/realms/county' })).toThrow(/oidcIssuer must be an https URL/);
    expect(build({ oidcJwksUri: 'http://sso.example.gov.cn/certs' })).toThrow(/oidcJwksUri/);
    expect(build({ oidcWebClientId: '' })).toThrow(/oidcWebClientId/);
    expect(build({ staffOidcIssuer: 'http://sso.example.gov.cn/realms/staff' })).toThrow(/staffOidcIssuer must be an https URL/);
    expect(build({ staffOidcWebClientId: '' })).toThrow(/staffOidcWebClientId/);
  });
});

describe('global regions (aws), by default', () => {
  it('keeps Cognito, two user pools (staff, public), behind the same Lambda authorizer', () => {
    const authorizers = Object.values(global.findResources('AWS::ApiGatewayV2::Authorizer')).map((a) => a.Properties);
    expect(authorizers.map((a) => a.AuthorizerType)).toEqual(['REQUEST']);
    expect(Object.keys(global.findResources('AWS::Cognito::UserPool'))).toHaveLength(2);
  });

  it('may use an OIDC issuer there too', () => {
    const t = Template.fromStack(buildApp(new App({ context: { ...noBundling, ...keycloak } })).stack);
    expect(Object.keys(t.findResources('AWS::Cognito::UserPool'))).toHaveLength(0);
    expect(Object.values(t.findResources('AWS::ApiGatewayV2::Authorizer')).map((a) => a.Properties.AuthorizerType)).toEqual(['REQUEST']);
  });
});
