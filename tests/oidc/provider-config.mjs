// The oidc-provider configuration of the test provider: what a relying
// party like Casus sees (code flow with PKCE S256 only, back-channel and
// RP-initiated logout, claims straight in the ID token) and the hooks the
// harness needs (accounts set by the control API, no login pages, a logout
// page that confirms itself, errors as JSON).

import {interactionPolicy} from 'oidc-provider';

const {base: basePolicy, Check} = interactionPolicy;

// Claims a test may set through next-login, besides sub/amr/acr/sid and
// the roles claim (whose name is configurable).
export const SETTABLE_CLAIMS = ['name', 'given_name', 'family_name', 'preferred_username', 'email',
  'email_verified', 'groups'];

// Short lifetimes: nothing in a test run lives long.
const TTL = {
  AccessToken: 600,
  AuthorizationCode: 60,
  ClientCredentials: 600,
  DeviceCode: 600,
  BackchannelAuthenticationRequest: 600,
  IdToken: 600,
  RefreshToken: 3600,
  Interaction: 600,
  Session: 3600,
  Grant: 3600,
};

// Submits the logout form on load, with logout=yes (end the whole provider
// session, which is what triggers back-channel logout to every client):
// RP-initiated logout needs no click. A non-browser agent submits it too
// (oidc-client.mjs follows auto-submitting forms).
async function autoConfirmLogoutSource(ctx, form) {
  const confirmForm = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.type = 'html';
  ctx.body = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Signing out</title>
<script>document.addEventListener('DOMContentLoaded', function () { document.forms[0].submit() });</script>
</head><body>${confirmForm}</body></html>`;
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Signed out</title></head>'
    + '<body><p data-testid="op-signed-out">Signed out of the test provider.</p></body></html>';
}

// Errors as JSON, so a test can read why the provider refused.
async function renderJsonError(ctx, out) {
  ctx.type = 'json';
  ctx.body = out;
}

// The base policy plus one check: a test that called next-login gets a
// fresh login even when the agent still has a provider session.
function loginPolicy(isLoginArmed) {
  const policy = basePolicy();
  policy.get('login').checks.push(new Check('test_login_armed', 'a test armed the next login', 'login_required',
    (ctx) => (isLoginArmed() && !ctx.oidc.result?.login ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT)));
  return policy;
}

// `hooks`: {name, adapter, keys, cookieKeys, rolesClaim, findClaims(sub),
// isLoginArmed(), backchannelAgent()}.
export function providerConfiguration(hooks) {
  const cookieLabel = hooks.name.replace(/[^A-Za-z0-9]/g, '_');
  const idTokenClaims = [...new Set(['sub', 'amr', 'acr', hooks.rolesClaim, ...SETTABLE_CLAIMS])];
  return {
    adapter: hooks.adapter,
    clients: [], // the client lives in the adapter, so set-client can change it
    jwks: {keys: hooks.keys},
    // Names of its own per provider: browsers share cookies across ports,
    // and two providers on localhost must not overwrite each other's.
    cookies: {
      keys: hooks.cookieKeys,
      names: {session: `_op_${cookieLabel}_session`, interaction: `_op_${cookieLabel}_interaction`,
        resume: `_op_${cookieLabel}_resume`},
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    pkce: {required: () => true, methods: ['S256']},
    features: {
      devInteractions: {enabled: false},
      backchannelLogout: {enabled: true},
      rpInitiatedLogout: {enabled: true, logoutSource: autoConfirmLogoutSource, postLogoutSuccessSource},
    },
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'email'],
    claims: {
      openid: idTokenClaims,
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // Every claim of the granted scopes goes into the ID token itself
    // (Casus reads no userinfo endpoint).
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      return {accountId: sub, claims: async () => ({sub, ...hooks.findClaims(sub)})};
    },
    interactions: {
      url: async (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: loginPolicy(hooks.isLoginArmed),
    },
    ttl: TTL,
    renderError: renderJsonError,
    // Back-channel logout from end_session: Casus's self-signed
    // certificate is trusted as set-client said.
    httpOptions: () => ({agent: hooks.backchannelAgent(), signal: AbortSignal.timeout(5000)}),
  };
}
