#!/usr/bin/env bash
# A throwaway PostgreSQL server for Eventscope's tests, holding the sample stores in sample-data/postgres/.
#
#   scripts/pg-server.sh start DIR   initdb a cluster in DIR, start it on 127.0.0.1 on a free port (Unix socket
#                                    in DIR too), create the roles, load every sample-data/postgres/*.sql into a
#                                    database named after the file, then print one line
#                                      EVENTSCOPE_TEST_PG=postgres://eventscope_reader:reader@127.0.0.1:PORT \
#                                      EVENTSCOPE_TEST_PG_CA=DIR/tls/ca.crt
#                                    (no database part: tests append /DBNAME; the CA that signed the server's
#                                    TLS certificate, when openssl is installed) and write it to DIR/env.
#   scripts/pg-server.sh stop DIR    stop that server (pg_ctl stop -m fast) and remove DIR.
#
# Roles: eventscope_admin (superuser, password `admin`; loads the dumps, and the sample generators read its URL
# from DIR/admin.env), eventscope_reader (password `reader`, GRANT pg_read_all_data: the read-only role the
# README recommends) and eventscope_writer (password `writer`, pg_read_all_data + pg_write_all_data: a role that
# could write, for the "this role could write" check). TCP needs a password (scram-sha-256); the Unix socket
# (in DIR, closed to other users) trusts its owner.
#
# PostgreSQL refuses to run as root: as root the cluster is owned by and run as the `postgres` user (runuser),
# otherwise as the current user. Binaries: $PG_BINDIR if set, else the newest /usr/lib/postgresql/*/bin, else
# the directory of `pg_config --bindir`. Only the server in DIR is ever started or stopped; the PG* environment
# variables are ignored so no other server is reached by accident. Progress goes to stderr.
set -euo pipefail

