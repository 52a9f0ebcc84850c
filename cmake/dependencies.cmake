# Every dependency is a Debian 12 package (scripts/setup.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(restinio REQUIRED)
# `omc simulate` drives a running server over HTTP (libcurl4-openssl-dev).
find_package(CURL REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# QR codes for enrolling an authenticator app (platform/auth/qr.cpp).
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
# Debian's cnats CMake config names a static library the package does not ship: use pkg-config.
pkg_check_modules(NATS REQUIRED IMPORTED_TARGET libnats)
# Report files (platform/report): XLSX with libxlsxwriter-dev, PDF with libhpdf-dev (no .pc file
# in Debian 12, so found by header and library).
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
find_path(HPDF_INCLUDE_DIR hpdf.h REQUIRED)
find_library(HPDF_LIBRARY NAMES hpdf REQUIRED)
add_library(omc_hpdf INTERFACE)
target_include_directories(omc_hpdf INTERFACE ${HPDF_INCLUDE_DIR})
target_link_libraries(omc_hpdf INTERFACE ${HPDF_LIBRARY})
# Reading XLSX uploads (platform/report/xlsx_reader.cpp): minizip (libminizip-dev) opens the zip
# container in memory, expat (libexpat1-dev) parses its XML.
pkg_check_modules(MINIZIP REQUIRED IMPORTED_TARGET minizip)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
# The web console's gzip copies (platform/http/static_site.cpp): zlib1g-dev.
pkg_check_modules(ZLIB REQUIRED IMPORTED_TARGET zlib)

add_library(omc_deps INTERFACE)
target_link_libraries(omc_deps INTERFACE
    Threads::Threads fmt::fmt spdlog::spdlog nlohmann_json::nlohmann_json CLI11::CLI11
    OpenSSL::SSL OpenSSL::Crypto SQLite::SQLite3 PostgreSQL::PostgreSQL restinio::restinio
    PkgConfig::SODIUM PkgConfig::TOMLPP PkgConfig::NATS PkgConfig::QRENCODE CURL::libcurl
    PkgConfig::XLSXWRITER omc_hpdf PkgConfig::MINIZIP PkgConfig::EXPAT
    PkgConfig::ZLIB)
# RESTinio 0.6 uses standalone Asio and the nodejs http-parser.
target_compile_definitions(omc_deps INTERFACE SPDLOG_FMT_EXTERNAL ASIO_STANDALONE)
