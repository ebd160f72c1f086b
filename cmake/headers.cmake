# SPDX-License-Identifier: BSD-2-Clause
# Every product header compiles on its own: a header that leans on what its
# includer happened to include first breaks the next file that uses it.
#
#   sca_header_check(DIRS dir... LIBS lib...)
#
# For each *.h in the source directories DIRS, a translation unit holding
# only `#include "HEADER"` is compiled, as part of the default build, into
# the object library sca_headers, which sees the include directories and
# definitions of LIBS.
function(sca_header_check)
	cmake_parse_arguments(PARSE_ARGV 0 ARG "" "" "DIRS;LIBS")
	set(srcs)
	foreach(dir IN LISTS ARG_DIRS)
		file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.h)
		foreach(h IN LISTS headers)
			file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${h})
			string(MAKE_C_IDENTIFIER "${rel}" id)
			set(src ${PROJECT_BINARY_DIR}/header-check/${id}.c)
			file(CONFIGURE OUTPUT ${src} CONTENT "#include \"${h}\"\n")
			list(APPEND srcs ${src})
		endforeach()
	endforeach()
	add_library(sca_headers OBJECT ${srcs})
	target_link_libraries(sca_headers PRIVATE ${ARG_LIBS})
endfunction()
