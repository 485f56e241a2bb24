# The whole stack on one machine: embedded PostgreSQL, nginx, pli-fcgi and pli-jobs, a local
# SMTP server, a local POP3 server (dovecot) and the postal carrier sandbox. Source after
# common.sh; scripts/run and scripts/test drive it.
#
# Inputs (environment): PLI_VAR (data folder), PLI_HTTP_PORT, PLI_PG_PORT, PLI_DATABASE_URL
# (use that PostgreSQL instead of the embedded one), PLI_SMTP_PORT, PLI_SMTP_URL (use that relay
# instead of the local SMTP server that stores every message under $PLI_VAR/mail and refuses
# recipients under .invalid), PLI_CARRIER_URL (use that postal carrier, with PLI_CARRIER_NAME,
# PLI_CARRIER_API_KEY, PLI_CARRIER_WEBHOOK_SECRET and PLI_CARRIER_CA_FILE, instead of the
# sandbox scripts/pli-carrier-sandbox, whose state, certificate and key live under
# $PLI_VAR/carrier and its API key and webhook secret under $PLI_VAR/keys), PLI_CARRIER_PORT,
# PLI_CARRIER_DEPOSIT_DELAY and PLI_CARRIER_OUTCOME_DELAY (the sandbox's port and the seconds
# until its deposited and delivered/returned callbacks), PLI_BUILD_DIR, PLI_LOG_DIR (when set,
# the servers log into files there instead of the terminal), PLI_STACK_PROFILE (run|test),
# PLI_POP3_PORT and PLI_POP3S_PORT (the local POP3 server's ports: plain or STARTTLS, and TLS
# from the start; see stack_pop3_start), PLI_POP3_USER (who runs it when we are root),
# PLI_WEBHOOK_RECEIVER_PORT (in the test profile, the port of scripts/pli-webhook-receiver, an
# integrator's webhook endpoint that verifies what pli sends it) and
# PLI_METRICS_ALLOW (the addresses or CIDR blocks, space-separated, that may read /metrics;
# default 127.0.0.1 and ::1, for nginx and pli-fcgi alike).
#
# Outputs (exported by stack_configure) besides the above: PLI_POP3_DIR (the POP3 server's
# files: dovecot.conf, cert.pem, users/USER passwd-files, mail/USER Maildirs) and
# PLI_POP3_CA_FILE (the CA pli trusts for mail servers: that cert.pem unless already set); in
# the test profile, PLI_WEBHOOK_ALLOW_LOOPBACK=1, PLI_WEBHOOK_CA_FILE (the receiver's
# certificate) and a short PLI_WEBHOOK_RETRY_SCHEDULE unless already set.
source "$PLI_ROOT/scripts/lib/node-tools.sh"

