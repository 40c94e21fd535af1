#!/usr/bin/env bash
# Runs PyMISP's own live suite (tests/testlive_comprehensive.py) against a fresh local Cairn.
#
#   scripts/pymisp-live.sh [sqlite|postgres] [--fast] [test_name ...]
#   npm run pymisp-live -- sqlite test_simple_event test_attribute
#
# - PyMISP comes from a local clone in .tmp/pymisp (git-ignored), cloned from $PYMISP_REPO
#   (default /work/.mirror/MISP+PyMISP/repo) on first use; nothing is installed (no PyPI).
# - Its one non-stdlib dependency missing here (`deprecated`) and its package metadata
#   (`importlib.metadata.version("pymisp")`) are shimmed in .tmp/pymisp-shims; requests, dateutil and pytest
#   come from the system python3.
# - The misp-objects submodule PyMISP reads object templates from is the data packs' objects/ folder.
# - Cairn starts on a free port with CAIRN_ADMIN_KEY over a fresh database (SQLite temp file, or a new PostgreSQL
#   database created through $TEST_PG_URL); both are removed afterwards.
# - --fast sets the suite's own `fast_mode` switch (skips update_misp/update_* data reloads in setUpClass).
# - Prints one PASS/FAIL/ERROR/SKIP line per test; the full pytest output, the server log and the summary stay
#   in .tmp/pymisp-live/<dialect>-<time>/ (latest summary: .tmp/pymisp-live/latest-<dialect>.txt).
#   Exit status 0 only when no requested test failed, errored or was missing (the suite's own skips are fine).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYMISP="$ROOT/.tmp/pymisp"
SHIMS="$ROOT/.tmp/pymisp-shims"
PYMISP_REPO="${PYMISP_REPO:-/work/.mirror/MISP+PyMISP/repo}"
DATA_PACKS="${CAIRN_DATA_PACKS:-$ROOT/../shared/misp-data}"
PG_ADMIN_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

DEFAULT_TESTS=(test_search_value_event test_simple_event test_attribute test_update_object test_tags test_exists test_delete_by_uuid
  test_edit_attribute test_event_add_update_metadata test_get_non_exists_event test_delete_with_update
  test_default_distribution test_domain_ip_object test_asn_object test_custom_template test_unknown_template
  test_object_template test_describe_types test_versions test_user test_organisation test_roles test_server_settings)

usage() { sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

dialect="${1:-sqlite}"
[ $# -gt 0 ] && shift
case "$dialect" in
  sqlite) ;;
  postgres|pg|postgresql) dialect=postgres ;;
  -h|--help) usage ;;
  *) echo "unknown dialect '$dialect'" >&2; usage ;;
esac
fast=0
tests=()
for a in "$@"; do
  case "$a" in
    --fast) fast=1 ;;
    -*) echo "unknown option '$a'" >&2; usage ;;
    *) tests+=("$a") ;;
  esac
done
[ ${#tests[@]} -gt 0 ] || tests=("${DEFAULT_TESTS[@]}")

# --- PyMISP checkout, shims, test fixtures -------------------------------------------------------------------
if [ ! -d "$PYMISP/.git" ]; then
  git clone -q "$PYMISP_REPO" "$PYMISP"
fi
[ -d "$DATA_PACKS/objects/objects" ] || { echo "data packs not found at $DATA_PACKS (set CAIRN_DATA_PACKS)" >&2; exit 2; }
objdir="$PYMISP/pymisp/data/misp-objects"
if [ ! -L "$objdir" ]; then
  rmdir "$objdir" 2>/dev/null || true   # the empty submodule directory of a plain clone
  [ -e "$objdir" ] || ln -s "$(cd "$DATA_PACKS/objects" && pwd)" "$objdir"
fi
# The suite git-clones viper-test-files from GitHub at import when the folder is missing; no network here.
mkdir -p "$PYMISP/tests/viper-test-files"

pymisp_version="$(python3 -c "import tomllib; print(tomllib.load(open('$PYMISP/pyproject.toml','rb'))['project']['version'])")"
mkdir -p "$SHIMS/deprecated"
cat > "$SHIMS/deprecated/__init__.py" <<'EOF'
"""Shim for the `deprecated` package: PyMISP only uses its decorator to emit warnings; here it is a no-op."""


def deprecated(*args, **kwargs):
    if len(args) == 1 and callable(args[0]) and not kwargs:
        return args[0]
    return lambda f: f
EOF
# orjson is optional for PyMISP and this machine's python has it; with it, PyMISP's set_user_setting sends
# str(bytes) ("b'{...}'") as the value, which MISP refuses as well. Hide it so PyMISP runs as on its own CI.
echo "raise ImportError('orjson hidden for the PyMISP live run (see scripts/pymisp-live.sh)')" > "$SHIMS/orjson.py"
rm -rf "$SHIMS"/pymisp-*.dist-info
mkdir -p "$SHIMS/pymisp-$pymisp_version.dist-info"
printf 'Metadata-Version: 2.1\nName: pymisp\nVersion: %s\n' "$pymisp_version" > "$SHIMS/pymisp-$pymisp_version.dist-info/METADATA"
cat > "$SHIMS/cairn_fast_mode.py" <<'EOF'
"""pytest plugin (-p cairn_fast_mode): turns on testlive_comprehensive's own `fast_mode` before setUpClass runs."""


def pytest_collection_finish(session):
    for item in session.items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "fast_mode"):
            module.fast_mode = True
EOF

# --- fresh database + server ----------------------------------------------------------------------------------
stamp="$(date +%Y%m%d-%H%M%S)-$$"
out="$ROOT/.tmp/pymisp-live/$dialect-$stamp"
mkdir -p "$out"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
key="$(python3 -c 'import secrets,string; a=string.ascii_letters+string.digits; print("".join(secrets.choice(a) for _ in range(40)))')"
url="http://127.0.0.1:$port"

tmpdir=""
pgdb=""
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pgdb" ]; then psql -q "$PG_ADMIN_URL" -c "drop database if exists $pgdb with (force)" >/dev/null 2>&1 || true; fi
  if [ -n "$tmpdir" ]; then rm -rf "$tmpdir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$dialect" = sqlite ]; then
  tmpdir="$(mktemp -d -t cairn-pymisp-XXXXXX)"
  db_url="sqlite:$tmpdir/cairn.db"
