import { describe, expect, it } from 'vitest';
import { generateLocalKeys, localVault } from '../../functions/lib/pii.js';

describe('local PII vault', () => {
  const vault = localVault(generateLocalKeys());
  const id = '11010519491231002X';

  it('fingerprints deterministically, and differently under another key', async () => {
    expect(await vault.fingerprint(id)).toBe(await vault.fingerprint(id));
    expect(await localVault(generateLocalKeys()).fingerprint(id)).not.toBe(await vault.fingerprint(id));
    expect(await vault.fingerprint(id)).not.toContain(id);
  });

  it('seals so that only the same county opens it', async () => {
    const sealed = await vault.seal(id, '411327');
    expect(sealed).not.toContain(id);
    expect(await vault.open(sealed, '411327')).toBe(id);
    await expect(vault.open(sealed, '411328')).rejects.toThrow();
  });

  it('seals the same value differently each time', async () => {
    expect(await vault.seal(id, '411327')).not.toBe(await vault.seal(id, '411327'));
  });
});
