# Checks docs/openapi.yaml: lints it with Redocly's CLI, and checks the JSON replies the API
# tests logged against it; the tools are installed from npm into .tools/ on first use.
# Source after common.sh; call openapi_lint and openapi_responses_check.
source "$PLI_ROOT/scripts/lib/node-tools.sh"

openapi_lint() {
    redocly_install
    "$REDOCLY" lint --config "$PLI_ROOT/docs/redocly.yaml" \
        "$PLI_ROOT/docs/openapi.yaml" 2>&1 | grep -v -e '[║╔╚]' -e '^$'
    return "${PIPESTATUS[0]}"
}

# Checks every reply logged under the folder given (PLI_TEST_RESPONSE_LOG of the API tests)
# against the document: scripts/lib/openapi-responses.mjs.
openapi_responses_check() {
    ajv_install
    node "$PLI_ROOT/scripts/lib/openapi-responses.mjs" "$AJV_TOOL_DIR" \
        "$PLI_ROOT/docs/openapi.yaml" "$1"
}
