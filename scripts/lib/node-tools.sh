# The npm tools the scripts use, each installed from npm into .tools/NAME at pinned versions on
# first use: Redocly's CLI (lint, documentation page) and Ajv with its formats and a YAML reader
# (response validation). Source after common.sh.

# Installs the packages given as name@version into .tools/NAME unless that exact set is there.
node_tool_install() {
    local name=$1; shift
    local dir=$PLI_ROOT/.tools/$name
    if [ "$(cat "$dir/.version" 2>/dev/null)" != "$*" ]; then
        say "installing $*"
        rm -rf "$dir" && mkdir -p "$dir"
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$@" >/dev/null
        echo "$*" > "$dir/.version"
    fi
}

# Installs Redocly's CLI when missing; sets REDOCLY (its command) and REDOCLY_VERSION.
redocly_install() {
    # The 2.x line needs Node 20.19 or later; Debian's own Node 18 gets the 1.x line.
    if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
        REDOCLY_VERSION=2.77.0
    else
        REDOCLY_VERSION=1.34.21
    fi
    node_tool_install redocly "@redocly/cli@$REDOCLY_VERSION"
    REDOCLY=$PLI_ROOT/.tools/redocly/node_modules/.bin/redocly
}

# Installs Ajv (JSON Schema 2020-12), ajv-formats and yaml when missing; sets AJV_TOOL_DIR.
ajv_install() {
    node_tool_install ajv ajv@8.20.0 ajv-formats@3.0.1 yaml@2.9.1
    AJV_TOOL_DIR=$PLI_ROOT/.tools/ajv
}
