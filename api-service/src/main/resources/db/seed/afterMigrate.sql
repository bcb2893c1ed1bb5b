-- Dev seed, run after every migrate but inserting only when the dev_seed placeholder is true (dev profile
-- only; never in production). Idempotent, and serialised by an advisory lock so replicas starting together
-- seed once.
select pg_advisory_xact_lock(727001);

insert into users (email, password_hash, role)
select v.email, v.password_hash, v.role
from (values
    ('admin@example.com', '$2a$10$1LhZgUrhuyx6sqC1OukGnur5jcB/GR0OsqLA/F/ZU6kt3nFCl.CoC', 'admin'),
    ('user@example.com',  '$2a$10$lfF3HroA8NYDhNEbdUVN3e.2tSuvzGccr1Iw7uOSqatWRNP.qqN32', 'user')
) as v(email, password_hash, role)
where '${dev_seed}' = 'true'
on conflict do nothing;

insert into resources (name, type, description, owner_id)
select s.name, s.type, s.description, (select id from users where email = s.owner)
from (values
    ('Getting started guide', 'document', 'How to call the API with a key.', 'admin@example.com'),
    ('Pricing page',          'document', 'Tiers and their limits.',         'admin@example.com'),
    ('Sample dataset',        'dataset',  'A small dataset to play with.',   'user@example.com'),
    ('Weather feed',          'feed',     'Hourly observations.',            'user@example.com'),
    ('Status widget',         'widget',   'Embeddable status badge.',        'user@example.com')
) as s(name, type, description, owner)
where '${dev_seed}' = 'true' and not exists (select 1 from resources);
