# Three kinds of tests, beside the code they test (docs/testing.md):
#   *_test.cpp      pure and fast, plus API tests through Router::Dispatch on in-memory SQLite
#   *_dbtest.cpp    one body run on SQLite and on PostgreSQL over the schema the migrator builds
#   *_fuzz.cpp      libFuzzer targets, built with clang by scripts/test.sh
find_package(GTest REQUIRED)

file(GLOB_RECURSE OMC_TESTING_SOURCES CONFIGURE_DEPENDS src/testing/*.cpp)
add_library(omc_testing STATIC ${OMC_TESTING_SOURCES})
target_link_libraries(omc_testing PUBLIC omc_app GTest::gtest GTest::gmock)

file(GLOB_RECURSE OMC_UNIT_TEST_SOURCES CONFIGURE_DEPENDS src/*_test.cpp tests/*_test.cpp)
add_executable(omc_unit_tests ${OMC_UNIT_TEST_SOURCES} tests/support/quiet_logs.cpp)
# minizip (found in dependencies.cmake) opens the XLSX files the report tests write.
target_link_libraries(omc_unit_tests PRIVATE omc_testing GTest::gtest_main PkgConfig::MINIZIP)
add_test(NAME unit COMMAND omc_unit_tests --gtest_brief=1)
set_tests_properties(unit PROPERTIES ENVIRONMENT "OMC_BINARY=$<TARGET_FILE:omc>;OMC_SOURCE_DIR=${CMAKE_SOURCE_DIR}")

file(GLOB_RECURSE OMC_DB_TEST_SOURCES CONFIGURE_DEPENDS src/*_dbtest.cpp tests/*_dbtest.cpp)
add_executable(omc_db_tests ${OMC_DB_TEST_SOURCES} tests/support/quiet_logs.cpp)
target_link_libraries(omc_db_tests PRIVATE omc_testing GTest::gtest_main)
add_test(NAME db_sqlite COMMAND omc_db_tests --gtest_brief=1)
set_tests_properties(db_sqlite PROPERTIES ENVIRONMENT
    "OMC_TEST_ENGINE=sqlite;OMC_BINARY=$<TARGET_FILE:omc>;OMC_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
# The PostgreSQL run needs OMC_TEST_PG_URL (scripts/test.sh starts a throwaway cluster and sets
# it). Without it the tests fail: they never skip.
add_test(NAME db_postgres COMMAND omc_db_tests --gtest_brief=1)
set_tests_properties(db_postgres PROPERTIES ENVIRONMENT
    "OMC_TEST_ENGINE=postgres;OMC_BINARY=$<TARGET_FILE:omc>;OMC_SOURCE_DIR=${CMAKE_SOURCE_DIR}")

# A real webhook receiver on loopback (tests/support/webhook_receiver.cpp): the webhook tests
# start it as a child process; it verifies signatures with webhooks::VerifySignature.
add_executable(omc_webhook_receiver tests/support/webhook_receiver.cpp)
target_link_libraries(omc_webhook_receiver PRIVATE omc_app)
add_dependencies(omc_db_tests omc_webhook_receiver)
