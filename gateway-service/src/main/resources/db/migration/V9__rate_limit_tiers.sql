-- Rate-limit tiers at runtime (README "Rate limiting"): each tier's policies, a JSON array of
-- {"name", "window", "limit"} as a key's rate_limits holds them. A gateway seeds the tiers missing here from its
-- properties (insert ... on conflict do nothing), so the properties only seed them: what an admin sets through
-- PUT /api/v1/admin/tiers/{name} stays, whatever a gateway started later is configured with. The gateway validates
-- the content; the column only keeps its shape.
create table rate_limit_tiers (
    name       varchar(32) primary key,
    policies   jsonb       not null check (jsonb_typeof(policies) = 'array'
                                           and jsonb_array_length(policies) between 1 and 8),
    updated_at timestamptz not null default now()
);

-- A tier's change reaches every gateway the way a key's does: a credential_changes row that each replica reads
-- within its poll interval (credentials/CredentialChanges), whoever made it (the admin API or plain SQL).
alter table credential_changes add column tier varchar(32);
alter table credential_changes drop constraint credential_changes_check;
alter table credential_changes add constraint credential_changes_one_subject
    check (num_nonnulls(user_id, key_hash, tier) = 1);

create function rate_limit_tiers_record_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        insert into credential_changes (tier) values (old.name);
    else
        insert into credential_changes (tier) values (new.name);
    end if;
    return null;
end $$;

create trigger rate_limit_tiers_record_change after insert or update or delete on rate_limit_tiers
    for each row execute function rate_limit_tiers_record_change();
