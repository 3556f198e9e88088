# `cmake --install` puts the libraries, headers, the faultline executable and a CMake
# package config under the prefix, so a user's project can find_package(faultline) and link
# one target, faultline::faultline, that brings everything: the simulator and runs, the
# built-in systems, workloads, checkers and fault packages, the command line
# (faultline::cli::main) and the rapidcheck property helpers.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(faultline_libraries
  faultline_base faultline_histories faultline_checkers faultline_framework faultline_report faultline_property
  faultline_nemesis faultline_workloads faultline_single faultline_raft faultline_primary_replica faultline_dynamo
  faultline_sharded
  faultline_pingpong faultline_systems
  faultline_wire faultline_runtime
  faultline_builtins faultline_cli)
foreach(library IN LISTS faultline_libraries)
  string(REPLACE "faultline_" "" exported_name ${library})
  set_target_properties(${library} PROPERTIES EXPORT_NAME ${exported_name})
endforeach()

add_library(faultline_sdk INTERFACE)
target_link_libraries(faultline_sdk INTERFACE faultline_cli faultline_builtins faultline_property)
set_target_properties(faultline_sdk PROPERTIES EXPORT_NAME faultline)
set_target_properties(faultline PROPERTIES EXPORT_NAME command)

install(TARGETS ${faultline_libraries} faultline_sdk faultline EXPORT faultlineTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/faultline)
install(DIRECTORY base histories checkers framework nemesis systems workloads
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/faultline
  FILES_MATCHING PATTERN "*.h")
install(EXPORT faultlineTargets NAMESPACE faultline::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)
configure_package_config_file(cmake/faultlineConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/faultlineConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/faultlineConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/faultline)
