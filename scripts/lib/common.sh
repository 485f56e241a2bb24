# Shared by scripts/*: paths, privilege helpers and messages. Source it; do not run it.

PLI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PLI_ROOT

say() { printf 'pli: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Runs a command as root: directly when root, through sudo otherwise.
as_root() {
    if is_root; then "$@"; else sudo "$@"; fi
}

# Runs a command as the user that owns PostgreSQL files (postgres when we are root).
as_pg_user() {
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The newest PostgreSQL server binaries installed.
pg_bin_dir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] || die "PostgreSQL server binaries not found (run scripts/setup)"
    printf '%s\n' "$d"
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$(( 20000 + RANDOM % 40000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free port found"
}