stack_configure() {
    PLI_VAR=${PLI_VAR:-$PLI_ROOT/var}
    mkdir -p "$PLI_VAR"
    PLI_VAR=$(cd "$PLI_VAR" && pwd)
    PLI_HTTP_PORT=${PLI_HTTP_PORT:-8080}
    PLI_PG_PORT=${PLI_PG_PORT:-54329}
    PLI_SMTP_PORT=${PLI_SMTP_PORT:-2525}
    PLI_CARRIER_PORT=${PLI_CARRIER_PORT:-8444}
    PLI_POP3_PORT=${PLI_POP3_PORT:-2110}
    PLI_POP3S_PORT=${PLI_POP3S_PORT:-2995}
    PLI_BUILD_DIR=${PLI_BUILD_DIR:-$PLI_ROOT/build}
    PLI_STACK_PROFILE=${PLI_STACK_PROFILE:-run}
    PLI_AUTH_RATE=${PLI_AUTH_RATE:-30r/m}
    PLI_AUTH_BURST=${PLI_AUTH_BURST:-20}
    export PLI_METRICS_ALLOW=${PLI_METRICS_ALLOW:-127.0.0.1 ::1}
    STACK_RUNTIME=$(stack_runtime_dir)
    STACK_PGDATA=$STACK_RUNTIME/pg
    STACK_NGINX=$STACK_RUNTIME/nginx
    mkdir -p "$PLI_VAR/keys" "$STACK_RUNTIME"
    chmod 0755 "$STACK_RUNTIME"
    chmod 0700 "$PLI_VAR/keys"
    export PLI_VAR PLI_HTTP_PORT PLI_PG_PORT PLI_SMTP_PORT PLI_CARRIER_PORT
    stack_pop3_locate
    export PLI_POP3_PORT PLI_POP3S_PORT
    export PLI_POP3_DIR=$STACK_POP3_DIR
    # The CA that pli-fcgi and pli-jobs trust for mail servers: our server's certificate.
    export PLI_POP3_CA_FILE=${PLI_POP3_CA_FILE:-$STACK_POP3_DIR/cert.pem}
    export PLI_SOCKET=$STACK_RUNTIME/pli-fcgi.sock
    export PLI_PID_FILE=$STACK_RUNTIME/pli-fcgi.pid
    export PLI_SIGNING_KEY=$PLI_VAR/keys/signing.key
    export PLI_PUBLIC_URL=${PLI_PUBLIC_URL:-http://127.0.0.1:$PLI_HTTP_PORT}
    if is_root; then export PLI_SOCKET_GROUP=${PLI_SOCKET_GROUP:-www-data}; fi
    if [ -z "${PLI_SMTP_URL:-}" ]; then
        STACK_LOCAL_SMTP=1
        export PLI_SMTP_URL="smtp://127.0.0.1:$PLI_SMTP_PORT"
    else
        STACK_LOCAL_SMTP=${STACK_LOCAL_SMTP:-0}
    fi
    if [ -z "${PLI_CARRIER_URL:-}" ]; then
        STACK_CARRIER_SANDBOX=1
        stack_carrier_credentials
        export PLI_CARRIER_URL="https://127.0.0.1:$PLI_CARRIER_PORT/v1"
        export PLI_CARRIER_NAME=sandbox
        PLI_CARRIER_API_KEY=$(cat "$PLI_VAR/keys/carrier-api-key")
        PLI_CARRIER_WEBHOOK_SECRET=$(cat "$PLI_VAR/keys/carrier-webhook-secret")
        export PLI_CARRIER_API_KEY PLI_CARRIER_WEBHOOK_SECRET
        export PLI_CARRIER_CA_FILE=$PLI_VAR/carrier/cert.pem
    else
        STACK_CARRIER_SANDBOX=${STACK_CARRIER_SANDBOX:-0}
    fi
    if [ "$PLI_STACK_PROFILE" = test ]; then
        # Webhook endpoints on loopback (the receiver), trusted through its certificate, and
        # retried within seconds instead of hours. A test that sets PLI_WEBHOOK_ALLOW_LOOPBACK
        # to "" (the default: refused) keeps it for the runner it restarts.
        PLI_WEBHOOK_RECEIVER_PORT=${PLI_WEBHOOK_RECEIVER_PORT:-8445}
        stack_webhook_receiver_credentials
        export PLI_WEBHOOK_RECEIVER_PORT PLI_WEBHOOK_ALLOW_LOOPBACK=${PLI_WEBHOOK_ALLOW_LOOPBACK-1}
        export PLI_WEBHOOK_CA_FILE=${PLI_WEBHOOK_CA_FILE:-$PLI_VAR/webhook-receiver/cert.pem}
        export PLI_WEBHOOK_RETRY_SCHEDULE=${PLI_WEBHOOK_RETRY_SCHEDULE:-1,1,1,1,1,1,1}
    fi
    if [ -z "${PLI_DATABASE_URL:-}" ]; then
        STACK_EMBEDDED_PG=1
        # pli owns the schema and migrates it; the services connect as pli_app, which may
        # only read and write rows (and may not change or delete proofs).
        export PLI_ADMIN_DATABASE_URL="postgresql://pli:$(stack_db_password)@127.0.0.1:$PLI_PG_PORT/pli"
        export PLI_DATABASE_URL="postgresql://pli_app:$(stack_db_password)@127.0.0.1:$PLI_PG_PORT/pli"
    else
        STACK_EMBEDDED_PG=0
    fi
}

# Where files that PostgreSQL and nginx (other users when we are root) must reach live:
# inside PLI_VAR when they can walk there, else a folder of our own under /var/tmp.
stack_runtime_dir() {
    if is_root && ! { runuser -u postgres -- test -x "$PLI_VAR" 2>/dev/null &&
                      runuser -u www-data -- test -x "$PLI_VAR" 2>/dev/null; }; then
        printf '/var/tmp/pli-%s\n' "$(printf %s "$PLI_VAR" | sha256sum | cut -c1-12)"
    else
        printf '%s/runtime\n' "$PLI_VAR"
    fi
}

# The embedded cluster's password for the pli role, made once.
stack_db_password() {
    local f=$PLI_VAR/db-password
    if [ ! -s "$f" ]; then
        (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$f")
    fi
    cat "$f"
}

# The carrier sandbox's credentials, made once: a self-signed certificate for 127.0.0.1 and its
# key (0600) in $PLI_VAR/carrier, the API key and the webhook secret (whsec_ and 32 random bytes
# in base64) in $PLI_VAR/keys (0600). The sandbox, pli-fcgi and pli-jobs run as the invoking
# user, so nothing here needs to be readable by anyone else.
stack_carrier_credentials() {
    local dir=$PLI_VAR/carrier keys=$PLI_VAR/keys
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ ! -s "$dir/cert.pem" ] || [ ! -s "$dir/key.pem" ]; then
        (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -days 3650 -keyout "$dir/key.pem" -out "$dir/cert.pem" -subj /CN=pli-carrier-sandbox \
            -addext subjectAltName=IP:127.0.0.1 2>/dev/null) ||
            die "could not create the carrier sandbox's certificate (is openssl installed?)"
        chmod 0600 "$dir/key.pem"
        chmod 0644 "$dir/cert.pem"
    fi
    if [ ! -s "$keys/carrier-api-key" ]; then
        (umask 077; printf 'sbx_%s\n' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')" \
            > "$keys/carrier-api-key")
    fi
    if [ ! -s "$keys/carrier-webhook-secret" ]; then
        (umask 077; printf 'whsec_%s\n' "$(head -c 32 /dev/urandom | base64 -w 0)" \
            > "$keys/carrier-webhook-secret")
    fi
}

# The webhook receiver's self-signed certificate for 127.0.0.1 and localhost and its key (0600),
# made once in $PLI_VAR/webhook-receiver.
stack_webhook_receiver_credentials() {
    local dir=$PLI_VAR/webhook-receiver
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ ! -s "$dir/cert.pem" ] || [ ! -s "$dir/key.pem" ]; then
        (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -days 3650 -keyout "$dir/key.pem" -out "$dir/cert.pem" \
            -subj /CN=pli-webhook-receiver \
            -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null) ||
            die "could not create the webhook receiver's certificate (is openssl installed?)"
        chmod 0600 "$dir/key.pem"
        chmod 0644 "$dir/cert.pem"
    fi
}

# Who runs the local POP3 server (STACK_POP3_USER, STACK_POP3_UID, STACK_POP3_GID) and where its
# files live (STACK_POP3_DIR): the invoking user and $PLI_VAR/pop3. Dovecot serves no mail as
# root and runs no login process as root, so when we are root it runs as PLI_POP3_USER (default
# mail, Debian's system user for mail spools), in $PLI_VAR/pop3 when that user can walk there,
# else in $STACK_RUNTIME/pop3.
stack_pop3_locate() {
    if is_root; then
        STACK_POP3_USER=${PLI_POP3_USER:-mail}
        STACK_POP3_UID=$(id -u "$STACK_POP3_USER") ||
            die "no user $STACK_POP3_USER to run the POP3 server (set PLI_POP3_USER)"
        STACK_POP3_GID=$(id -g "$STACK_POP3_USER")
        if stack_as_pop3_user test -x "$PLI_VAR" 2>/dev/null; then
            STACK_POP3_DIR=$PLI_VAR/pop3
        else
            STACK_POP3_DIR=$STACK_RUNTIME/pop3
        fi
    else
        STACK_POP3_USER=$(id -un)
        STACK_POP3_UID=$(id -u)
        STACK_POP3_GID=$(id -g)
        STACK_POP3_DIR=$PLI_VAR/pop3
    fi
}

# Runs a command as the POP3 server's user (when we are root; else as we are).
stack_as_pop3_user() {
    if is_root; then
        setpriv --reuid="$STACK_POP3_UID" --regid="$STACK_POP3_GID" --clear-groups -- "$@"
    else
        "$@"
    fi
}

# The POP3 server's certificate, made once: self-signed for 127.0.0.1 (and localhost), with its
# key (0600) beside it in STACK_POP3_DIR (cert.pem, which PLI_POP3_CA_FILE names by default).
stack_pop3_credentials() {
    local dir=$STACK_POP3_DIR
    if [ ! -s "$dir/cert.pem" ] || [ ! -s "$dir/key.pem" ]; then
        (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
            -days 3650 -keyout "$dir/key.pem" -out "$dir/cert.pem" -subj /CN=pli-pop3 \
            -addext subjectAltName=IP:127.0.0.1,DNS:localhost 2>/dev/null) ||
            die "could not create the POP3 server's certificate (is openssl installed?)"
        chmod 0600 "$dir/key.pem"
        chmod 0644 "$dir/cert.pem"
    fi
}

# Starts the local POP3 server: Debian's dovecot with its own configuration
# (scripts/lib/dovecot.conf.template rendered into STACK_POP3_DIR/dovecot.conf), folders and
# ports, whatever the system's dovecot does. It listens on 127.0.0.1 only: PLI_POP3_PORT (plain
# USER/PASS or STLS) and PLI_POP3S_PORT (implicit TLS), with the certificate
# STACK_POP3_DIR/cert.pem, and serves the accounts of STACK_POP3_DIR/users (a passwd-file each,
# plaintext passwords; scripts/lib/pop3-account adds one and its Maildir, STACK_POP3_DIR/mail/USER).
stack_pop3_start() {
    local dir=$STACK_POP3_DIR base group as_user=()
    [ -x /usr/sbin/dovecot ] || die "dovecot is not installed (run scripts/setup)"
    group=$(id -gn "$STACK_POP3_USER")
    # Its UNIX sockets must fit in 108 bytes: a shorter base_dir when the folder is deep.
    base=$dir/run
    if [ "${#base}" -gt 70 ]; then
        base=/tmp/pli-pop3-$(printf %s "$dir" | sha256sum | cut -c1-12)
    fi
    mkdir -p "$dir/state" "$dir/mail" "$dir/users" "$base"
    chmod 0700 "$dir" "$dir/users"
    stack_pop3_credentials
    sed -e "s|@DIR@|$dir|g" \
        -e "s|@BASE_DIR@|$base|g" \
        -e "s|@USER@|$STACK_POP3_USER|g" \
        -e "s|@GROUP@|$group|g" \
        -e "s|@UID@|$STACK_POP3_UID|g" \
        -e "s|@GID@|$STACK_POP3_GID|g" \
        -e "s|@PORT@|$PLI_POP3_PORT|g" \
        -e "s|@SPORT@|$PLI_POP3S_PORT|g" \
        "$PLI_ROOT/scripts/lib/dovecot.conf.template" > "$dir/dovecot.conf"
    if is_root; then
        chown -R "$STACK_POP3_UID:$STACK_POP3_GID" "$dir" "$base"
        as_user=(setpriv --reuid="$STACK_POP3_UID" --regid="$STACK_POP3_GID" --clear-groups --)
    fi
    # setpriv execs dovecot, so the pid that stack_stop signals is dovecot's master.
    stack_spawn pop3 "${as_user[@]}" /usr/sbin/dovecot -F -c "$dir/dovecot.conf"
    # Up once a login over TLS, verified with our certificate, is refused (67) for a stranger.
    stack_wait_for "the POP3 server" \
        "curl -s --max-time 5 --cacert '$dir/cert.pem' -u pli-probe:none \
             'pop3s://127.0.0.1:$PLI_POP3S_PORT/' >/dev/null 2>&1; [ \$? = 67 ]"
    if [ "$PLI_STACK_PROFILE" = run ]; then
        say "POP3 on 127.0.0.1:$PLI_POP3_PORT (plain, STLS) and 127.0.0.1:$PLI_POP3S_PORT (TLS)," \
            "certificate $dir/cert.pem; accounts: scripts/lib/pop3-account USER PASSWORD"
    fi
}

# Builds the given targets (all when none) in PLI_BUILD_DIR; warnings are errors under CI.
# PLI_CMAKE_OPTIONS adds configuration options (e.g. -DPLI_SANITIZE=ON).
stack_build() {
    local werror=OFF targets=()
    [ "${CI:-}" = true ] && werror=ON
    for t in "$@"; do targets+=(--target "$t"); done
    # shellcheck disable=SC2086
    cmake -S "$PLI_ROOT" -B "$PLI_BUILD_DIR" -DPLI_WERROR=$werror -DPLI_TESTS=ON \
        ${PLI_CMAKE_OPTIONS:-} >/dev/null
    cmake --build "$PLI_BUILD_DIR" -j "$(nproc)" "${targets[@]}" >/dev/null ||
        cmake --build "$PLI_BUILD_DIR" -j 1 "${targets[@]}"
}

stack_pg_init() {
    [ -f "$STACK_PGDATA/PG_VERSION" ] && return 0
    local bin pwfile
    bin=$(pg_bin_dir)
    say "creating the PostgreSQL cluster in $STACK_PGDATA"
    mkdir -p "$STACK_PGDATA"
    pwfile=$STACK_RUNTIME/pwfile
    (umask 077; stack_db_password > "$pwfile")
    if is_root; then chown postgres: "$STACK_PGDATA" "$pwfile"; fi
    chmod 0700 "$STACK_PGDATA"
    as_pg_user "$bin/initdb" -D "$STACK_PGDATA" -U pli --pwfile="$pwfile" -A scram-sha-256 \
        -E UTF8 --no-locale >/dev/null
    rm -f "$pwfile"
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = ''"
        echo "max_connections = 200"
        if [ "$PLI_STACK_PROFILE" = test ]; then
            # A throwaway cluster: durability is not worth the time here.
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } | as_pg_user tee -a "$STACK_PGDATA/postgresql.conf" >/dev/null
}

