-- Dev seed, run after every migrate but inserting only when the dev_seed placeholder is true (dev profile
-- only; never in production, where the first admin comes from a Secret). Idempotent, and serialised by an
-- advisory lock so replicas starting together seed once. The dev keys' plain values are printed by scripts/run;
-- they are public and worthless outside a developer's machine.
select pg_advisory_xact_lock(727002);

insert into users (id, email, password_hash, role)
select v.id, v.email, v.password_hash, v.role
from (values
    (1, 'admin@example.com', '$2a$10$1LhZgUrhuyx6sqC1OukGnur5jcB/GR0OsqLA/F/ZU6kt3nFCl.CoC', 'admin'),
    (2, 'user@example.com',  '$2a$10$lfF3HroA8NYDhNEbdUVN3e.2tSuvzGccr1Iw7uOSqatWRNP.qqN32', 'user')
) as v(id, email, password_hash, role)
where '${dev_seed}' = 'true'
on conflict do nothing;
-- Explicit ids above: move the identity past them so later users do not collide.
select setval(pg_get_serial_sequence('users', 'id'), greatest((select max(id) from users), 1))
where '${dev_seed}' = 'true';

insert into api_keys (prefix, key_hash, name, owner_id, tier, scopes)
select v.prefix, v.key_hash, v.name, 2, v.tier, v.scopes
from (values
    ('sk_dev_Free', '0078f69344176773f8db99df84cc9f0bd92f808decb38c4dcfc0be7e8ba4b61b', 'dev free key', 'free', 'read,write'),
    ('sk_dev_ProT', 'f212698e435087503a90e035e16ec8db9b0ba52184c0f629dc26fcb468001cae', 'dev pro key', 'pro', 'read,write'),
    ('sk_dev_Ente', '687325832821b0ac1f32323ce97fd2aca247c69c12facccd6117de9104ce37dc', 'dev enterprise key', 'enterprise', 'read,write')
) as v(prefix, key_hash, name, tier, scopes)
where '${dev_seed}' = 'true'
on conflict do nothing;
