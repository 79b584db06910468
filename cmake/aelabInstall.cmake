# `cmake --install build --prefix P` installs aelab as a library: the headers of the four
# library layers under P/include (so users write the same include lines as the code here,
# #include "nn/autoencoder.hpp"), their static libraries under P/lib, and a CMake package
# P/lib/cmake/aelab with the targets aelab::linalg, aelab::tensor, aelab::autograd, aelab::nn
# and aelab::aelab (all of them). A consumer writes
#   find_package(aelab REQUIRED)
#   target_link_libraries(app PRIVATE aelab::aelab)
# (tests/install/ is one, built against an install by a ctest test.)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(AELAB_LIBRARY_LAYERS linalg tensor autograd nn)

# One target for everything below the chapters: nn reaches every layer under it.
add_library(aelab_library INTERFACE)
target_link_libraries(aelab_library INTERFACE aelab_nn)
set_target_properties(aelab_library PROPERTIES EXPORT_NAME aelab)

foreach(layer ${AELAB_LIBRARY_LAYERS})
  # In the build tree the repository root is on every include path already; once installed,
  # the include directory takes its place.
  target_include_directories(aelab_${layer} INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  # Users of the installed headers need C++20 too (span, concepts, designated initializers).
  target_compile_features(aelab_${layer} INTERFACE cxx_std_20)
  set_target_properties(aelab_${layer} PROPERTIES EXPORT_NAME ${layer})
  install(DIRECTORY ${CMAKE_SOURCE_DIR}/${layer}/
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/${layer}
          FILES_MATCHING PATTERN "*.hpp")
endforeach()

install(TARGETS aelab_linalg aelab_tensor aelab_autograd aelab_nn aelab_library
        EXPORT aelabTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

set(AELAB_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/aelab)
install(EXPORT aelabTargets NAMESPACE aelab:: DESTINATION ${AELAB_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/aelabConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/aelabConfig.cmake
                              INSTALL_DESTINATION ${AELAB_CMAKE_DIR})
# 0.x releases make no promise across minor versions.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/aelabConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/aelabConfig.cmake ${CMAKE_BINARY_DIR}/aelabConfigVersion.cmake
        DESTINATION ${AELAB_CMAKE_DIR})
