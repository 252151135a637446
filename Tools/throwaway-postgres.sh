#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests and the bench: a cluster in a temporary folder,
# listening on 127.0.0.1 and a socket of its own at a private port, stopped and deleted after.
#
#   Tools/throwaway-postgres.sh start DIR PORT   # prints the environment the tests read
#   Tools/throwaway-postgres.sh stop DIR
#   Tools/throwaway-postgres.sh halt DIR         # the server stopped, its data kept (a fault test)
#   Tools/throwaway-postgres.sh resume DIR       # and started again
#
# Logins over TCP need a password (scram-sha-256): role `disclosure`, password in DIR/password.
# The server also listens on this machine's first address off loopback, where only TLS is
# accepted, with a certificate for that address signed by a throwaway authority (DIR/ca.pem).
# Databases: `province` (the shared dataset) and `other` (a second, empty one).
set -euo pipefail
command=${1:?start or stop}
dir=${2:?folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql-15)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
    port=${3:?port}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    echo "$password" > "$dir/password"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    address=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -1 || true)
    cat > "$dir/data/pg_hba.conf" <<HBA
local all postgres trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
hostssl all all 0.0.0.0/0 scram-sha-256
hostnossl all all 0.0.0.0/0 reject
HBA
    listen=127.0.0.1
    if [ -n "$address" ]; then
        listen="127.0.0.1,$address"
        (
            cd "$dir"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=disclosure throwaway CA" \
                -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout data/server.key -out server.csr -subj "/CN=$address" 2>/dev/null
            printf "subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" "$address" > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out data/server.crt -days 2 -extfile server.ext 2>/dev/null
            chmod 600 data/server.key
            if [ "$(id -u)" = 0 ]; then chown postgres data/server.key data/server.crt; fi
        )
    fi
    echo "$port" > "$dir/port"
    ssl=""
    if [ -n "$address" ]; then ssl="-c ssl=on"; fi
    echo "-p $port -k $dir -c listen_addresses=$listen $ssl -c fsync=off -c full_page_writes=off" > "$dir/options"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE disclosure LOGIN PASSWORD '$password';
CREATE DATABASE province OWNER disclosure;
CREATE DATABASE other OWNER disclosure;
SQL
    echo "DISCLOSURE_TEST_POSTGRES=postgresql://disclosure@127.0.0.1:$port/province"
    echo "DISCLOSURE_TEST_PGPASSWORD=$password"
    echo "DISCLOSURE_TEST_POSTGRES_DIR=$dir"
    if [ -n "$address" ]; then
        echo "DISCLOSURE_TEST_POSTGRES_TLS=postgresql://disclosure@$address:$port/province"
        echo "DISCLOSURE_TEST_POSTGRES_CA=$dir/ca.pem"
    fi
    ;;
halt)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
resume)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null
    ;;
stop)
    if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start DIR PORT | stop DIR | halt DIR | resume DIR" >&2; exit 2 ;;
esac
