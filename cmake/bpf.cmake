# SPDX-License-Identifier: BSD-2-Clause
# Compile BPF programs (bpf/NAME.bpf.c) into libbpf skeleton headers.
# Included only with SCA_BPF=ON.
#
#   sca_bpf_skeleton(NAME SRC)
#
# SRC is the BPF C source (normally bpf/NAME.bpf.c, relative to the calling
# directory or absolute).  The function:
#   1. compiles SRC with clang -target bpf to NAME.tmp.bpf.o, then links it with
#      `bpftool gen object` to NAME.bpf.o;
#   2. runs `bpftool gen skeleton NAME.bpf.o > NAME.skel.h`;
#   3. defines the INTERFACE library NAME_skel: linking it adds the directory of
#      NAME.skel.h to the include path and makes the consumer wait for it.
# The programs take kernel types from the checked-in bpf/vmlinux_min.h (CO-RE,
# relocated at load time), so nothing here depends on the build host's kernel.
# The generated files live in ${CMAKE_BINARY_DIR}/bpf.

find_program(SCA_BPF_CLANG NAMES clang clang-16 clang-15 clang-14
	DOC "clang used to compile BPF programs")
find_program(SCA_BPFTOOL NAMES bpftool
	HINTS /usr/sbin /sbin /usr/local/sbin
	DOC "bpftool used to link BPF objects and generate skeletons")
if(NOT SCA_BPF_CLANG)
	message(FATAL_ERROR "sca: clang not found; it is needed to compile bpf/*.bpf.c (run scripts/deps.sh, or build without the BPF source: -DSCA_BPF=OFF)")
endif()
if(NOT SCA_BPFTOOL)
	message(FATAL_ERROR "sca: bpftool not found; it is needed to generate BPF skeletons (run scripts/deps.sh, or build without the BPF source: -DSCA_BPF=OFF)")
endif()

# The programs read x86 registers (pt_regs di, si, ... and the i386 compat
# ones), so x86_64 is the only target for now; elsewhere SCA_BPF defaults
# to OFF, and asking for it anyway is an error.
if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
	message(FATAL_ERROR "sca: the BPF programs support x86_64 only, not ${CMAKE_SYSTEM_PROCESSOR}; build with -DSCA_BPF=OFF")
endif()
set(SCA_BPF_TARGET_ARCH x86)

function(sca_bpf_skeleton NAME SRC)
	set(out_dir ${CMAKE_BINARY_DIR}/bpf)
	get_filename_component(src ${SRC} ABSOLUTE)

	file(MAKE_DIRECTORY ${out_dir})

	# Not -Wextra: libbpf's BPF_PROG and BPF_KPROBE declare a ctx that
	# programs need not use.
	set(bpf_werror "")
	if(SCA_WERROR)
		set(bpf_werror -Werror)
	endif()

	set(include_flags -I${CMAKE_SOURCE_DIR}/bpf)
	foreach(dir IN LISTS LIBBPF_INCLUDE_DIRS)
		list(APPEND include_flags -I${dir})
	endforeach()

	set(tmp_obj ${out_dir}/${NAME}.tmp.bpf.o)
	set(obj ${out_dir}/${NAME}.bpf.o)
	set(skel ${out_dir}/${NAME}.skel.h)

	add_custom_command(
		OUTPUT ${tmp_obj}
		COMMAND ${SCA_BPF_CLANG} -g -O2 -target bpf
			-D__TARGET_ARCH_${SCA_BPF_TARGET_ARCH}
			-Wall ${bpf_werror}
			${include_flags}
			-MD -MF ${tmp_obj}.d
			-c ${src} -o ${tmp_obj}
		DEPENDS ${src}
		DEPFILE ${tmp_obj}.d
		COMMENT "Compiling BPF program ${NAME}.bpf.c"
		VERBATIM)

	add_custom_command(
		OUTPUT ${obj}
		COMMAND ${SCA_BPFTOOL} gen object ${obj} ${tmp_obj}
		DEPENDS ${tmp_obj}
		COMMENT "Linking BPF object ${NAME}.bpf.o"
		VERBATIM)

	add_custom_command(
		OUTPUT ${skel}
		COMMAND sh -c "\"$0\" gen skeleton \"$1\" > \"$2.tmp\" && mv \"$2.tmp\" \"$2\""
			${SCA_BPFTOOL} ${obj} ${skel}
		DEPENDS ${obj}
		COMMENT "Generating BPF skeleton ${NAME}.skel.h"
		VERBATIM)

	add_custom_target(${NAME}_skel_gen DEPENDS ${skel})

	add_library(${NAME}_skel INTERFACE)
	target_include_directories(${NAME}_skel INTERFACE ${out_dir})
	# Dependencies of an INTERFACE library are followed by its consumers, so
	# anything linking NAME_skel is compiled after NAME.skel.h exists.
	add_dependencies(${NAME}_skel ${NAME}_skel_gen)
endfunction()
