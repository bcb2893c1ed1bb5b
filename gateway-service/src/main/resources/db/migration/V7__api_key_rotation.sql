-- Key rotation (README "Key rotation"): a rotated key keeps its id, limits and usage and gets a
-- new secret; the secret it replaces keeps working until previous_key_expires_at (the grace period). One previous
-- secret at a time: rotating again during a grace ends the older one at once.
alter table api_keys add column previous_key_hash char(64);
alter table api_keys add column previous_key_expires_at timestamptz;
alter table api_keys add constraint api_keys_previous_key_complete
    check ((previous_key_hash is null) = (previous_key_expires_at is null));
create unique index api_keys_previous_key_hash_unique on api_keys (previous_key_hash)
    where previous_key_hash is not null;

-- Every secret whose cached record a change makes wrong is recorded: the current one and the previous one (a
-- rotation turns the current secret into the previous one and drops the older previous one; a revocation or any
-- other change must reach the records cached under both).
create or replace function api_keys_record_change() returns trigger language plpgsql as $$
begin
    insert into credential_changes (key_hash) values (old.key_hash);
    if old.previous_key_hash is not null then
        insert into credential_changes (key_hash) values (old.previous_key_hash);
    end if;
    return null;
end $$;

drop trigger api_keys_record_change on api_keys;
create trigger api_keys_record_change after update on api_keys
    for each row when ((old.key_hash, old.previous_key_hash, old.previous_key_expires_at, old.owner_id, old.tier,
                        old.scopes, old.rate_limit_per_minute, old.expires_at, old.status)
                       is distinct from (new.key_hash, new.previous_key_hash, new.previous_key_expires_at,
                                         new.owner_id, new.tier, new.scopes, new.rate_limit_per_minute,
                                         new.expires_at, new.status))
    execute function api_keys_record_change();
