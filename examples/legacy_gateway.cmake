# The legacy gateway's server and client (c_tests/legacy/, all C), moved
# onto sockctl by docs/MIGRATING.md's steps 2 and 3 (c_tests/migration/
# migrate.sh) into the build tree, as the targets `server` and `client`
# linked with sockctl::sockctl. Included by both examples; SOCKCTL_REPO is
# the sockctl repository.
set(LEGACY "${CMAKE_CURRENT_BINARY_DIR}/legacy")
execute_process(COMMAND "${SOCKCTL_REPO}/c_tests/migration/migrate.sh" "${SOCKCTL_REPO}/c_tests/legacy" "${LEGACY}"
  RESULT_VARIABLE migrate_rc)
if(NOT migrate_rc EQUAL 0)
  message(FATAL_ERROR "c_tests/migration/migrate.sh failed (${migrate_rc})")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${SOCKCTL_REPO}/c_tests/migration/migrate.sh")

add_executable(server "${LEGACY}/server/Server.c")
target_link_libraries(server PRIVATE sockctl::sockctl)

add_executable(client "${LEGACY}/client/main.c" "${LEGACY}/client/HostProc.c" "${LEGACY}/client/Logger.c"
  "${LEGACY}/client/MessageQueue.c" "${LEGACY}/client/RecvSend.c" "${LEGACY}/client/ClientSocketCtl.c")
target_link_libraries(client PRIVATE sockctl::sockctl Threads::Threads)
