#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the tests and print its SQLAlchemy URL.
#
#   bash scripts/start_test_postgres.sh          # start (or reuse) and print the URL
#   bash scripts/start_test_postgres.sh stop     # stop it
#
# Installs nothing: it needs Debian's postgresql (initdb/pg_ctl under
# /usr/lib/postgresql/*/bin; `make system-deps` installs it). Listens on 127.0.0.1 only,
# trust authentication, UTF-8, durability off (tests only). As root the server runs as the
# `postgres` user. Settings (environment):
#   TABAYYUN_PG_PORT  port            (default 54329)
#   TABAYYUN_PG_DIR   data directory  (default /tmp/tabayyun-pg-$PORT)
# Use the URL with: TABAYYUN_TEST_PG_URL=$(bash scripts/start_test_postgres.sh) pytest -m postgres
set -euo pipefail

PORT="${TABAYYUN_PG_PORT:-54329}"
DIR="${TABAYYUN_PG_DIR:-/tmp/tabayyun-pg-$PORT}"
DB=tabayyun
ROLE=tabayyun

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL not found under /usr/lib/postgresql/*/bin; install it with" \
       "'make system-deps' (Debian package postgresql)." >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      echo "Running as root but there is no 'postgres' user to run the server;" \
           "run as a normal user or install Debian's postgresql." >&2
      exit 3
    fi
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
  echo "stopped PostgreSQL in $DIR" >&2
  exit 0
fi

if [ ! -s "$DIR/PG_VERSION" ]; then
  mkdir -p "$DIR"
  chmod 700 "$DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; fi
  if ! out="$(as_owner "$BIN/initdb" -D "$DIR" -U "$ROLE" --auth=trust -E UTF8 \
      --locale=C.UTF-8 2>&1)"; then
    echo "initdb failed in $DIR (the server user needs access to every parent folder):" >&2
    echo "$out" | tail -n 5 >&2
    exit 4
  fi
fi

if ! as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
      echo "PostgreSQL did not start; the end of $DIR/server.log:" >&2
      tail -n 5 "$DIR/server.log" >&2 || true
      exit 4
    }
fi

exists="$(as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
if [ "$exists" != "1" ]; then
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$ROLE" -E UTF8 "$DB"
fi

echo "postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$DB"
