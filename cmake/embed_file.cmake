# Writes a C++ file defining `std::string_view <SYMBOL>()` that returns INPUT's content.
file(READ ${INPUT} content)
set(body "// Generated from ${INPUT_NAME} by cmake/embed_file.cmake. Do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace omc::embedded {\n\n")
# A char array, its length from sizeof: a constexpr string_view of the literal would count the
# characters in a constexpr loop, which GCC stops at 262 144 iterations (the OpenAPI document
# is larger than that).
string(APPEND body "std::string_view ${SYMBOL}() {\n    static constexpr char kText[] = R\"omc_embed(${content})omc_embed\";\n    return std::string_view(kText, sizeof(kText) - 1);\n}\n\n}  // namespace omc::embedded\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
