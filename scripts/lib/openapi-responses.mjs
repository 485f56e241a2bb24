// Checks every JSON reply the API tests logged (PLI_TEST_RESPONSE_LOG, one JSON line each:
// method, path, query, status, content_type, body, test) against docs/openapi.yaml: the
// operation is found by method and path template, the status must be documented for it (or
// covered by a range such as 4XX, or default), and the body must match that response's schema
// for that media type (JSON Schema 2020-12 with Ajv, $refs resolved in the whole document).
// Replies on paths the document does not have (probes of unknown routes) must be problems.
// Object schemas that do not say otherwise are closed: a field the document lacks is an error.
// Prints each distinct failure once (operation, status, schema path, first test, count) and
// exits 1 if there is any.
//
// Usage: node openapi-responses.mjs TOOL_DIR OPENAPI_YAML LOG_DIR
// TOOL_DIR holds node_modules with ajv, ajv-formats and yaml (scripts/lib/node-tools.sh).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [toolDir, docFile, logDir] = process.argv.slice(2);
if (!logDir) {
    console.error('usage: openapi-responses.mjs TOOL_DIR OPENAPI_YAML LOG_DIR');
    process.exit(2);
}
const require = createRequire(path.join(path.resolve(toolDir), 'package.json'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const YAML = require('yaml');

const DOC_ID = 'urn:pli:openapi';
const SCHEMAS = '#/components/schemas/';
const OPEN = '__open';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Failures listed in full; the rest are counted.
const SHOWN_MAX = 200;

const doc = YAML.parse(fs.readFileSync(docFile, 'utf8'));

// ---- closing object schemas ----------------------------------------------------------------

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const SCHEMA_ONE = ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'if', 'then',
    'else', 'contains', 'propertyNames', 'unevaluatedItems'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'prefixItems'];
const wantOpen = new Set();

function isObjectSchema(s) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    return types.includes('object') || 'properties' in s || 'allOf' in s;
}

// A copy of schema s where every object schema that says nothing of other properties gets
// unevaluatedProperties: false, except s itself when open. The parts of an allOf stay open
// (their union is closed where the allOf is): a component they name becomes NAME__open.
function close(s, open = false) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
    const out = { ...s };
    for (const k of SCHEMA_MAPS) {
        if (out[k] && typeof out[k] === 'object') {
            out[k] = Object.fromEntries(Object.entries(out[k]).map(([n, v]) => [n, close(v)]));
        }
    }
    for (const k of SCHEMA_ONE) if (k in out) out[k] = close(out[k]);
    for (const k of SCHEMA_LISTS) if (Array.isArray(out[k])) out[k] = out[k].map((b) => close(b));
    if (Array.isArray(out.allOf)) out.allOf = out.allOf.map(openPart);
    const saysOtherwise = 'additionalProperties' in out || 'unevaluatedProperties' in out ||
        '$ref' in out;
    if (!open && !saysOtherwise && isObjectSchema(out)) out.unevaluatedProperties = false;
    return out;
}

function openPart(part) {
    if (part && typeof part.$ref === 'string' && part.$ref.startsWith(SCHEMAS)) {
        const name = part.$ref.slice(SCHEMAS.length);
        wantOpen.add(name);
        return { ...part, $ref: SCHEMAS + name + OPEN };
    }
    return close(part, true);
}

function closeContent(content) {
    for (const media of Object.values(content ?? {})) {
        if (media.schema) media.schema = close(media.schema);
    }
}

const components = doc.components ?? {};
const original = { ...(components.schemas ?? {}) };
for (const [name, s] of Object.entries(original)) components.schemas[name] = close(s);
for (const r of Object.values(components.responses ?? {})) closeContent(r.content);
for (const item of Object.values(doc.paths ?? {})) {
    for (const m of METHODS) {
        for (const r of Object.values(item[m]?.responses ?? {})) closeContent(r.content);
    }
}
for (let done = new Set(); done.size < wantOpen.size;) {
    for (const name of [...wantOpen]) {
        if (done.has(name)) continue;
        done.add(name);
        if (!(name in original)) throw new Error(`allOf names a missing schema ${name}`);
        components.schemas[name + OPEN] = close(original[name], true);
    }
}

// ---- Ajv -----------------------------------------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, verbose: true });
addFormats(ajv);
ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isSafeInteger(n) });
ajv.addFormat('int32', {
    type: 'number',
    validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
});
for (const f of ['binary', 'password', 'float', 'double']) ajv.addFormat(f, true);
ajv.addSchema({ ...doc, $id: DOC_ID });

