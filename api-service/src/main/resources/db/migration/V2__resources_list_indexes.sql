-- Every list the API allows is one index range scan: the filters given (owner_id, type) are the leading
-- equality columns, then the sort column, then id (the tie-breaker of every sort and of every cursor), so
-- PostgreSQL reads the page in order and stops after it, whatever the table's size. One index per
-- (filters, sort) shape: 4 filter combinations × 3 sorts, of which (type, id), (owner_id, id) and the primary
-- key exist already. A sort without its indexes here is refused by the API (ResourceSort).
-- Plain CREATE INDEX, not CONCURRENTLY: Flyway holds its advisory lock in an open transaction, which
-- CONCURRENTLY waits for (it hangs: flyway/flyway#3854), as do the other replicas' sessions waiting on that lock.
-- Writes to resources wait while these are built: 1-3 s per index per million rows on the bench machine (about
-- 20 s for all nine on 1 M rows). Every insert pays for them too: a bulk insert of 200,000 rows took 10 s with
-- these indexes against 1.5 s with V1's alone (bench PostgreSQL, loaded 2-core machine).
create index resources_created_idx            on resources (created_at, id);
create index resources_name_idx               on resources (name, id);
create index resources_type_created_idx       on resources (type, created_at, id);
create index resources_type_name_idx          on resources (type, name, id);
create index resources_owner_created_idx      on resources (owner_id, created_at, id);
create index resources_owner_name_idx         on resources (owner_id, name, id);
create index resources_owner_type_idx         on resources (owner_id, type, id);
create index resources_owner_type_created_idx on resources (owner_id, type, created_at, id);
create index resources_owner_type_name_idx    on resources (owner_id, type, name, id);
