import { signal } from '@preact/signals';
import type { UserManager } from 'oidc-client-ts';
import { principalFromClaims, type Principal } from '#shared/auth/principal.js';
import { realms, type Realm } from '#shared/auth/realms.js';
import { configureApi } from './api.js';

/**
 * Sign-in: OpenID Connect authorization code flow with PKCE (oidc-client-ts), against whatever
 * provider /config.json names (Cognito's managed login, a province's identity platform, a
 * Keycloak, or the local one). Nothing here knows a provider. The ID token is what the API
 * checks (it carries the role and area claims); the caller is read from it with the API's own
 * principalFromClaims, so the page and the API agree on who is signed in.
 *
 * oidc-client-ts (about a fifth of the pages' script) is loaded only to sign in, finish signing
 * in or sign out; an already signed-in page reads the user the library stored, from
 * localStorage (so a link opened in a new tab is signed in too).
 *
 * Two realms (shared/auth/realms.ts), each its own provider and client: staff and institutions
 * sign in at the staff realm (a TOTP code required there), families and meal sites at the public
 * one. The realm chosen is remembered on the device (localStorage: a word, nothing personal), so
 * the callback, a later page load and sign-out all talk to the provider that signed the user in.
 */
export interface OidcClientConfig {
  readonly authority: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  readonly scope: string;
}
export interface RuntimeConfig {
  readonly oidc: Readonly<Record<Realm, OidcClientConfig>>;
}

/** What the pages need of the signed-in user (from oidc-client-ts's stored User). */
export interface SignedIn {
  readonly idToken: string;
  readonly profile: Record<string, unknown>;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export const user = signal<SignedIn | null>(null);
let config: RuntimeConfig;
const managers: Partial<Record<Realm, Promise<UserManager>>> = {};
const TARGET_KEY = 'eldercare.signInTarget';
const REALM_KEY = 'eldercare.signInRealm';

/** The realm this device last signed in with (public when never). */
export function currentRealm(): Realm {
  const r = localStorage.getItem(REALM_KEY);
  return realms.includes(r as Realm) ? (r as Realm) : 'public';
}
const client = (realm: Realm = currentRealm()) => config.oidc[realm];
const storeKey = (realm: Realm = currentRealm()) => `oidc.user:${client(realm).authority}:${client(realm).clientId}`;
const isRuntimeConfig = (c: unknown): c is RuntimeConfig =>
  realms.every((r) => typeof (c as { oidc?: Record<string, { authority?: unknown }> } | null)?.oidc?.[r]?.authority === 'string');

const CONFIG_KEY = 'eldercare.config';
/**
 * /config.json, fresh each time; the last one read is kept in localStorage (it names the
 * provider and client, nothing personal) so the counter still starts with no network.
 */
export async function loadConfig(): Promise<RuntimeConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (!res.ok) throw new Error('config');
    const c: unknown = await res.json();
    if (!isRuntimeConfig(c)) throw new Error('config');
    localStorage.setItem(CONFIG_KEY, JSON.stringify(c));
    return c;
  } catch (e) {
    // A kept configuration of an older shape (one provider) is no use: wait for the network.
    const kept: unknown = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null');
    if (isRuntimeConfig(kept)) return kept;
    throw e;
  }
}

/**
 * The user oidc-client-ts stored. Expired ones count as nobody, except for the counter
 * (`allowExpired`), which keeps recording offline on the last sign-in and uploads once signed in
 * again: its records never depend on a live token.
 */
function stored(allowExpired = false): SignedIn | null {
  try {
    const raw = JSON.parse(localStorage.getItem(storeKey()) ?? 'null') as { id_token?: string; profile?: Record<string, unknown>; expires_at?: number } | null;
    if (!raw?.id_token || !raw.profile || !raw.expires_at) return null;
    if (!allowExpired && raw.expires_at * 1000 <= Date.now() + 30_000) return null;
    return { idToken: raw.id_token, profile: raw.profile, expiresAt: raw.expires_at };
  } catch {
    return null;
  }
}

function getManager(realm: Realm = currentRealm()): Promise<UserManager> {
  const c = client(realm);
  managers[realm] ??= import('oidc-client-ts').then(({ UserManager, WebStorageStateStore }) => new UserManager({
    authority: c.authority,
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    post_logout_redirect_uri: c.postLogoutRedirectUri,
    scope: c.scope,
    response_type: 'code',
    loadUserInfo: false,
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.localStorage }),
  }));
  return managers[realm];
}

export function initAuth(c: RuntimeConfig): void {
  config = c;
  user.value = stored();
  configureApi({
    token: () => (user.value && user.value.expiresAt * 1000 > Date.now() ? user.value.idToken : undefined),
    unauthorized: () => {
      localStorage.removeItem(storeKey());
      user.value = null;
    },
  });
}

/**
 * Off to the realm's provider (`staff` for staff and institutions, `public` for families and meal
 * sites); `target` (a path of this app) comes back in the OIDC state. Whoever was signed in with
 * the other realm on this device is forgotten here first: one user at a time.
 */
export async function signIn(target: string, realm: Realm): Promise<void> {
  sessionStorage.setItem(TARGET_KEY, target);
  if (realm !== currentRealm()) localStorage.removeItem(storeKey());
  localStorage.setItem(REALM_KEY, realm);
  await (await getManager(realm)).signinRedirect({ state: { target }, redirectMethod: 'replace' });
}

/**
 * The callback page: exchanges the code and returns the page asked for. A callback opened
 * again (reload, Back) has no state left to match: when someone is signed in, that is fine,
 * and they go on to the page they asked for. The provider is the realm chosen before leaving
 * (remembered on the device by signIn).
 */
export async function completeSignIn(): Promise<string> {
  const m = await getManager();
  try {
    const u = await m.signinCallback();
    user.value = stored();
    const target = (u?.state as { target?: string } | undefined)?.target;
    if (target) sessionStorage.setItem(TARGET_KEY, target);
    return safeTarget(target ?? sessionStorage.getItem(TARGET_KEY));
  } catch (e) {
    user.value = stored();
    if (user.value) return safeTarget(sessionStorage.getItem(TARGET_KEY));
    throw e;
  }
}

/**
 * Forgets the user here and ends the provider's session when it offers a logout endpoint. The
 * user signal stays set until the browser leaves, so the page does not first send them to sign
 * in again.
 */
export async function signOut(): Promise<void> {
  const m = await getManager();
  sessionStorage.removeItem(TARGET_KEY);
  await m.removeUser();
  try {
    await m.signoutRedirect();
  } catch {
    user.value = null;
    window.location.assign('/');
  }
}

/** Only paths of this app, never another origin. */
function safeTarget(t: string | null | undefined): string {
  return t?.startsWith('/') && !t.startsWith('//') ? t : '/';
}

/** The last signed-in user on this device, expired or not (the counter works offline on it). */
export const lastSignedIn = (): SignedIn | null => stored(true);

/** Whether the API would take the signed-in user's token now (30 s of margin). */
export const tokenFresh = (): boolean => !!user.value && user.value.expiresAt * 1000 > Date.now() + 30_000;

export function principal(u: SignedIn | null = user.value): Principal | undefined {
  if (!u) return undefined;
  const p = principalFromClaims(u.profile as Parameters<typeof principalFromClaims>[0]);
  return 'error' in p ? undefined : p;
}
