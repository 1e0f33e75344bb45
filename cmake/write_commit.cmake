# Run at every build (cmake -P): writes OUT with the source tree's commit, rewriting it only when
# the commit changes so that nothing recompiles otherwise. Outside a git checkout (a source
# tarball, a package build) the commit is "unknown".
execute_process(COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE status ERROR_QUIET)
if(NOT status EQUAL 0 OR commit STREQUAL "")
    set(commit "unknown")
endif()
set(content "#pragma once\n#define CITE_COMMIT \"${commit}\"\n")
if(EXISTS "${OUT}")
    file(READ "${OUT}" old)
else()
    set(old "")
endif()
if(NOT old STREQUAL content)
    file(WRITE "${OUT}" "${content}")
endif()