stack_pg_start() {
    local bin
    bin=$(pg_bin_dir)
    as_pg_user "$bin/pg_ctl" -D "$STACK_PGDATA" -l "$STACK_PGDATA/server.log" -w -t 60 \
        -o "-p $PLI_PG_PORT" start >/dev/null || {
        tail -n 20 "$STACK_PGDATA/server.log" >&2
        die "PostgreSQL did not start"
    }
    local base=${PLI_ADMIN_DATABASE_URL%/pli}/postgres
    if [ -z "$("$bin/psql" "$base" -tAc "SELECT 1 FROM pg_database WHERE datname = 'pli'")" ]; then
        "$bin/psql" "$base" -qc "CREATE DATABASE pli" >/dev/null
    fi
    if [ -z "$("$bin/psql" "$base" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'pli_app'")" ]; then
        "$bin/psql" "$base" -q -v password="$(stack_db_password)" >/dev/null <<'SQL'
CREATE ROLE pli_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SQL
    fi
}

stack_pg_stop() {
    [ -f "$STACK_PGDATA/postmaster.pid" ] || return 0
    as_pg_user "$(pg_bin_dir)/pg_ctl" -D "$STACK_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
}

# nginx's allow directives for /metrics, one per entry of PLI_METRICS_ALLOW (checked to be an
# address or a CIDR block, so that nothing else reaches the configuration).
stack_metrics_allow() {
    local entries entry out=""
    read -ra entries <<<"$PLI_METRICS_ALLOW"
    for entry in "${entries[@]}"; do
        [[ $entry =~ ^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$ ]] ||
            die "PLI_METRICS_ALLOW: '$entry' is not an address or a CIDR block"
        out+="allow $entry; "
    done
    [ -n "$out" ] || die "PLI_METRICS_ALLOW lists no address"
    printf '%s\n' "${out% }"
}

