-- Identity and the organisation: tenants (one OMC each), their regions, dealers and stations,
-- users with a role granted at scopes, sessions (refresh-token families), second factors, API
-- keys and sign-in throttling. src/domains/identity/README.md describes the invariants.
--
-- Usernames and emails are unique across the platform (a sign-in names no tenant), stored
-- lower-cased. Secrets are never stored: passwords as Argon2id strings, refresh tokens, API keys
-- and recovery codes as SHA-256 of high-entropy random values.

CREATE TABLE tenants (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'omc',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    CHECK (kind IN ('omc', 'platform'))
);
-- The platform operators' own tenant: SuperAdmin users live here and it holds no OMC data.
INSERT INTO tenants (id, code, name, kind, active, created_at_us)
VALUES ('00000000-0000-7000-8000-000000000000', 'platform', 'Platform operators', 'platform',
        TRUE, 0);

CREATE TABLE regions (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    UNIQUE (tenant_id, code)
);

-- Dealers run dealer-owned, dealer-operated (DODO) stations and see only those.
CREATE TABLE dealers (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    UNIQUE (tenant_id, code)
);

-- COCO: company-owned, company-operated; CODO: company-owned, dealer-operated; DODO:
-- dealer-owned, dealer-operated. A dealer-operated station names its dealer.
CREATE TABLE stations (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    region_id UUID NOT NULL REFERENCES regions (id),
    operating_model TEXT NOT NULL,
    dealer_id UUID REFERENCES dealers (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    UNIQUE (tenant_id, code),
    CHECK (operating_model IN ('COCO', 'CODO', 'DODO')),
    CHECK ((operating_model = 'COCO') = (dealer_id IS NULL))
);
CREATE INDEX stations_region ON stations (tenant_id, region_id);
CREATE INDEX stations_dealer ON stations (tenant_id, dealer_id);

CREATE TABLE users (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    totp_secret BYTEA,
    totp_enabled BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    password_changed_at_us BIGINT NOT NULL,
    last_login_at_us BIGINT,
    CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);
CREATE INDEX users_tenant ON users (tenant_id, username);

-- Where a user's role applies: one row per region, station or dealer (none for tenant-wide
-- roles). scope_kind matches the role (src/domains/identity/permissions.hpp, ScopeKindOf).
CREATE TABLE user_scopes (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    user_id UUID NOT NULL REFERENCES users (id),
    scope_kind TEXT NOT NULL,
    scope_id UUID NOT NULL,
    PRIMARY KEY (user_id, scope_kind, scope_id),
    CHECK (scope_kind IN ('region', 'station', 'dealer'))
);

-- Single-use codes that stand in for the authenticator app.
CREATE TABLE recovery_codes (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    user_id UUID NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at_us BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Roles whose users must enrol a second factor before they may do anything else.
CREATE TABLE mfa_required_roles (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    role TEXT NOT NULL,
    PRIMARY KEY (tenant_id, role)
);

-- Refresh tokens: every rotation adds a row to the family; presenting a rotated token (outside
-- the double-submit grace) revokes the whole family.
CREATE TABLE refresh_tokens (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    family_id UUID NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    issued_at_us BIGINT NOT NULL,
    expires_at_us BIGINT NOT NULL,
    rotated_at_us BIGINT,
    revoked_at_us BIGINT,
    revoke_reason TEXT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Machine credentials: `omck_<id>_<secret>`, shown once. Scoped to a station or the tenant.
CREATE TABLE api_keys (
    tenant_id UUID NOT NULL REFERENCES tenants (id),
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    station_id UUID REFERENCES stations (id),
    key_hash TEXT NOT NULL UNIQUE,
    created_by UUID,
    created_at_us BIGINT NOT NULL,
    expires_at_us BIGINT,
    revoked_at_us BIGINT,
    last_used_at_us BIGINT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, created_at_us);

-- Failed sign-ins per login name (known or not, so a lockout reveals nothing) and per client
-- address. Platform-wide: at sign-in the tenant is not known yet.
CREATE TABLE auth_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start_us BIGINT NOT NULL,
    locked_until_us BIGINT NOT NULL DEFAULT 0
);
