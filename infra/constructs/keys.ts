import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * Customer-managed keys whose policy says who may do what, instead of the default policy in
 * which the account (so any administrator with `kms:*` in IAM) may also use the key. Here the
 * account's administrators may manage a key (describe, rotate, tag, change its policy, schedule
 * deletion: all audited by CloudTrail) but not use it; each function that needs a key is named
 * in its policy for exactly its operations. An administrator can still rewrite a policy to give
 * themself use; that change is itself a logged, alarmable event, which is the point.
 */
export function restrictedKey(scope: Construct, id: string, props: { description: string; hmac?: { whyNoRotation: string } }): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    ...(props.hmac
      ? { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC }
      : { enableKeyRotation: true }),
    removalPolicy: RemovalPolicy.RETAIN,
    // With an explicit policy the default one (the account may do kms:*) is not added.
    policy: new iam.PolicyDocument(),
    admins: [new iam.AccountRootPrincipal()],
  });
  if (props.hmac) Validations.of(key).acknowledge({ id: 'AwsSolutions-KMS5', reason: props.hmac.whyNoRotation });
  return key;
}

/**
 * Lets one role use a restricted key for `actions`, in the key's policy (which is what KMS
 * consults) and in the role's (so the role reads as what it may do). With `county`, encrypt and
 * decrypt need the county as encryption context: a sealed ID number opens only for its county.
 */
export function allowKeyUse(key: kms.Key, grantee: iam.IGrantable & { role?: iam.IRole }, actions: string[], opts: { countyContext?: boolean } = {}): void {
  key.grant(grantee, ...actions);
  const role = grantee.role ?? (grantee.grantPrincipal as iam.IRole);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `${role.node.id}${actions.map((a) => a.replace('kms:', '')).join('')}`.replace(/[^A-Za-z0-9]/g, ''),
    principals: [new iam.ArnPrincipal(role.roleArn)],
    actions,
    resources: ['*'],
    ...(opts.countyContext && { conditions: { Null: { 'kms:EncryptionContext:county': 'false' } } }),
  }));
}

/**
 * A key only one AWS service may use, on behalf of this account (the same conditions as the
 * service's AWS-managed key: through that service, from this account): callers need no KMS
 * permission of their own, and administrators can't decrypt the data outside the service.
 * `service` is the endpoint's first label: `dynamodb`, `backup`.
 */
export function serviceOnlyKey(scope: Construct, id: string, description: string, service: string): kms.Key {
  const key = restrictedKey(scope, id, { description });
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `Through${service[0]!.toUpperCase()}${service.slice(1)}ByThisAccount`,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `${service}.${stack.region}.${stack.urlSuffix}` } },
  }));
  return key;
}

/** The tables' key: usable only through DynamoDB, so functions need no KMS permission for table data. */
export const tablesKey = (scope: Construct, id: string): kms.Key => serviceOnlyKey(scope, id, 'Encrypts the DynamoDB tables (usable only through DynamoDB, by this account)', 'dynamodb');
