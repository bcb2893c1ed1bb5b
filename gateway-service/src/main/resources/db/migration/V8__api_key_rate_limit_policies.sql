-- A key's own rate-limit policies (README "Rate limiting"): a JSON array of {"name", "window", "limit"} that replaces
-- its tier's policies; null keeps the tier's. The gateway validates the content; the column only keeps its shape.
alter table api_keys add column rate_limits jsonb;
alter table api_keys add constraint api_keys_rate_limits_list
    check (rate_limits is null or (jsonb_typeof(rate_limits) = 'array' and jsonb_array_length(rate_limits) between 1 and 8));

-- The key's cached records carry its policies: a change of them must reach every replica like any other change.
drop trigger api_keys_record_change on api_keys;
create trigger api_keys_record_change after update on api_keys
    for each row when ((old.key_hash, old.previous_key_hash, old.previous_key_expires_at, old.owner_id, old.tier,
                        old.scopes, old.rate_limit_per_minute, old.rate_limits, old.expires_at, old.status)
                       is distinct from (new.key_hash, new.previous_key_hash, new.previous_key_expires_at,
                                         new.owner_id, new.tier, new.scopes, new.rate_limit_per_minute,
                                         new.rate_limits, new.expires_at, new.status))
    execute function api_keys_record_change();
