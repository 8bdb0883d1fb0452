import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { config } from './config.js';

/**
 * Protects identifying numbers (resident ID numbers). Each is kept two ways:
 * - a keyed fingerprint (HMAC-SHA256), so a number can be matched without being readable:
 *   without the key, a 18-digit ID with a known structure would be easy to brute-force from a
 *   plain hash;
 * - a sealed copy, for the rare lawful need to read it back (an audit, the platform link).
 * In AWS both keys live in KMS and never leave it; locally they sit in a git-ignored key file.
 */
export interface PiiVault {
  fingerprint(value: string): Promise<string>;
  seal(value: string, county: string): Promise<string>;
  open(sealed: string, county: string): Promise<string>;
}

interface LocalKeys {
  hmacKey: string;
  aesKey: string;
}

export const generateLocalKeys = (): LocalKeys => ({
  hmacKey: randomBytes(32).toString('base64'),
  aesKey: randomBytes(32).toString('base64'),
});

export function localVault(keys: LocalKeys): PiiVault {
  const hmacKey = Buffer.from(keys.hmacKey, 'base64');
  const aesKey = Buffer.from(keys.aesKey, 'base64');
  return {
    fingerprint: async (value) => createHmac('sha256', hmacKey).update(value).digest('base64url'),
    seal: async (value, county) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', aesKey, iv).setAAD(Buffer.from(county));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return ['v1', 'local', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open: async (sealed, county) => {
      const [v, kind, iv, body, tag] = sealed.split('.');
      if (v !== 'v1' || kind !== 'local' || !iv || !body || !tag) throw new Error('not a locally sealed value');
      const decipher = createDecipheriv('aes-256-gcm', aesKey, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(county));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** `encryptKeyId` is read on first seal or open: functions that only match numbers don't have it. */
export function kmsVault(kms: KMSClient, hmacKeyId: string, encryptKeyId: () => string): PiiVault {
  return {
    fingerprint: async (value) => {
      const out = await kms.send(new GenerateMacCommand({ KeyId: hmacKeyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(value) }));
      return Buffer.from(out.Mac!).toString('base64url');
    },
    // The county is bound as encryption context, so a sealed value can't be replayed elsewhere.
    seal: async (value, county) => {
      const out = await kms.send(new EncryptCommand({ KeyId: encryptKeyId(), Plaintext: Buffer.from(value), EncryptionContext: { county } }));
      return `v1.kms.${Buffer.from(out.CiphertextBlob!).toString('base64url')}`;
    },
    open: async (sealed, county) => {
      const [v, kind, blob] = sealed.split('.');
      if (v !== 'v1' || kind !== 'kms' || !blob) throw new Error('not a KMS sealed value');
      const out = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob, 'base64url'), EncryptionContext: { county }, KeyId: encryptKeyId() }));
      return Buffer.from(out.Plaintext!).toString('utf8');
    },
  };
}

let vault: PiiVault | undefined;

/** The vault for this process: the local key file when PII_KEY_FILE is set, KMS otherwise. */
export function piiVault(): PiiVault {
  if (vault) return vault;
  const file = config.piiKeyFile();
  vault = file
    ? localVault(JSON.parse(readFileSync(file, 'utf8')) as LocalKeys)
    : kmsVault(new KMSClient({}), config.piiHmacKeyId(), () => config.piiEncryptKeyId());
  return vault;
}