die() {
  echo "pg-server.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
action=$1
dir=$2
repo=$(cd "$(dirname "$0")/.." && pwd)

# Never let the caller's libpq environment point our tools at another server (PG_BINDIR is ours: kept).
pg_bindir=${PG_BINDIR:-}
for var in $(compgen -e | grep '^PG' || true); do unset "$var"; done

find_bindir() {
  if [ -n "$pg_bindir" ]; then
    [ -x "$pg_bindir/initdb" ] || die "PG_BINDIR=$pg_bindir has no initdb"
    echo "$pg_bindir"
    return
  fi
  # The newest major version under /usr/lib/postgresql (sorted as numbers: 9 < 10), else pg_config's.
  local best
  best=$(for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then echo "$candidate"; fi
  done | sort -t/ -k5,5n | tail -n1)
  if [ -z "$best" ] && command -v pg_config >/dev/null 2>&1; then
    best=$(pg_config --bindir 2>/dev/null || true)
    [ -x "$best/initdb" ] || best=""
  fi
  [ -n "$best" ] || die "no PostgreSQL server binaries found (no initdb under /usr/lib/postgresql/*/bin nor \
in pg_config --bindir); on Debian: apt-get install -y postgresql, or set PG_BINDIR"
  echo "$best"
}

bindir=$(find_bindir)
for tool in initdb pg_ctl postgres psql pg_isready createdb; do
  [ -x "$bindir/$tool" ] || die "$bindir/$tool is missing (the PostgreSQL server package is incomplete)"
done

# Run a PostgreSQL tool as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user to own the cluster \
(PostgreSQL refuses to run as root); on Debian the postgresql package creates it"
  owner=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

free_port() {
  python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

admin_psql() {
  # Loading and setup go over the Unix socket in DIR, as the superuser (trusted there only).
  as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U eventscope_admin "$@"
}

start() {
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    die "$dir exists and is not empty; give a new or empty directory"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # Unix socket paths are limited to 107 bytes.
  [ ${#dir} -le 80 ] || die "$dir is too long for a Unix socket directory; use a shorter path (e.g. mktemp -d)"
  chmod 700 "$dir"
  [ "$owner" = "$(id -un)" ] || chown "$owner" "$dir"
  as_owner test -w "$dir" || die "user $owner cannot write $dir (is a parent directory closed to it?)"

  echo "pg-server.sh: initdb in $dir/data ($bindir, as $owner)" >&2
  as_owner "$bindir/initdb" -D "$dir/data" -U eventscope_admin --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    die "initdb failed; see $dir/initdb.log: $(tail -n 5 "$dir/initdb.log")"

  # TLS with a certificate authority of its own, for the sslmode tests: the server's certificate is for
  # localhost and 127.0.0.1, signed by DIR/tls/ca.crt (printed as EVENTSCOPE_TEST_PG_CA).
  local ssl_conf="ssl = off"
  if command -v openssl >/dev/null 2>&1; then
    mkdir -p "$dir/tls"
    (
      cd "$dir/tls"
      openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=eventscope test CA" \
        -keyout ca.key -out ca.crt
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
        -extfile server.ext -out server.crt
    ) >"$dir/tls.log" 2>&1 || die "making the test certificates failed; see $dir/tls.log"
    install -m 600 -o "$owner" "$dir/tls/server.key" "$dir/data/server.key"
    install -m 644 -o "$owner" "$dir/tls/server.crt" "$dir/data/server.crt"
    ssl_conf="ssl = on"
  else
    echo "pg-server.sh: no openssl: the server runs without TLS (the TLS tests will say so)" >&2
  fi

  local attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    cat >"$dir/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 32MB
log_min_messages = warning
$ssl_conf
EOF
    chown "$owner" "$dir/data/postgresql.auto.conf"
    if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      break
    fi
    # Another process may have taken the port between the check and the start: try another.
    echo "pg-server.sh: start on port $port failed (attempt $attempt): $(tail -n 3 "$dir/server.log")" >&2
    port=""
  done
  [ -n "$port" ] || die "the server would not start; see $dir/server.log"
  # From here a failure stops the server again rather than leaving it running (DIR stays, for its logs).
  trap 'as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true' EXIT

  local i
  for i in $(seq 1 60); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || die "the server on 127.0.0.1:$port is not ready after 30 s"

  admin_psql -d postgres <<'EOF'
ALTER ROLE eventscope_admin PASSWORD 'admin';
CREATE ROLE eventscope_reader LOGIN PASSWORD 'reader';
GRANT pg_read_all_data TO eventscope_reader;
CREATE ROLE eventscope_writer LOGIN PASSWORD 'writer';
GRANT pg_read_all_data, pg_write_all_data TO eventscope_writer;
EOF

  local dump name
  shopt -s nullglob
  for dump in "$repo"/sample-data/postgres/*.sql; do
    name=$(basename "$dump" .sql)
    [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || die "$dump: a sample dump's name must be a plain database name"
    echo "pg-server.sh: loading $name" >&2
    admin_psql -d postgres -c "CREATE DATABASE $name"
    # Fed on stdin, so the dump needs no permissions for the server's user.
    admin_psql -d "$name" <"$dump" >/dev/null || die "loading $dump into database $name failed"
    admin_psql -d "$name" -c "ANALYZE"
  done

  local line="EVENTSCOPE_TEST_PG=postgres://eventscope_reader:reader@127.0.0.1:$port"
  [ "$ssl_conf" = "ssl = on" ] && line="$line EVENTSCOPE_TEST_PG_CA=$dir/tls/ca.crt"
  echo "$line" >"$dir/env"
  # For the sample generators (sample-data/postgres/*/): the superuser's URL and the binaries in use.
  cat >"$dir/admin.env" <<EOF
EVENTSCOPE_PG_ADMIN=postgres://eventscope_admin:admin@127.0.0.1:$port
EVENTSCOPE_PG_BINDIR=$bindir
EOF
  trap - EXIT
  echo "$line"
}

stop() {
  [ -d "$dir" ] || die "$dir does not exist"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/data/PG_VERSION" ] || [ -f "$dir/initdb.log" ] ||
    die "$dir does not look like a directory made by '$0 start'; not touching it"
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
      die "pg_ctl stop failed for $dir/data; see $dir/server.log"
  fi
  rm -rf "$dir"
  echo "pg-server.sh: stopped and removed $dir" >&2
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
