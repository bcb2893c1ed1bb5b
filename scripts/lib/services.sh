# Provisions the real PostgreSQL and Redis that the stack and the tests use. Sourced by scripts/run,
# scripts/test and .ci/run. Idempotent: reuses servers that already answer, installs what is missing,
# starts what is stopped.

PG_HOST="${POSTGRES_HOST:-localhost}"
PG_PORT="${POSTGRES_PORT:-5432}"
PG_USER="${POSTGRES_USER:-scalable}"
PG_PASSWORD="${POSTGRES_PASSWORD:-scalable}"
PG_DATABASES="${POSTGRES_DB:-scalable_api} ${POSTGRES_TEST_DB:-scalable_api_test} ${GATEWAY_TEST_DB:-scalable_gateway_test} ${E2E_DB:-scalable_e2e} ${FRESH_START_DB:-scalable_fresh_start}"
REDIS_PORT_NUMBER="${REDIS_PORT:-6379}"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }

apt_install() {
  say "installing $* (apt-get)"
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

ensure_postgres() {
  if ! command -v pg_isready >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql
  fi
  if ! pg_ready; then
    local version
    version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
      say "creating PostgreSQL $version cluster"
      pg_createcluster "$version" main >/dev/null
    fi
    say "starting PostgreSQL $version on port $PG_PORT"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    local deadline=$((SECONDS + 30))
    until pg_ready; do
      [ $SECONDS -lt $deadline ] || { echo "PostgreSQL did not become ready" >&2; return 1; }
      sleep 0.5
    done
  else
    say "PostgreSQL already running on $PG_HOST:$PG_PORT"
  fi
  # Role and databases for the app (TCP logins need a password: Debian's pg_hba uses scram on 127.0.0.1).
  su postgres -c "psql -q -p $PG_PORT -v ON_ERROR_STOP=1" <<SQL
do \$\$ begin
  if not exists (select from pg_roles where rolname = '$PG_USER') then
    create role $PG_USER login password '$PG_PASSWORD';
  end if;
end \$\$;
SQL
  local db
  for db in $PG_DATABASES; do
    if ! su postgres -c "psql -p $PG_PORT -tAc \"select 1 from pg_database where datname = '$db'\"" | grep -q 1; then
      say "creating database $db"
      su postgres -c "createdb -p $PG_PORT -O $PG_USER $db"
    fi
  done
}

redis_ready() { redis-cli -p "$REDIS_PORT_NUMBER" ping 2>/dev/null | grep -q PONG; }

ensure_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || apt_install redis-server redis-tools
  if redis_ready; then
    say "Redis already running on port $REDIS_PORT_NUMBER"
    return
  fi
  say "starting Redis on 127.0.0.1:$REDIS_PORT_NUMBER"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT_NUMBER" --save "" --appendonly no \
    --logfile /tmp/scalable-api-redis-"$REDIS_PORT_NUMBER".log
  local deadline=$((SECONDS + 15))
  until redis_ready; do
    [ $SECONDS -lt $deadline ] || { echo "Redis did not become ready" >&2; return 1; }
    sleep 0.2
  done
}

# deploy-tests' tools: promtool (Debian package prometheus) checks the alert rules, kubectl builds the kustomize
# overlays offline, node and npm run the Kubernetes schema validator.
ensure_deploy_test_tools() {
  command -v promtool >/dev/null || apt_install prometheus
  command -v kubectl >/dev/null || apt_install kubectl
  command -v npm >/dev/null || apt_install nodejs npm
}
