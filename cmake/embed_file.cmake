# Writes a C++ file defining `std::string_view <SYMBOL>()` that returns INPUT's content.
file(READ ${INPUT} content)
set(body "// Generated from ${INPUT_NAME} by cmake/embed_file.cmake. Do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace omc::embedded {\n\n")
string(APPEND body "std::string_view ${SYMBOL}() {\n    static constexpr std::string_view kText = R\"omc_embed(${content})omc_embed\";\n    return kText;\n}\n\n}  // namespace omc::embedded\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