stack_nginx_render() {
    mkdir -p "$STACK_NGINX/extra" "$STACK_RUNTIME/docs"
    cp -r "$PLI_ROOT/docs/." "$STACK_RUNTIME/docs/"
    stack_docs_page "$STACK_RUNTIME/docs/index.html"
    chmod -R a+rX "$STACK_RUNTIME/docs"
    local user_directive="" metrics_allow
    is_root && user_directive="user www-data;"
    metrics_allow=$(stack_metrics_allow)
    sed -e "s|@USER_DIRECTIVE@|$user_directive|" \
        -e "s|@NGINX_DIR@|$STACK_NGINX|g" \
        -e "s|@DOCS_DIR@|$STACK_RUNTIME/docs|g" \
        -e "s|@SOCKET@|$PLI_SOCKET|g" \
        -e "s|@LISTEN@|127.0.0.1:$PLI_HTTP_PORT|g" \
        -e "s|@AUTH_RATE@|$PLI_AUTH_RATE|g" \
        -e "s|@AUTH_BURST@|$PLI_AUTH_BURST|g" \
        -e "s|@BODY_MAX@|${PLI_NGINX_BODY_MAX:-64m}|g" \
        -e "s|@METRICS_ALLOW@|$metrics_allow|g" \
        "$PLI_ROOT/nginx/pli.conf.template" > "$STACK_NGINX/nginx.conf"
    cp "$PLI_ROOT/nginx/fastcgi.conf" "$PLI_ROOT/nginx/problems.conf" "$STACK_NGINX/"
}

