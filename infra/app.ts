import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EldercareStack } from './stack.js';

export function buildApp(app = new App()): { app: App; stack: EldercareStack } {
  const stack = new EldercareStack(app, 'Eldercare', {
    description: 'County elderly-care services: meal assistance, care beds, platform link',
    // cdk deploy -c platformUrl=https://... (the platform's webhook URL for this county)
    ...(typeof app.node.tryGetContext('platformUrl') === 'string' && { platformUrl: app.node.tryGetContext('platformUrl') as string }),
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
  buildApp().app.synth();
}
