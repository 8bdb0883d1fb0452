import { parseWebhookSecrets, WebhookSecretInvalid } from '#functions/platform/webhook-secret.js';

export interface SecretVerdict {
  readonly id: string;
  readonly ok: boolean;
  /** What was found, never the value: how many whsec_ secrets, or why it is refused. */
  readonly message: string;
}

/**
 * The secret ids `cdk deploy --outputs-file` wrote for the stack: its PlatformWebhookSecretArn
 * and PlatformDeliverySecretArn outputs.
 *
 * @throws when either output is missing (an older stack, or another stack's name)
 */
export function secretIdsFromOutputs(outputs: Record<string, Record<string, string>>, stack: string): string[] {
  const o = outputs[stack] ?? {};
  const ids = [o.PlatformWebhookSecretArn, o.PlatformDeliverySecretArn];
  if (ids.some((id) => !id)) throw new Error(`${stack}'s outputs have no PlatformWebhookSecretArn and PlatformDeliverySecretArn`);
  return ids as string[];
}

/**
 * Each secret read with `read` and parsed as the functions parse it: usable only when every
 * part is a `whsec_` secret of at least 24 bytes. A marker the stack left
 * (infra/constructs/webhook-secrets.ts), a generated placeholder, or a secret that can't be read
 * fails. Read errors name their kind (AccessDenied, ResourceNotFound), never a value.
 */
export async function checkWebhookSecrets(ids: readonly string[], read: (id: string) => Promise<string>): Promise<SecretVerdict[]> {
  return Promise.all(ids.map(async (id): Promise<SecretVerdict> => {
    let value: string;
    try {
      value = await read(id);
    } catch (e) {
      return { id, ok: false, message: `could not be read (${(e as { name?: string }).name ?? 'error'})` };
    }
    try {
      const parts = parseWebhookSecrets(value, 'stored');
      return { id, ok: true, message: parts.length > 1 ? `${parts.length} whsec_ secrets (a rotation in progress: remove the old one once the platform has switched)` : 'a whsec_ secret' };
    } catch (e) {
      if (e instanceof WebhookSecretInvalid) return { id, ok: false, message: `${e.message}: put the whsec_ secret agreed with the platform` };
      throw e;
    }
  }));
}
