-- A user created by an admin without a password has none until they set one with a one-time token: a null hash
-- never matches (the login checks the dummy hash instead, same timing as a wrong password).
alter table users alter column password_hash drop not null;

-- One-time set-password tokens: only the SHA-256 of the token is stored, with its expiry; using it deletes it.
create table password_setup_tokens (
    token_hash char(64)    primary key,
    user_id    bigint      not null references users (id) on delete cascade,
    expires_at timestamptz not null,
    created_at timestamptz not null default now()
);
create index password_setup_tokens_user_idx on password_setup_tokens (user_id);
create index password_setup_tokens_expiry_idx on password_setup_tokens (expires_at);