# The documentation page served at /docs/: docs/openapi.yaml rendered by Redocly's build-docs
# with Redoc's bundle inline, so that it works offline. Kept in PLI_BUILD_DIR/docs under the hash
# of what it is made from (the document, docs/redocly.yaml, the CLI's version) and built again
# only when that changed; copied to the path given.
stack_docs_page() {
    local dest=$1 cache=$PLI_BUILD_DIR/docs hash page
    redocly_install
    hash=$(cat "$PLI_ROOT/docs/openapi.yaml" "$PLI_ROOT/docs/redocly.yaml" <(echo "$REDOCLY_VERSION") |
        sha256sum | cut -d' ' -f1)
    page=$cache/index-$hash.html
    if [ ! -s "$page" ]; then
        say "building the documentation page"
        mkdir -p "$cache"
        "$REDOCLY" build-docs "$PLI_ROOT/docs/openapi.yaml" --config "$PLI_ROOT/docs/redocly.yaml" \
            --inlineBundle -o "$page.$$" >"$cache/build.log" 2>&1 || {
            cat "$cache/build.log" >&2
            die "could not build the documentation page"
        }
        # Nothing the page loads may come from elsewhere (scripts, styles, fonts, images).
        if grep -Eiq -e '<(script|link|img|iframe)[^>]*(src|href)=["'"'"']?(https?:)?//' \
                -e 'url\(["'"'"']?(https?:)?//' "$page.$$"; then
            rm -f "$page.$$"
            die "the documentation page loads something from another site"
        fi
        rm -f "$cache"/index-*.html
        mv "$page.$$" "$page"
    fi
    cp "$page" "$dest"
}

