import type { Database } from 'better-sqlite3';
import { AUDIT_HEAD_SCHEMA_SQL } from '../../audit/head';
import { AUDIT_SCHEMA_SQL } from '../../audit/schema';
import { SHOPWARDEN_APPLICATION_ID } from '../application-id';
import type { Migration } from '../migrate';

/**
 * The first schema. Conventions: ids are TEXT (newId()), times are epoch-ms INTEGERs, booleans
 * are 0/1, structured values are JSON TEXT checked with json_valid. STRICT tables make SQLite
 * refuse values of the wrong type instead of silently storing them.
 */
const SCHEMA_SQL = `
CREATE TABLE users (
  id              TEXT    PRIMARY KEY,
  username        TEXT    NOT NULL,
  -- username folded for comparison (NFKC + lower case, see usernameKey); COLLATE NOCASE would
  -- only fold ASCII, and login names are often Chinese or accented.
  username_key    TEXT    NOT NULL UNIQUE,
  display_name    TEXT    NOT NULL DEFAULT '',
  kind            TEXT    NOT NULL CHECK (kind IN ('owner', 'staff')),
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash   TEXT    NOT NULL,
  password_salt   TEXT    NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until    INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
-- At most one owner, enforced by the file itself (two racing first-run setups cannot both win).
CREATE UNIQUE INDEX users_single_owner ON users (kind) WHERE kind = 'owner';

CREATE TABLE stores (
  id              TEXT    PRIMARY KEY,
  name            TEXT    NOT NULL,
  platform_id     TEXT    NOT NULL,
  site_id         TEXT    NOT NULL,
  home_url        TEXT    NOT NULL,
  group_name      TEXT    NOT NULL DEFAULT '',
  colour          TEXT    NOT NULL,
  -- ProxyConfig without its password (that lives in secrets), or NULL for a direct connection.
  proxy           TEXT    CHECK (proxy IS NULL OR json_valid(proxy)),
  user_agent      TEXT,
  accept_language TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX stores_platform_site ON stores (platform_id, site_id);

-- Credentials kept apart from the store rows, so stores can be listed and exported as they are.
CREATE TABLE secrets (
  store_id        TEXT    NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  name            TEXT    NOT NULL,
  value           TEXT    NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (store_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE roles (
  id                    TEXT    PRIMARY KEY,
  name                  TEXT    NOT NULL,
  description           TEXT    NOT NULL DEFAULT '',
  template              TEXT,
  levels                TEXT    NOT NULL CHECK (json_valid(levels)),
  other_level           TEXT    NOT NULL CHECK (other_level IN ('none', 'view', 'edit')),
  rules                 TEXT    NOT NULL CHECK (json_valid(rules)),
  switches              TEXT    NOT NULL CHECK (json_valid(switches)),
  step_up               TEXT    NOT NULL CHECK (json_valid(step_up)),
  default_validity_days INTEGER,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;

CREATE TABLE assignments (
  id          TEXT    PRIMARY KEY,
  staff_id    TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  store_id    TEXT    NOT NULL REFERENCES stores (id) ON DELETE CASCADE,
  role_id     TEXT    NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
  valid_from  INTEGER,
  valid_until INTEGER,
  scope       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(scope)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_from < valid_until),
  UNIQUE (staff_id, store_id)
) STRICT;
-- (staff_id, store_id) is served by the UNIQUE index; these serve "by store" and the role-in-use
-- check that ON DELETE RESTRICT runs on every role delete.
CREATE INDEX assignments_store ON assignments (store_id);
CREATE INDEX assignments_role  ON assignments (role_id);

CREATE TABLE settings (
  key         TEXT    PRIMARY KEY,
  value       TEXT    NOT NULL CHECK (json_valid(value)),
  updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up(db: Database) {
    db.pragma(`application_id = ${SHOPWARDEN_APPLICATION_ID}`);
    db.exec(SCHEMA_SQL);
    // The operation log and its anchored head are defined by core/audit, next to their code.
    db.exec(AUDIT_SCHEMA_SQL);
    db.exec(AUDIT_HEAD_SCHEMA_SQL);
  },
};
