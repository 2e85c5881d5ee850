// Access tokens the team server issues to MCP clients: short-lived JWTs (HS256) bound to the MCP
// resource (audience). The signing key is derived from the vault key named in the token's `kid`, so
// rotating the vault key rotates signing too, and tokens signed with a still-loaded old key verify.
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { KeyRing } from '../vault/keyRing';

const PURPOSE = 'amb-team-access-token';

export interface AccessClaims {
  /** The person: their Atlassian account id. */
  readonly personId: string;
  readonly clientId: string;
  readonly scope: string;
  /** Cloud ids of the sites the person chose for this sign-in. */
  readonly sites: readonly string[];
}

export class AccessTokenIssuer {
  constructor(
    private readonly keys: KeyRing,
    private readonly issuer: string,
    private readonly audience: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  async issue(claims: AccessClaims): Promise<string> {
    const kid = this.keys.currentKeyId;
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ client_id: claims.clientId, scope: claims.scope, sites: claims.sites })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(claims.personId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.keys.derive(kid, PURPOSE));
  }

  /** The claims of a valid token for this resource, or undefined (forged, expired, wrong audience or issuer). */
  async verify(token: string): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(
        token,
        (header) => {
          if (!header.kid || !this.keys.keyIds.includes(header.kid)) throw new errors.JWKSNoMatchingKey();
          return this.keys.derive(header.kid, PURPOSE);
        },
        {
          algorithms: ['HS256'],
          typ: 'at+jwt',
          issuer: this.issuer,
          audience: this.audience,
          currentDate: new Date(this.now()),
          requiredClaims: ['sub', 'exp', 'client_id'],
        },
      );
      const sites = Array.isArray(payload.sites) ? payload.sites.filter((s) => typeof s === 'string') : [];
      return {
        personId: payload.sub!,
        clientId: String(payload.client_id),
        scope: typeof payload.scope === 'string' ? payload.scope : '',
        sites,
      };
    } catch (err) {
      if (err instanceof errors.JOSEError) return undefined;
      throw err;
    }
  }
}