# Starts a server in the background, its output to the terminal or to PLI_LOG_DIR/name.log.
stack_spawn() {
    local name=$1; shift
    if [ -n "${PLI_LOG_DIR:-}" ]; then
        mkdir -p "$PLI_LOG_DIR"
        "$@" >>"$PLI_LOG_DIR/$name.log" 2>&1 &
    else
        "$@" &
    fi
    echo $! > "$STACK_RUNTIME/$name.spawned"
}

stack_wait_for() {
    local what=$1 check=$2
    for _ in $(seq 1 100); do
        eval "$check" && return 0
        sleep 0.2
    done
    die "$what did not come up"
}

stack_start() {
    stack_configure
    if [ "$STACK_EMBEDDED_PG" = 1 ]; then
        stack_pg_init
        stack_pg_start
    fi
    if [ "$STACK_LOCAL_SMTP" = 1 ]; then
        # Debian's interpreter: the one that has aiosmtpd, whatever python3 is first on PATH.
        # Its handler (scripts/lib/smtp_sink.py) refuses recipients under .invalid at RCPT.
        mkdir -p "$PLI_VAR/mail/tmp" "$PLI_VAR/mail/new" "$PLI_VAR/mail/cur"
        stack_spawn smtp env PYTHONPATH="$PLI_ROOT/scripts/lib" PYTHONDONTWRITEBYTECODE=1 \
            /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$PLI_SMTP_PORT" \
            -c smtp_sink.RefusingMailbox "$PLI_VAR/mail"
        stack_wait_for "the SMTP server" "(exec 3<>/dev/tcp/127.0.0.1/$PLI_SMTP_PORT) 2>/dev/null"
    fi
    if [ "$STACK_CARRIER_SANDBOX" = 1 ]; then
        # Signed callbacks go through nginx; until it is up the sandbox retries them.
        stack_spawn carrier /usr/bin/python3 "$PLI_ROOT/scripts/pli-carrier-sandbox" \
            --listen "127.0.0.1:$PLI_CARRIER_PORT" \
            --cert "$PLI_CARRIER_CA_FILE" --key "$PLI_VAR/carrier/key.pem" \
            --api-key-file "$PLI_VAR/keys/carrier-api-key" \
            --webhook-secret-file "$PLI_VAR/keys/carrier-webhook-secret" \
            --callback-url "http://127.0.0.1:$PLI_HTTP_PORT/api/v1/webhooks/carriers/sandbox" \
            --data "$PLI_VAR/carrier" \
            --deposit-delay "${PLI_CARRIER_DEPOSIT_DELAY:-1}" \
            --outcome-delay "${PLI_CARRIER_OUTCOME_DELAY:-2}"
        # Any HTTP answer (401 here) over TLS verified with its certificate: ours is up.
        stack_wait_for "the carrier sandbox" \
            "curl -s -o /dev/null --cacert '$PLI_CARRIER_CA_FILE' '$PLI_CARRIER_URL/letters'"
    fi
    if [ "$PLI_STACK_PROFILE" = test ]; then
        stack_spawn webhook-receiver /usr/bin/python3 "$PLI_ROOT/scripts/pli-webhook-receiver" \
            --listen "127.0.0.1:$PLI_WEBHOOK_RECEIVER_PORT" \
            --cert "$PLI_VAR/webhook-receiver/cert.pem" --key "$PLI_VAR/webhook-receiver/key.pem"
        # Any HTTP answer (404 here) over TLS verified with its certificate: it is up.
        stack_wait_for "the webhook receiver" \
            "curl -s -o /dev/null --cacert '$PLI_VAR/webhook-receiver/cert.pem' \
                 'https://127.0.0.1:$PLI_WEBHOOK_RECEIVER_PORT/_control/paths/probe'"
    fi
    stack_pop3_start
    "$PLI_BUILD_DIR/pli" keygen >/dev/null
    "$PLI_BUILD_DIR/pli" migrate >/dev/null
    stack_start_app
    stack_nginx_render
    nginx -t -q -c "$STACK_NGINX/nginx.conf" 2>/dev/null || nginx -t -c "$STACK_NGINX/nginx.conf"
    stack_spawn nginx nginx -c "$STACK_NGINX/nginx.conf"
    stack_wait_for_health
}

