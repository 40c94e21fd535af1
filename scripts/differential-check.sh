#!/usr/bin/env bash
# Starts Cairn twice on fresh databases, one SQLite file and one PostgreSQL database, and runs
# scripts/differential_check.py against both: the same data, edits and requests must get the same answers.
#
#   scripts/differential-check.sh [--queries N] [--mutations N] [--seed N]
#
# Needs python3 (standard library only) and PostgreSQL at $TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
# Server logs stay in .tmp/differential/; the databases are removed afterwards.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA_PACKS="${CAIRN_DATA_PACKS:-$ROOT/../shared/misp-data}"
PG_ADMIN_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
out="$ROOT/.tmp/differential"
mkdir -p "$out"
key="$(python3 -c 'import secrets,string; a=string.ascii_letters+string.digits; print("".join(secrets.choice(a) for _ in range(40)))')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
tmpdir="$(mktemp -d)"
pgdb="cairn_differential_$$"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  psql -q "$PG_ADMIN_URL" -c "drop database if exists $pgdb with (force)" >/dev/null 2>&1 || true
  rm -rf "$tmpdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

psql -q "$PG_ADMIN_URL" -c "create database $pgdb" >/dev/null
pg_url="$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/'+sys.argv[2])))" "$PG_ADMIN_URL" "$pgdb")"
urls=()
for db in "sqlite:$tmpdir/cairn.db" "$pg_url"; do
  port="$(free_port)"
  name="$([ "${db%%:*}" = sqlite ] && echo sqlite || echo postgres)"
  (cd "$ROOT" && exec env CAIRN_DATABASE_URL="$db" CAIRN_HOST=127.0.0.1 CAIRN_PORT="$port" CAIRN_ADMIN_KEY="$key" \
    CAIRN_DATA_PACKS="$DATA_PACKS" CAIRN_LOG_LEVEL="${CAIRN_LOG_LEVEL:-warn}" node --import tsx src/cli/main.ts serve) >"$out/$name.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done
for url in "${urls[@]}"; do
  for i in $(seq 1 120); do
    curl -sf -H "Authorization: $key" -H 'Accept: application/json' "$url/servers/getVersion" >/dev/null && break
    [ "$i" = 120 ] && { echo "Cairn at $url did not start (logs in $out)" >&2; exit 1; }
    sleep 0.5
  done
done
python3 "$ROOT/scripts/differential_check.py" "${urls[0]}" "${urls[1]}" "$key" "$@"