else
  pgdb="cairn_pymisp_${stamp//-/_}_$$"
  psql -q "$PG_ADMIN_URL" -c "create database $pgdb" >/dev/null
  db_url="$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/'+sys.argv[2])))" "$PG_ADMIN_URL" "$pgdb")"
fi

(cd "$ROOT" && exec env CAIRN_DATABASE_URL="$db_url" CAIRN_HOST=127.0.0.1 CAIRN_PORT="$port" CAIRN_ADMIN_KEY="$key" \
  CAIRN_DATA_PACKS="$DATA_PACKS" CAIRN_LOG_LEVEL="${CAIRN_LOG_LEVEL:-warn}" \
  node --import tsx src/cli/main.ts serve) >"$out/server.log" 2>&1 &
server_pid=$!

if ! python3 - "$url" "$key" "$server_pid" <<'EOF'
import os, sys, time, urllib.request
url, key, pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
deadline = time.time() + 60
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(1)
    try:
        req = urllib.request.Request(url + '/servers/getVersion', headers={'Authorization': key, 'Accept': 'application/json'})
        with urllib.request.urlopen(req, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except Exception:
        time.sleep(0.2)
sys.exit(1)
EOF
then
  echo "Cairn did not start; server log ($out/server.log):" >&2
  tail -n 40 "$out/server.log" >&2
  exit 1
fi
echo "Cairn ($dialect) on $url; PyMISP $pymisp_version; ${#tests[@]} test(s); logs in ${out#"$ROOT"/}"

# The suite imports `keys` (url, key); each run gets its own, so parallel runs against different servers never mix.
mkdir -p "$out/keys"
printf 'url = %s\nkey = %s\n' "'$url'" "'$key'" > "$out/keys/keys.py"
rm -f "$PYMISP/tests/keys.py"

# --- the suite ------------------------------------------------------------------------------------------------
# An unknown name would make pytest refuse the whole run; it is reported as MISSING instead. The tests run in the
# file's order whatever the order asked for: the suite is written for it (test_simple_event, run first, finds no
# 'tlp:amber___test' tag, which the admin creates in earlier tests, and its User-role user may not create tags,
# exactly as on MISP).
ids=()
while read -r _line t; do
  ids+=("tests/testlive_comprehensive.py::TestComprehensive::$t")
done < <(for t in "${tests[@]}"; do
  line="$(grep -nE "^    def $t\(" "$PYMISP/tests/testlive_comprehensive.py" | head -1 | cut -d: -f1)"
  if [ -n "$line" ]; then echo "$line $t"; else echo "no test named '$t' in tests/testlive_comprehensive.py" >&2; fi
done | sort -n)
[ ${#ids[@]} -gt 0 ] || { echo "nothing to run" >&2; exit 2; }
plugin=()
[ "$fast" = 1 ] && plugin=(-p cairn_fast_mode)
set +e
(cd "$PYMISP" && PYTHONPATH="$out/keys:$SHIMS:$PYMISP/tests:$PYMISP${PYTHONPATH:+:$PYTHONPATH}" \
  timeout "${PYMISP_LIVE_TIMEOUT:-1800}" python3 -m pytest -p no:cacheprovider "${plugin[@]}" -rfE --tb=short \
  --junitxml="$out/junit.xml" "${ids[@]}") >"$out/pytest.log" 2>&1
pytest_rc=$?
set -e

python3 "$ROOT/scripts/pymisp-live-summary.py" "$out/junit.xml" "$dialect" "${tests[@]}" | tee "$out/summary.txt"
summary_rc=${PIPESTATUS[0]}
cp "$out/summary.txt" "$ROOT/.tmp/pymisp-live/latest-$dialect.txt"
if [ "$pytest_rc" -ne 0 ] && [ "$summary_rc" -eq 0 ]; then
  echo "pytest exited with $pytest_rc; see ${out#"$ROOT"/}/pytest.log" >&2
  exit "$pytest_rc"
fi
exit "$summary_rc"