// Where each schema object sits in the (closed) document, to name it in failures.
const locations = new Map();
(function locate(node, ptr) {
    if (!node || typeof node !== 'object' || locations.has(node)) return;
    locations.set(node, ptr);
    for (const [k, v] of Object.entries(node)) {
        locate(v, `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
})(doc, '#');

const escape = (seg) => encodeURIComponent(String(seg).replace(/~/g, '~0').replace(/\//g, '~1'));
const pointer = (...segs) => '#/' + segs.map(escape).join('/');
const validators = new Map();
function validatorAt(ptr) {
    if (!validators.has(ptr)) {
        const v = ajv.getSchema(DOC_ID + ptr);
        if (!v) throw new Error(`no schema at ${ptr}`);
        validators.set(ptr, v);
    }
    return validators.get(ptr);
}

// ---- operations ----------------------------------------------------------------------------

// Path templates, fewest parameters first: a literal segment wins over a parameter.
const templates = Object.keys(doc.paths ?? {}).map((p) => ({
    path: p,
    params: (p.match(/\{[^}]+\}/g) ?? []).length,
    re: new RegExp('^' + p.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+') + '$'),
})).sort((a, b) => a.params - b.params);

function findPath(p) {
    return templates.find((t) => t.re.test(p))?.path;
}

// The response object documented for a status, and its pointer: exact, then 4XX, then default.
function findResponse(responses, base, status) {
    for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
        let r = responses?.[key];
        if (!r) continue;
        let ptr = [...base, 'responses', key];
        if (r.$ref) {
            ptr = r.$ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
            r = ptr.reduce((o, k) => o?.[k], doc);
        }
        return { response: r, ptr, key };
    }
    return null;
}

// ---- records -------------------------------------------------------------------------------

const failures = new Map();
function fail(op, status, where, message, test, example) {
    const key = [op, status, where, message].join('\u0000');
    const f = failures.get(key);
    if (f) f.count++;
    else failures.set(key, { op, status, where, message, test, example, count: 1 });
}

const problemPtr = pointer('components', 'schemas', 'Problem');
let records = 0;

function check(rec) {
    const method = String(rec.method).toLowerCase();
    const template = findPath(rec.path);
    const mediaType = String(rec.content_type).toLowerCase();
    if (!template || !doc.paths[template][method]) {
        // Not a documented operation: an unknown route or method, answered as a problem.
        const op = template ? `${rec.method} ${template}` : `${rec.method} (unknown path)`;
        if (mediaType !== 'application/problem+json') {
            fail(op, rec.status, '', `undocumented operation answered ${mediaType}`, rec.test, rec.path);
            return;
        }
        validate(op, rec, problemPtr);
        return;
    }
    const op = `${rec.method} ${template}`;
    const base = ['paths', template, method];
    const found = findResponse(doc.paths[template][method].responses, base, rec.status);
    if (!found) {
        fail(op, rec.status, '', 'status not documented', rec.test, rec.path);
        return;
    }
    const content = found.response?.content ?? {};
    if (!content[mediaType]) {
        fail(op, rec.status, found.key, `media type ${mediaType} not documented` +
            ` (documented: ${Object.keys(content).join(', ') || 'no body'})`, rec.test, rec.path);
        return;
    }
    if (!content[mediaType].schema) return;
    validate(op, rec, pointer(...found.ptr, 'content', mediaType, 'schema'));
}

function validate(op, rec, ptr) {
    const v = validatorAt(ptr);
    if (v(rec.body)) return;
    for (const e of v.errors) {
        const where = `${locations.get(e.parentSchema) ?? e.schemaPath}/${e.keyword}`;
        const detail = e.keyword === 'unevaluatedProperties'
            ? `undocumented property ${e.params.unevaluatedProperty}`
            : e.message;
        const at = e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '/';
        const example = e.keyword === 'unevaluatedProperties'
            ? JSON.stringify(e.data?.[e.params.unevaluatedProperty]) : JSON.stringify(e.data);
        fail(op, rec.status, where, `${at}: ${detail}`, rec.test, example?.slice(0, 120));
    }
}

const files = fs.existsSync(logDir) ? fs.readdirSync(logDir).filter((f) => f.endsWith('.jsonl')) : [];
for (const f of files.sort()) {
    const lines = fs.readFileSync(path.join(logDir, f), 'utf8').split('\n');
    for (const line of lines) {
        if (!line) continue;
        records++;
        check(JSON.parse(line));
    }
}

if (records === 0) {
    console.error(`openapi-responses: no reply logged in ${logDir}`);
    process.exit(1);
}
const list = [...failures.values()].sort((a, b) => (a.op + a.status).localeCompare(b.op + b.status));
for (const f of list.slice(0, SHOWN_MAX)) {
    console.log(`${f.op} -> ${f.status}: ${f.message}`);
    console.log(`    schema: ${f.where || '-'}; first in ${f.test}; ${f.count} time(s); e.g. ${f.example}`);
}
if (list.length > SHOWN_MAX) console.log(`... and ${list.length - SHOWN_MAX} more distinct failures`);
console.log(`openapi-responses: ${records} replies, ${list.length} distinct failures`);
process.exit(list.length ? 1 : 0);
