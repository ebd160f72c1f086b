# SPDX-License-Identifier: BSD-2-Clause
# Fuzzing the seccomp profile parsers; include()d from tests/fuzz/CMakeLists.txt.
#
#   fuzz_profile             libFuzzer binary (clang only)
#   fuzz_profile_smoke       ctest, label fuzz: 100000 runs from corpus/profile/
#
# The library is compiled a second time with coverage instrumentation so that
# libFuzzer sees inside the parsers, not only the entry point.
if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
	return()
endif()

# Imported targets are per directory; these are profile/'s, found again here.
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(YAML    REQUIRED IMPORTED_TARGET yaml-0.1)

set(SCA_FUZZ_PROFILE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -g)

get_target_property(_sca_profile_srcs sca_profile SOURCES)
get_target_property(_sca_profile_dir sca_profile SOURCE_DIR)
list(TRANSFORM _sca_profile_srcs PREPEND "${_sca_profile_dir}/")

add_library(sca_profile_fuzz STATIC ${_sca_profile_srcs})
target_include_directories(sca_profile_fuzz PUBLIC ${_sca_profile_dir})
target_compile_options(sca_profile_fuzz PRIVATE -fsanitize=fuzzer-no-link ${SCA_FUZZ_PROFILE_FLAGS})
target_link_libraries(sca_profile_fuzz
	PUBLIC sca_common PkgConfig::SECCOMP PkgConfig::JANSSON PkgConfig::YAML)

add_executable(fuzz_profile ${CMAKE_CURRENT_LIST_DIR}/fuzz_profile.c)
target_compile_options(fuzz_profile PRIVATE -fsanitize=fuzzer ${SCA_FUZZ_PROFILE_FLAGS})
target_link_options(fuzz_profile PRIVATE -fsanitize=fuzzer ${SCA_FUZZ_PROFILE_FLAGS})
target_link_libraries(fuzz_profile PRIVATE sca_profile_fuzz)

# libFuzzer writes new inputs into its first corpus directory: give it one in
# the build tree and read the seeds in the source tree second.
set(_sca_fuzz_profile_work ${CMAKE_CURRENT_BINARY_DIR}/corpus-profile)
file(MAKE_DIRECTORY ${_sca_fuzz_profile_work})
add_test(NAME fuzz_profile_smoke
	COMMAND fuzz_profile -runs=100000 -max_len=4096 -timeout=10 ${SCA_FUZZ_MEM_LIMITS}
		-artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/
		${_sca_fuzz_profile_work} ${CMAKE_CURRENT_LIST_DIR}/corpus/profile
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(fuzz_profile_smoke PROPERTIES LABELS fuzz TIMEOUT 900)
