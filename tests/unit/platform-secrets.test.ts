import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryFailed, platformUrl } from '../../functions/platform/sender.js';
import { parseWebhookSecrets, WebhookSecretInvalid, webhookSecrets } from '../../functions/platform/webhook-secret.js';

const whsec = (bytes = 32) => `whsec_${randomBytes(bytes).toString('base64')}`;

describe('webhook secrets (issue 15, point 7)', () => {
  afterEach(() => {
    delete process.env.PLATFORM_WEBHOOK_SECRET;
  });

  it('takes one whsec_ secret, or several during a rotation, newest first', () => {
    const [a, b] = [whsec(), whsec(24)];
    expect(parseWebhookSecrets(a, 'inbound')).toEqual([a]);
    expect(parseWebhookSecrets(` ${b}\n ${a} `, 'inbound')).toEqual([b, a]);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    // What Secrets Manager generates on a first deploy: 32 printable characters, no prefix.
    ['a generated placeholder', 'x%Vb8#^mJq2!Lr@9d&Tz*Kc5Pw$Ne7Gh'],
    ['the right bytes without the prefix', randomBytes(32).toString('base64')],
    ['fewer than 24 bytes', whsec(16)],
    ['a good secret beside a placeholder', `${whsec()} changeme`],
    ['not base64', 'whsec_this is not base64 at all, not at all!!'],
  ])('refuses %s, never echoing the value', (_, value) => {
    let thrown: unknown;
    try {
      parseWebhookSecrets(value, 'inbound');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WebhookSecretInvalid);
    if (value.trim()) expect((thrown as Error).message).not.toContain(value.trim().split(/\s+/).at(-1));
  });

  it('reads the local value from the environment and refuses a placeholder there too', async () => {
    const s = whsec();
    process.env.PLATFORM_WEBHOOK_SECRET = s;
    expect(await webhookSecrets('inbound')).toEqual([s]);
    process.env.PLATFORM_WEBHOOK_SECRET = 'placeholder';
    await expect(webhookSecrets('inbound')).rejects.toBeInstanceOf(WebhookSecretInvalid);
  });

  it('during a rotation, a message signed with both secrets is accepted by a receiver that knows either one', () => {
    const [next, old] = [whsec(), whsec()];
    const body = '{"id":"evt-1"}';
    const now = new Date();
    const header = parseWebhookSecrets(`${next} ${old}`, 'outbound').map((s) => new Webhook(s).sign('msg_1', now, body)).join(' ');
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': header };
    for (const s of [next, old]) expect(() => new Webhook(s).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(whsec()).verify(body, headers)).toThrow();
  });
});

describe('the platform URL (issue 15, point 6)', () => {
  it('is https, or http to this machine only', () => {
    expect(platformUrl('https://platform.example.gov.cn/webhooks').host).toBe('platform.example.gov.cn');
    expect(platformUrl('http://127.0.0.1:4010/webhooks').port).toBe('4010');
    expect(platformUrl('http://localhost:4010/webhooks').hostname).toBe('localhost');
  });

  it.each([undefined, '', 'not a url', 'http://platform.example.gov.cn/webhooks', 'http://10.0.0.5/webhooks', 'ftp://platform.example.gov.cn/'])('refuses %s as a delivery failure (retried, then parked and alarmed)', (value) => {
    expect(() => platformUrl(value)).toThrow(DeliveryFailed);
  });
});
