# SPDX-License-Identifier: BSD-2-Clause
# Test helpers.
#
#   sca_unit_test(NAME SOURCES src.c... [LIBS lib...])
#
# Builds the cmocka test executable NAME from SOURCES, links it with LIBS and
# cmocka, and registers it with ctest under the label `unit`
# (run them alone with `ctest -L unit`).

function(sca_unit_test NAME)
	cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;LIBS")
	if(ARG_UNPARSED_ARGUMENTS)
		message(FATAL_ERROR "sca_unit_test(${NAME}): unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
	endif()
	if(NOT ARG_SOURCES)
		message(FATAL_ERROR "sca_unit_test(${NAME}): no SOURCES given")
	endif()

	add_executable(${NAME} ${ARG_SOURCES})
	target_link_libraries(${NAME} PRIVATE ${ARG_LIBS} PkgConfig::CMOCKA)
	add_test(NAME ${NAME} COMMAND ${NAME})
	set_tests_properties(${NAME} PROPERTIES LABELS unit)
endfunction()
