import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { realms, type Realm } from '../../shared/auth/realms.js';
import { contentSecurityPolicy } from '../../shared/web-security.js';

export interface WebDistributionProps {
  /** The built pages (web/dist). */
  readonly webDistDir: string;
  readonly api: HttpApi;
  /** What the pages' sign-in code reads from /config.json, per realm (tokens resolve at deploy time). */
  readonly signIn: Readonly<Record<Realm, { readonly authority: string; readonly clientId: string }>>;
  /** Origins the pages must reach besides their own: the OIDC provider's discovery and token endpoints. */
  readonly identityOrigins: readonly string[];
  /** The bureau's own domain name for the pages, with its certificate (see WebDomain). */
  readonly domain?: WebDomain;
}

/**
 * The pages' own domain name. In the global regions optional (the distribution's
 * *.cloudfront.net name works), with an ACM certificate in us-east-1. In the AWS China regions
 * required: CloudFront there serves nothing on *.cloudfront.cn; the domain needs an ICP filing
 * (ICP备案), and since CloudFront there does not take ACM certificates, the certificate is
 * uploaded to IAM and named by its server certificate id (docs.amazonaws.cn, "Amazon CloudFront
 * in Amazon Web Services in China").
 */
export interface WebDomain {
  readonly name: string;
  readonly acmCertificateArn?: string;
  readonly iamCertificateId?: string;
}

/**
 * The web pages and the API on one CloudFront distribution, so the pages never call another
 * origin for data (no CORS): `/v1/*` goes to the HTTP API uncached with the caller's headers;
 * everything else comes from a private S3 bucket through origin access control. Page routes
 * (paths without a file extension) get index.html from a viewer-request function; /v1 never
 * does, and a missing asset stays a 404. Every answer carries the security headers.
 */
export class WebDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly bucket: s3.Bucket;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  /** The pages' address (https://<webDomain>, or https://<id>.cloudfront.net); callback and logout URLs derive from it. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are written with ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(180) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This bucket receives the access logs of the pages bucket and of CloudFront; logging it into itself would loop.' });

    this.bucket = new s3.Bucket(this, 'Pages', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'pages-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Pages and API: CSP, HSTS, nosniff, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.identityOrigins),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    // Page routes (no file extension) get the app; /v1/* never reaches this behaviour.
    const spaFallback = new cloudfront.Function(this, 'SpaFallback', {
      comment: 'Page routes to index.html; files and /v1 untouched',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (!r.uri.startsWith('/v1/') && r.uri.split('/').pop().indexOf('.') === -1) { r.uri = '/index.html'; } return r; }",
      ),
    });

    const pages = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const apiDomain = `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    const domain = props.domain;
    if (domain && !domain.acmCertificateArn === !domain.iamCertificateId) throw new Error(`The web domain ${domain.name} needs one certificate: -c webCertificateArn=<ACM certificate in us-east-1> (global regions) or -c webIamCertificateId=<IAM server certificate id> (AWS China regions).`);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'County elderly-care services: web pages and /v1 API',
      ...(domain?.acmCertificateArn && {
        domainNames: [domain.name],
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', domain.acmCertificateArn),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: pages,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
        functionAssociations: [{ function: spaFallback, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        '/v1/*': {
          origin: new origins.HttpOrigin(apiDomain, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
        // The runtime configuration changes without a rebuild: never cached.
        '/config.json': {
          origin: pages,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    if (domain?.iamCertificateId) {
      // The Distribution construct takes ACM certificates only: the IAM one goes in as CloudFormation has it.
      const cfn = this.distribution.node.defaultChild as cloudfront.CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [domain.name]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', { IamCertificateId: domain.iamCertificateId, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
      // cdk-nag reads the construct's own properties, not the override above (tests/infra/partitions.test.ts checks the template).
      Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR4', reason: 'The IAM server certificate is set by a property override that pins TLSv1.2_2021; the rule does not read overrides.' });
    }
    this.url = `https://${domain?.name ?? this.distribution.distributionDomainName}`;
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR1', reason: 'Families of a county\'s elders live and travel anywhere; sign-in and the API\'s area rules limit what anyone sees, not geography.' });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR2', reason: 'A WAF web ACL for CloudFront lives in us-east-1 and is a cost the bureau decides on; the API behind /v1 has stage throttling and a token authorizer.' });
    if (!domain) Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate cannot pin a TLS minimum; a bureau domain name with its certificate (-c webDomain) sets TLSv1.2_2021.' });

    // Hashed files under assets/ never change: cached a year. The rest (index.html, the
    // counter's service worker sw.js and its manifest, config.json) is checked on every use
    // (no-cache), so a new deployment reaches tablets at their next visit; the service worker
    // script in particular must never be served stale from a cache.
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(props.webDistDir, { exclude: ['*', '!assets', '!assets/*'] })],
      cacheControl: [s3deploy.CacheControl.setPublic(), s3deploy.CacheControl.maxAge(Duration.days(365)), s3deploy.CacheControl.immutable()],
      prune: false,
      memoryLimit: 256,
    });
    // The pages and the runtime configuration beside them, deployed together, after the assets they name.
    const deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      cacheControl: [s3deploy.CacheControl.noCache()],
      sources: [
        s3deploy.Source.asset(props.webDistDir, { exclude: ['.build-stamp', 'assets', 'assets/*'] }),
        s3deploy.Source.jsonData('config.json', {
          // web/src/auth.ts RuntimeConfig: one OIDC client per realm (staff, public).
          oidc: Object.fromEntries(realms.map((realm) => [realm, {
            authority: props.signIn[realm].authority,
            clientId: props.signIn[realm].clientId,
            redirectUri: `${this.url}/auth/callback`,
            postLogoutRedirectUri: `${this.url}/`,
            scope: 'openid',
          }])),
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json', '/sw.js', '/manifest.webmanifest'],
      prune: false,
      memoryLimit: 256,
    });
    // Its copying function is one per stack (created beside the stack's other constructs).
    const copier = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const pagesArn = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`;
    const copyFindings = [
      'Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*', `Resource::${pagesArn}`, 'Resource::*',
    ];
    deployment.node.addDependency(assets);
    for (const target of [deployment, assets, ...(copier ? [copier] : [])]) {
      Validations.of(target).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'CDK\'s BucketDeployment function runs with the AWSLambdaBasicExecutionRole managed policy (its own logs only); it runs at deploy time, never on requests.' });
      for (const finding of copyFindings) {
        Validations.of(target).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: 'BucketDeployment copies the pages from the CDK asset bucket to the pages bucket (object wildcards bucket/*) and invalidates this distribution (CloudFront invalidations take no resource scoping).' });
      }
      Validations.of(target).acknowledge({ id: 'AwsSolutions-L1', reason: 'BucketDeployment\'s function runtime is chosen by aws-cdk-lib and updated with it; it runs only during deployments.' });
    }
  }
}
