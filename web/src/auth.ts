import { signal } from '@preact/signals';
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { principalFromClaims, type Principal } from '#shared/auth/principal.js';
import { configureApi } from './api.js';

/**
 * Sign-in: OpenID Connect authorization code flow with PKCE (oidc-client-ts), against whatever
 * provider /config.json names (Cognito's managed login, a province's identity platform, a
 * Keycloak, or the local one). Nothing here knows a provider. The ID token is what the API
 * checks (it carries the role and area claims); the caller is read from it with the API's own
 * principalFromClaims, so the page and the API agree on who is signed in.
 */
export interface RuntimeConfig {
  readonly oidc: { authority: string; clientId: string; redirectUri: string; postLogoutRedirectUri: string; scope: string };
}

export const user = signal<User | null | undefined>(undefined);
let manager: UserManager | undefined;
const TARGET_KEY = 'eldercare.signInTarget';

export async function loadConfig(): Promise<RuntimeConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error('config');
  return (await res.json()) as RuntimeConfig;
}

export async function initAuth(config: RuntimeConfig): Promise<void> {
  manager = new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: config.oidc.redirectUri,
    post_logout_redirect_uri: config.oidc.postLogoutRedirectUri,
    scope: config.oidc.scope,
    response_type: 'code',
    loadUserInfo: false,
    automaticSilentRenew: false,
    // In localStorage, so a link opened in a new tab is signed in too.
    userStore: new WebStorageStateStore({ store: window.localStorage }),
  });
  const u = await manager.getUser();
  user.value = u && !u.expired ? u : null;
  configureApi({
    token: () => (user.value && !user.value.expired ? user.value.id_token : undefined),
    unauthorized: () => {
      void manager?.removeUser();
      user.value = null;
    },
  });
}

/** Off to the provider; `target` (a path of this app) comes back in the OIDC state. */
export async function signIn(target: string): Promise<void> {
  sessionStorage.setItem(TARGET_KEY, target);
  await manager!.signinRedirect({ state: { target }, redirectMethod: 'replace' });
}

/**
 * The callback page: exchanges the code and returns the page asked for. A callback opened
 * again (reload, Back) has no state left to match: when someone is signed in, that is fine,
 * and they go on to the page they asked for.
 */
export async function completeSignIn(): Promise<string> {
  try {
    const u = await manager!.signinCallback();
    if (u) user.value = u;
    const target = (u?.state as { target?: string } | undefined)?.target;
    if (target) sessionStorage.setItem(TARGET_KEY, target);
    return safeTarget(target ?? sessionStorage.getItem(TARGET_KEY));
  } catch (e) {
    const existing = await manager!.getUser();
    if (existing && !existing.expired) {
      user.value = existing;
      return safeTarget(sessionStorage.getItem(TARGET_KEY));
    }
    throw e;
  }
}

export async function signOut(): Promise<void> {
  await manager?.removeUser();
  sessionStorage.removeItem(TARGET_KEY);
  user.value = null;
  // Ends the provider's session too when it offers a logout endpoint.
  try {
    await manager?.signoutRedirect();
  } catch {
    window.location.assign('/');
  }
}

/** Only paths of this app, never another origin. */
function safeTarget(t: string | null | undefined): string {
  return t && t.startsWith('/') && !t.startsWith('//') ? t : '/';
}

export function principal(): Principal | undefined {
  const u = user.value;
  if (!u) return undefined;
  const p = principalFromClaims(u.profile as Parameters<typeof principalFromClaims>[0]);
  return 'error' in p ? undefined : p;
}
