-- Credential lifecycle (README "Security"): a user can be disabled, and every change that must reach the caches
-- of every gateway replica — a key's row, a user's role, status, tier or password, an admin's "sign out
-- everywhere" — is written by triggers to credential_changes, whatever made it (the admin API or plain SQL).
alter table users add column status varchar(10) not null default 'active'
    check (status in ('active', 'disabled'));

-- A user's identity version: a token or an admin session is tagged with the version it was issued for, and a
-- change ends every token and session issued for an older one.
create sequence user_identity_versions;
alter table users add column identity_version bigint not null default nextval('user_identity_versions');

-- txid is the writing transaction's id: a gateway reads the changes whose txid is at least the oldest transaction
-- still running at its previous read (pg_snapshot_xmin), so a change committed late by a long transaction is
-- still seen, whatever its timestamps say.
create table credential_changes (
    id           bigint generated always as identity primary key,
    txid         bigint      not null default pg_current_xact_id()::text::bigint,
    changed_at   timestamptz not null default now(),
    user_id      bigint,
    user_version bigint,
    key_hash     char(64),
    check ((user_id is null) <> (key_hash is null))
);
create index credential_changes_txid_idx on credential_changes (txid);
create index credential_changes_time_idx on credential_changes (changed_at);

create function users_next_identity_version() returns trigger language plpgsql as $$
begin
    if new.identity_version = old.identity_version
            and (new.role, new.status, new.tier, new.password_hash)
                is distinct from (old.role, old.status, old.tier, old.password_hash) then
        new.identity_version := nextval('user_identity_versions');
    end if;
    return new;
end $$;

create trigger users_next_identity_version before update on users
    for each row execute function users_next_identity_version();

create function users_record_identity_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        insert into credential_changes (user_id, user_version) values (old.id, nextval('user_identity_versions'));
        return old;
    end if;
    insert into credential_changes (user_id, user_version) values (new.id, new.identity_version);
    return new;
end $$;

create trigger users_record_identity_change after update on users
    for each row when (old.identity_version is distinct from new.identity_version)
    execute function users_record_identity_change();
create trigger users_record_deletion after delete on users
    for each row execute function users_record_identity_change();

-- Any change a key's cached record would miss; never the request log's last_used_at updates.
create function api_keys_record_change() returns trigger language plpgsql as $$
begin
    insert into credential_changes (key_hash) values (old.key_hash);
    return null;
end $$;

create trigger api_keys_record_change after update on api_keys
    for each row when ((old.key_hash, old.owner_id, old.tier, old.scopes, old.rate_limit_per_minute, old.expires_at,
                        old.status)
                       is distinct from (new.key_hash, new.owner_id, new.tier, new.scopes, new.rate_limit_per_minute,
                                         new.expires_at, new.status))
    execute function api_keys_record_change();
create trigger api_keys_record_deletion after delete on api_keys
    for each row execute function api_keys_record_change();