# Starts pli-fcgi and pli-jobs from PLI_BUILD_DIR.
stack_start_app() {
    stack_spawn pli-fcgi "$PLI_BUILD_DIR/pli-fcgi"
    stack_wait_for pli-fcgi "[ -S '$PLI_SOCKET' ]"
    stack_spawn pli-jobs "$PLI_BUILD_DIR/pli-jobs"
}

# Replaces pli-fcgi and pli-jobs with those of PLI_BUILD_DIR, the rest of the stack running on.
stack_restart_app() {
    stack_stop_one pli-jobs TERM
    stack_stop_one pli-fcgi TERM
    stack_start_app
    stack_wait_for_health
}

stack_wait_for_health() {
    stack_wait_for "the API" \
        "curl -fsS -o /dev/null 'http://127.0.0.1:$PLI_HTTP_PORT/api/v1/health' 2>/dev/null"
}

# Stops one spawned server with a signal and waits for it to go.
stack_stop_one() {
    local name=$1 sig=$2 f=$STACK_RUNTIME/$1.spawned pid
    [ -f "$f" ] || return 0
    pid=$(cat "$f")
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 175); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
}

stack_stop() {
    stack_stop_one carrier TERM
    stack_stop_one webhook-receiver TERM
    stack_stop_one nginx QUIT
    stack_stop_one pli-jobs TERM
    stack_stop_one pli-fcgi TERM
    stack_stop_one smtp TERM
    stack_stop_one pop3 TERM
    [ "${STACK_EMBEDDED_PG:-0}" = 1 ] && stack_pg_stop
    return 0
}
