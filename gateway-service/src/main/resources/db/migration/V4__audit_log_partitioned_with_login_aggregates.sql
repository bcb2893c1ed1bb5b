-- The audit log, partitioned by UTC day like request_logs: retention (AUDIT_RETENTION, 90 days by default) drops
-- whole partitions. The gateway creates upcoming days ahead of time; the default partition only catches rows
-- that arrive before that (and the rows copied below whose day has no partition), it never loses a row.
--
-- Failed and throttled logins are aggregated: one row per action, outcome, email, client address and minute
-- (occurred_at is the minute), whose attempts counts the attempts, upserted in batches through the unique index
-- below; a password-guessing loop adds to a count instead of adding rows. Every other entry is one row, attempts 1.
create table audit_log_v3 as select * from audit_log;
drop table audit_log;

create sequence audit_log_id_seq;

create table audit_log (
    id          bigint       not null default nextval('audit_log_id_seq'),
    occurred_at timestamptz  not null default now(),
    actor_id    bigint,
    actor_email varchar(320),
    action      varchar(40)  not null,
    target      varchar(200),
    outcome     varchar(20)  not null,
    details     jsonb,
    client_ip   varchar(45),
    request_id  varchar(64),
    attempts    integer      not null default 1
) partition by range (occurred_at);

create table audit_log_default partition of audit_log default;

create index audit_log_time_idx on audit_log (occurred_at desc, id desc);
create index audit_log_action_idx on audit_log (action, occurred_at desc, id desc);
create unique index audit_log_failed_login_idx on audit_log (action, outcome, actor_email, client_ip, occurred_at)
    where action in ('auth.login', 'admin.login') and outcome in ('failure', 'throttled');

insert into audit_log (id, occurred_at, actor_id, actor_email, action, target, outcome, details, client_ip,
                       request_id)
select id, occurred_at, actor_id, actor_email, action, target, outcome, details, client_ip, request_id
from audit_log_v3
where not (action in ('auth.login', 'admin.login') and outcome in ('failure', 'throttled'));

-- The failed logins written one row per attempt so far, folded into their minutes as from now on.
insert into audit_log (id, occurred_at, actor_email, action, outcome, client_ip, request_id, attempts)
select max(id), date_trunc('minute', occurred_at), lower(actor_email), action, outcome,
       coalesce(client_ip, 'unknown'), (array_agg(request_id order by id desc))[1], count(*)
from audit_log_v3
where action in ('auth.login', 'admin.login') and outcome in ('failure', 'throttled')
group by date_trunc('minute', occurred_at), lower(actor_email), action, outcome, coalesce(client_ip, 'unknown');

select setval('audit_log_id_seq', coalesce((select max(id) from audit_log_v3), 0) + 1, false);

drop table audit_log_v3;
