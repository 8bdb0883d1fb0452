import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { serviceOnlyKey } from './keys.js';

/** Daily recovery points are kept this long; the vault lock refuses anything shorter. */
export const dailyRetention = Duration.days(35);
/** Monthly recovery points (the 1st of each month) are kept a year, for audits of past months. */
export const monthlyRetention = Duration.days(366);

/**
 * AWS Backup of the tables, beside their point-in-time recovery (35 days, same account). PITR
 * does not survive the table or the account being lost; these do: a vault under a compliance
 * lock (after three days nobody, the root user included, can delete a recovery point before its
 * retention ends, nor remove the lock) and, when `copyVaultArn` is given, a copy of each point to
 * a vault in another account (the bureau's backup account), which a compromised production
 * account can't reach. Cross-account copies of DynamoDB backups need "advanced DynamoDB backup"
 * turned on in both accounts (README).
 */
export class TableBackups extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: { tables: dynamodb.ITableV2[]; copyVaultArn?: string }) {
    super(scope, id);
    const key = serviceOnlyKey(this, 'VaultKey', 'Encrypts the table backups in the locked vault (usable only through AWS Backup)', 'backup');
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
      // Compliance mode: the lock becomes immutable three days after deploy.
      lockConfiguration: { minRetention: dailyRetention, changeableFor: Duration.days(3) },
    });
    const copyTo = props.copyVaultArn ? backup.BackupVault.fromBackupVaultArn(this, 'CopyVault', props.copyVaultArn) : undefined;
    const copy = (deleteAfter: Duration) => (copyTo ? { copyActions: [{ destinationBackupVault: copyTo, deleteAfter }] } : {});
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        // 01:00 China Standard Time, after the evening's meal records and the occupancy snapshot.
        new backup.BackupPlanRule({ ruleName: 'Daily', scheduleExpression: events.Schedule.cron({ minute: '0', hour: '17' }), deleteAfter: dailyRetention, ...copy(dailyRetention) }),
        new backup.BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: events.Schedule.cron({ minute: '0', hour: '18', day: '1' }), deleteAfter: monthlyRetention, ...copy(monthlyRetention) }),
      ],
    });
    const selection = this.plan.addSelection('Tables', { resources: props.tables.map((t) => backup.BackupResource.fromArn(t.tableArn)) });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason: 'AWS Backup\'s own service-role policy (AWSBackupServiceRolePolicyForBackup) is what AWS documents for a backup selection; it can back up only what the selection names.',
    });
  }
}
