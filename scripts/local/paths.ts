import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Git-ignored folder for local state: DynamoDB data, signing keys, PII keys, the pid file. */
export const defaultLocalDir = (): string => process.env.LOCAL_DIR ?? join(projectRoot, '.local');
