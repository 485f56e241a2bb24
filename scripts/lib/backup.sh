# Shared by scripts/pli-backup and scripts/pli-restore: settings, key paths, the pli command and
# the archive's layout. Source after common.sh.
#
# An archive is a tar file (mode 0600) of one folder, pli-backup-<UTC time>/, holding:
#   MANIFEST              format, time, host, database, roles, schema version, key id (KEY=VALUE)
#   database.dump         pg_dump's custom format of the whole database (the blob store included)
#   keys/signing.key      PLI_SIGNING_KEY: the Ed25519 seed that signs letters and proofs
#   keys/master.key       PLI_MASTER_KEY: the secret behind links and sealed mailbox passwords
#   keys/public-keys.json the public keys as GET /api/v1/keys publishes them (pli public-keys)
#   SHA256SUMS            sha256sum of every other file
BACKUP_FORMAT=1
BACKUP_FILES=(MANIFEST database.dump keys/signing.key keys/master.key keys/public-keys.json)

# Loads the settings: FILE when given, else /etc/pli/pli.env when it exists and the environment
# names no database; a file's values replace the environment's.
backup_load_settings() {
    local file=${1:-}
    if [ -z "$file" ] && [ -z "${PLI_DATABASE_URL:-}" ] && [ -r /etc/pli/pli.env ]; then
        file=/etc/pli/pli.env
    fi
    if [ -n "$file" ]; then
        [ -r "$file" ] || die "cannot read the settings file $file"
        set -a
        # shellcheck disable=SC1090
        source "$file"
        set +a
    fi
    [ -n "${PLI_DATABASE_URL:-}" ] || die "PLI_DATABASE_URL is not set (give --env FILE)"
    BACKUP_ADMIN_URL=${PLI_ADMIN_DATABASE_URL:-$PLI_DATABASE_URL}
    # The services' defaults (lib/config.c): the keys under PLI_VAR.
    BACKUP_SIGNING_KEY=${PLI_SIGNING_KEY:-${PLI_VAR:-var}/keys/signing.key}
    BACKUP_MASTER_KEY=${PLI_MASTER_KEY:-${PLI_VAR:-var}/keys/master.key}
    BACKUP_PLI=${PLI_BIN:-$(command -v pli || echo /usr/local/bin/pli)}
    [ -x "$BACKUP_PLI" ] || die "the pli command is not at $BACKUP_PLI (set PLI_BIN)"
}

# Runs one query as the schema owner (or on URL when given) and prints its single value.
backup_query() {
    local sql=$1 url=${2:-$BACKUP_ADMIN_URL}
    psql "$url" -X -q -v ON_ERROR_STOP=1 -tA -c "$sql"
}

# Prints the value of KEY in a MANIFEST file.
backup_manifest_get() {
    sed -n "s/^$2=//p" "$1" | head -n 1
}
