-- Dev seed, run after every migrate but inserting only when the dev_seed placeholder is true (dev profile
-- only; never in production). Idempotent, and serialised by an advisory lock so replicas starting together
-- seed once. Owners are the gateway's dev users: 1 = admin@example.com, 2 = user@example.com.
select pg_advisory_xact_lock(727001);

insert into resources (name, type, description, owner_id)
select s.name, s.type, s.description, s.owner_id
from (values
    ('Getting started guide', 'document', 'How to call the API with a key.', 1),
    ('Pricing page',          'document', 'Tiers and their limits.',         1),
    ('Sample dataset',        'dataset',  'A small dataset to play with.',   2),
    ('Weather feed',          'feed',     'Hourly observations.',            2),
    ('Status widget',         'widget',   'Embeddable status badge.',        2)
) as s(name, type, description, owner_id)
where '${dev_seed}' = 'true' and not exists (select 1 from resources);
