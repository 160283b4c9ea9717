// A real OpenID provider for Periscope's sign-in tests: the certified oidc-provider package on
// 127.0.0.1 over HTTPS, with one public native client (PKCE, loopback redirect, refresh tokens,
// device flow), revocation and introspection. Its development interactions are the pages a
// person would see: a login form (any login name, any password), then a consent form.
//
// Environment: OIDC_CERT and OIDC_KEY (PEM paths), OIDC_CLIENT_ID (default periscope-cli),
// OIDC_ACCESS_TTL and OIDC_REFRESH_TTL (seconds; defaults 3600 and 86400).
// Prints "listening <issuer>" once ready and serves until its stdin closes. Lines on stdin:
//   advance N      moves the provider's clock N seconds ahead (tokens expire without the test
//                  waiting); answered "advanced N".
//   access-ttl N   access and ID tokens issued from now on last N seconds; answered "access-ttl N".
//   grants         answered "grants R E": refresh token grants that succeeded (R) and token
//                  requests refused (E) so far, for tests of who redeems a refresh token.
import fs from 'node:fs';
import https from 'node:https';
import Provider from 'oidc-provider';

// The provider's clock: real time plus what the test has advanced it by.
const realNow = Date.now;
let offsetMs = 0;
Date.now = () => realNow() + offsetMs;

const env = process.env;
const seconds = (name, fallback) => Number.parseInt(env[name] ?? '', 10) || fallback;
const clientId = env.OIDC_CLIENT_ID || 'periscope-cli';

let accessTtl = seconds('OIDC_ACCESS_TTL', 3600);
let refreshGrants = 0;
let refusedGrants = 0;

const configuration = {
  clients: [{
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost:14550'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  }, {
    // The test ingest checks bearer tokens here, as a real ingest would.
    client_id: 'test-ingest',
    client_secret: 'test-ingest-secret',
    grant_types: [],
    redirect_uris: [],
    response_types: [],
  }],
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username'] },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
  },
  pkce: { required: () => true },
  ttl: {
    AccessToken: () => accessTtl,
    IdToken: () => accessTtl,
    RefreshToken: seconds('OIDC_REFRESH_TTL', 86400),
    Interaction: 600,
    Session: 86400,
    Grant: 86400,
    DeviceCode: 600,
  },
  rotateRefreshToken: true,
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: `${id}@example.test`, name: id, preferred_username: id }),
  }),
  cookies: { keys: ['periscope-test-only'] },
};

const server = https.createServer({ cert: fs.readFileSync(env.OIDC_CERT), key: fs.readFileSync(env.OIDC_KEY) });
server.listen(0, '127.0.0.1', () => {
  const issuer = `https://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params.grant_type === 'refresh_token') refreshGrants += 1;
  });
  provider.on('grant.error', () => { refusedGrants += 1; });
  server.on('request', provider.callback());
  console.log(`listening ${issuer}`);
});

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf('\n')) >= 0) {
    const [command, amount] = pending.slice(0, newline).trim().split(/\s+/);
    pending = pending.slice(newline + 1);
    if (command === 'advance') {
      offsetMs += Number.parseInt(amount, 10) * 1000;
      console.log(`advanced ${amount}`);
    } else if (command === 'access-ttl') {
      accessTtl = Number.parseInt(amount, 10);
      console.log(`access-ttl ${amount}`);
    } else if (command === 'grants') {
      console.log(`grants ${refreshGrants} ${refusedGrants}`);
    }
  }
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
