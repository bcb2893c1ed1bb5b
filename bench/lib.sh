# Shared by bench/run and bench/drills (sourced after scripts/lib/services.sh): tools, a build of the packaged
# jars when sources changed, and a PostgreSQL cluster of the harness's own (so drills may stop it and benchmarks
# are not disturbed by other databases' work).

BENCH_PG_PORT="${BENCH_POSTGRES_PORT:-15432}"
BENCH_PG_DIR="${BENCH_PG_DIR:-/tmp/scalable-bench-pg-$BENCH_PG_PORT}"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else bash -c "$*"; fi
}

ensure_bench_tools() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  for tool in "$@"; do
    case "$tool" in
      nginx) command -v nginx >/dev/null || missing+=(nginx-light) ;;
      *) command -v "$tool" >/dev/null || missing+=("$tool") ;;
    esac
  done
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
}

build_bench_if_needed() {
  # Up to date when every jar exists and no source is newer than the harness's jar (packaged last).
  local marker="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" module stale=0
  for module in api-service balancer-service gateway-service; do
    [ -f "$ROOT/$module/target/quarkus-app/quarkus-run.jar" ] || stale=1
  done
  [ -f "$marker" ] && [ -d "$ROOT/bench/target/lib" ] || stale=1
  if [ "$stale" = 0 ] && [ -z "$(find "$ROOT/pom.xml" "$ROOT/common" "$ROOT/api-service" "$ROOT/balancer-service" \
      "$ROOT/gateway-service" "$ROOT/bench/src" "$ROOT/bench/pom.xml" -newer "$marker" -type f -not -path '*/target/*' -print -quit)" ]; then
    say "build is up to date"
    return
  fi
  say "building the services and the harness (./mvnw package -DskipTests)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests -pl api-service,balancer-service,gateway-service,bench -am)
  touch "$marker"
}

bench_pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

# Starts (creating it the first time) a throwaway cluster on $BENCH_PG_PORT with the app's role, and a fresh
# database $1 in it.
start_bench_postgres() {
  local db="$1" bin
  bin="$(bench_pg_bin)"
  if [ ! -f "$BENCH_PG_DIR/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster for the harness in $BENCH_PG_DIR"
    mkdir -p "$BENCH_PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$BENCH_PG_DIR"
    as_postgres "$bin/initdb -D $BENCH_PG_DIR -A trust -U postgres" >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p "$BENCH_PG_PORT"; then
    say "starting the harness's PostgreSQL on 127.0.0.1:$BENCH_PG_PORT"
    as_postgres "$bin/pg_ctl -D $BENCH_PG_DIR -l $BENCH_PG_DIR/server.log -w -o \"-p $BENCH_PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300\" start" >/dev/null
  fi
  psql -q -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -v ON_ERROR_STOP=1 <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$PG_USER') then
    create role $PG_USER login password '$PG_PASSWORD';
  end if;
end \$\$;
drop database if exists $db;
create database $db owner $PG_USER;
SQL
  export BENCH_POSTGRES_HOST=127.0.0.1 BENCH_POSTGRES_PORT="$BENCH_PG_PORT" BENCH_POSTGRES_DB="$db"
  export BENCH_POSTGRES_PID
  BENCH_POSTGRES_PID="$(head -1 "$BENCH_PG_DIR/postmaster.pid")"
  export BENCH_POSTGRES_STOP="su_or_sh() { if [ \$(id -u) = 0 ]; then su postgres -c \"\$*\"; else bash -c \"\$*\"; fi; }; su_or_sh '$bin/pg_ctl -D $BENCH_PG_DIR -m fast -w stop'"
  export BENCH_POSTGRES_START="su_or_sh() { if [ \$(id -u) = 0 ]; then su postgres -c \"\$*\"; else bash -c \"\$*\"; fi; }; su_or_sh '$bin/pg_ctl -D $BENCH_PG_DIR -l $BENCH_PG_DIR/server.log -w -o \"-p $BENCH_PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300\" start'"
}

stop_bench_postgres() {
  if pg_isready -q -h 127.0.0.1 -p "$BENCH_PG_PORT"; then
    say "stopping the harness's PostgreSQL"
    as_postgres "$(bench_pg_bin)/pg_ctl -D $BENCH_PG_DIR -m fast -w stop" >/dev/null || true
  fi
}

run_bench_class() {
  local main="$1"; shift
  java -Xmx1g -Dbench.root="$ROOT" -cp "$ROOT/bench/target/classes:$ROOT/bench/target/lib/*" "$main" "$@"
}
