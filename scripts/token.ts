/**
 * Prints a signed local token and nothing else:
 *   npm run -s token -- --role staff [--sub ID] [--county CODE] [--township CODE] [--site ID] [--institution ID] [--ttl SECONDS]
 * The local server verifies it exactly as API Gateway's JWT authorizer verifies Cognito tokens.
 */
import { parseArgs } from 'node:util';
import { roles, type Role } from '#shared/auth/roles.js';
import { ensureLocalKeys, signToken } from './local/keys.js';
import { defaultLocalDir } from './local/paths.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    sub: { type: 'string' },
    county: { type: 'string' },
    township: { type: 'string' },
    site: { type: 'string' },
    institution: { type: 'string' },
    ttl: { type: 'string' },
  },
});

if (!values.role || !(roles as readonly string[]).includes(values.role)) {
  console.error(`usage: npm run -s token -- --role ${roles.join('|')} [--sub ID] [--county CODE] [--township CODE] [--site ID] [--institution ID] [--ttl SECONDS]`);
  process.exit(2);
}
const dir = defaultLocalDir();
await ensureLocalKeys(dir);
process.stdout.write(
  `${await signToken(dir, {
    role: values.role as Role,
    ...(values.sub && { sub: values.sub }),
    ...(values.county && { county: values.county }),
    ...(values.township && { township: values.township }),
    ...(values.site && { site: values.site }),
    ...(values.institution && { institution: values.institution }),
    ...(values.ttl && { ttl: Number(values.ttl) }),
  })}\n`,
);
