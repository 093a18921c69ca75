/**
 * The signed tokens of parents (pure types and constants; `api/services/tokens.ts` signs and verifies
 * them with `hono/jwt`, HS256, under the tenant's `signing_secret`). Each kind has its own audience,
 * so a token made for one purpose is refused everywhere else.
 *
 * - parent: minted by the school's server (`POST /auth/parent-tokens`); buys for the named students
 *   and manages the guardian's packages. Short-lived (an hour by default).
 * - manage: one package, for the parent's email or SMS (`/pack/:id?t=…`); valid until the package ends.
 * - feed: one package's calendar feed, read-only; rotated by bumping the package's feed version.
 *   The only token ever put in a calendar URL.
 * - teacher: minted by the school's server (`POST /auth/teacher-tokens`); opens `/teacher/*` for that
 *   one teacher (their rules, time off and sessions). Short-lived, like a parent token.
 */
export const TOKEN_AUDIENCE = {
  parent: 'smart-pack:parent',
  manage: 'smart-pack:manage',
  feed: 'smart-pack:feed',
  teacher: 'smart-pack:teacher',
} as const;

export type TokenKind = keyof typeof TOKEN_AUDIENCE;

interface Claims {
  /** The tenant whose signing secret signed it: read unverified only to pick that secret. */
  tid: string;
  iat: number;
  exp: number;
}

export interface ParentClaims extends Claims {
  aud: typeof TOKEN_AUDIENCE.parent;
  /** The guardian. */
  sub: string;
  /** The students this token may buy for. */
  sids: string[];
}

export interface ManageClaims extends Claims {
  aud: typeof TOKEN_AUDIENCE.manage;
  pid: string;
}

export interface FeedClaims extends Claims {
  aud: typeof TOKEN_AUDIENCE.feed;
  pid: string;
  /** The package's `feed_token_version` when signed. */
  ver: number;
}

export interface TeacherClaims extends Claims {
  aud: typeof TOKEN_AUDIENCE.teacher;
  /** The teacher. */
  sub: string;
}

/** Parent tokens live 60 s to a day; an hour unless the school asks otherwise. */
export const PARENT_TOKEN_TTL = { min: 60, max: 86_400, default: 3_600 } as const;

/** A calendar subscription keeps working this long after the package ends, so its history stays. */
export const FEED_AFTER_END_DAYS = 30;

/** Teacher tokens live as parent tokens do: 60 s to a day, an hour unless the school asks otherwise. */
export const TEACHER_TOKEN_TTL = PARENT_TOKEN_TTL;
