import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkTemplate } from './rules.js';
import { EldercareStack } from './stack.js';

export function buildApp(app = new App()): { app: App; stack: EldercareStack } {
  const context = (name: string): string | undefined => {
    const v: unknown = app.node.tryGetContext(name);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const list = (name: string) => context(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const number = (name: string) => (context(name) === undefined ? undefined : Number(context(name)));
  const emails = list('alarmEmail');
  const httpsUrls = list('alarmUrl');
  const stack = new EldercareStack(app, 'Eldercare', {
    description: 'County elderly-care services: meal assistance, care beds, platform link',
    // cdk deploy -c platformUrl=https://... (the platform's webhook URL for this county)
    ...(context('platformUrl') && { platformUrl: context('platformUrl') }),
    // -c alarmEmail=duty@mzj.example.gov.cn,it@... -c alarmUrl=https://...
    alarmRecipients: { ...(emails && { emails }), ...(httpsUrls && { httpsUrls }) },
    ...(number('deliveryConcurrency') !== undefined && { deliveryConcurrency: number('deliveryConcurrency') }),
    ...(number('tableMaxRequestUnits') !== undefined && { tableMaxRequestUnits: number('tableMaxRequestUnits') }),
    ...(context('backupCopyVaultArn') && { backupCopyVaultArn: context('backupCopyVaultArn') }),
    ...(number('concurrencyAlarmAt') !== undefined && { concurrencyAlarmAt: number('concurrencyAlarmAt') }),
    ...(process.env.CDK_DEFAULT_ACCOUNT && { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } }),
  });
  // cdk-nag 3: AWS Solutions checks run at synth; a finding fails `cdk synth`.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The pages go into the stack as an asset: build them first when web/ changed.
  const { ensureWebBuilt } = await import('../scripts/local/build-web.js');
  await ensureWebBuilt((line) => console.error(line));
  const { app, stack } = buildApp();
  const assembly = app.synth();
  // Our own rules (infra/rules.ts), beside cdk-nag's: a finding fails `cdk synth` as nag's do.
  const findings = checkTemplate(assembly.getStackArtifact(stack.artifactId).template);
  if (findings.length) {
    for (const f of findings) console.error(`[${f.rule}] ${f.resource}: ${f.message}`);
    process.exit(1);
  }
}
