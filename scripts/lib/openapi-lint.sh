# Lints docs/openapi.yaml with Redocly's CLI, installed from npm into .tools/ on first use.
# Source after common.sh; call openapi_lint.

openapi_lint() {
    local major version dir=$PLI_ROOT/.tools/redocly
    major=$(node -p 'process.versions.node.split(".")[0]')
    # The 2.x line needs Node 20.19 or later; Debian's own Node 18 gets the 1.x line.
    if [ "$major" -ge 20 ]; then version=2.77.0; else version=1.34.21; fi
    if [ "$(cat "$dir/.version" 2>/dev/null)" != "$version" ]; then
        say "installing @redocly/cli $version"
        rm -rf "$dir" && mkdir -p "$dir"
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
            "@redocly/cli@$version" >/dev/null
        echo "$version" > "$dir/.version"
    fi
    "$dir/node_modules/.bin/redocly" lint --config "$PLI_ROOT/docs/redocly.yaml" \
        "$PLI_ROOT/docs/openapi.yaml" 2>&1 | grep -v -e '[║╔╚]' -e '^$'
    return "${PIPESTATUS[0]}"
}
