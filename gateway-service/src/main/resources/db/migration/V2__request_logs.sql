-- One row per request through the gateway, written in batches. Partitioned by day so that retention drops whole
-- partitions; the gateway creates upcoming partitions ahead of time, the default partition only catches rows
-- that arrive before that (it never loses a row).
create sequence request_logs_id_seq;

create table request_logs (
    id           bigint       not null default nextval('request_logs_id_seq'),
    occurred_at  timestamptz  not null,
    request_id   varchar(64)  not null,
    method       varchar(10)  not null,
    route        varchar(200) not null,
    path         varchar(2048) not null,
    status       smallint     not null,
    latency_ms   real         not null,
    key_id       bigint,
    user_id      bigint,
    client_ip    varchar(45),
    instance     varchar(64)  not null,
    cache_status varchar(10),
    error_code   varchar(40)
) partition by range (occurred_at);

create table request_logs_default partition of request_logs default;

create index request_logs_time_idx on request_logs (occurred_at desc);
create index request_logs_key_idx on request_logs (key_id, occurred_at desc);
create index request_logs_request_id_idx on request_logs (request_id);

-- Per-key usage for the admin API, aggregated per hour as batches are written.
create table key_usage_hourly (
    key_id       bigint      not null,
    hour         timestamptz not null,
    requests     bigint      not null default 0,
    rate_limited bigint      not null default 0,
    errors       bigint      not null default 0,
    primary key (key_id, hour)
);
