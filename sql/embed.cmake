# Turns sql/queries/*.sql into a statement enum and table, and sql/migrations/*.sql
# into an ordered migration table, so that binaries carry their SQL with them.
# Usage: cmake -DSRC=<sql dir> -DOUT=<output dir> -P embed.cmake

function(sql_to_c_literal path out_var)
  file(READ "${path}" text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
  set(${out_var} "\"${text}\"" PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY "${OUT}")
file(GLOB queries "${SRC}/queries/*.sql")
file(GLOB migrations "${SRC}/migrations/*.sql")
list(SORT queries)
list(SORT migrations)

set(enum_body "")
set(names_body "")
set(texts_body "")
foreach(path IN LISTS queries)
  get_filename_component(name "${path}" NAME_WE)
  string(TOUPPER "${name}" upper)
  sql_to_c_literal("${path}" literal)
  string(APPEND enum_body "    SQL_${upper},\n")
  string(APPEND names_body "    \"${name}\",\n")
  string(APPEND texts_body "    ${literal},\n")
endforeach()

file(WRITE "${OUT}/sql_statements.h.tmp"
"/* Built from sql/queries: one entry per file, named after it. */
#ifndef PLI_SQL_STATEMENTS_H
#define PLI_SQL_STATEMENTS_H

enum sql_statement {
${enum_body}    SQL__MAX
};

extern const char *const sql_statement_names[SQL__MAX];
extern const char *const sql_statement_texts[SQL__MAX];

#endif
")
file(WRITE "${OUT}/sql_statements.c.tmp"
"/* Built from sql/queries. */
#include \"sql_statements.h\"

const char *const sql_statement_names[SQL__MAX] = {
${names_body}};

const char *const sql_statement_texts[SQL__MAX] = {
${texts_body}};
")

set(mig_body "")
list(LENGTH migrations mig_count)
foreach(path IN LISTS migrations)
  get_filename_component(name "${path}" NAME_WE)
  sql_to_c_literal("${path}" literal)
  string(APPEND mig_body "    {\"${name}\",\n    ${literal}},\n")
endforeach()
file(WRITE "${OUT}/sql_migrations.c.tmp"
"/* Built from sql/migrations, in file-name order. */
#include \"db/migrate.h\"

const struct db_migration db_migrations[] = {
${mig_body}};

const unsigned db_migrations_count = ${mig_count};
")

foreach(f sql_statements.h sql_statements.c sql_migrations.c)
  file(COPY_FILE "${OUT}/${f}.tmp" "${OUT}/${f}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUT}/${f}.tmp")
endforeach()
