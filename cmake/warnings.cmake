add_library(omc_warnings INTERFACE)
target_compile_options(omc_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local
    -Wno-missing-field-initializers -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(OMC_WERROR AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(omc_warnings INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # __int128 is a GNU extension we rely on for exact intermediate products.
    target_compile_options(omc_warnings INTERFACE -Wno-pedantic)
endif()

if(OMC_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
endif()
