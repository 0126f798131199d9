# cmake -DMSGFMT=… -DPO=po/LANG.po -DMO=…/limber.mo -P po/compile.cmake
# Compiles one catalogue with `msgfmt --check --statistics`; fails on an error, an untranslated or a
# fuzzy message, so a catalogue listed in LINGUAS is always complete.
get_filename_component(dir ${MO} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
execute_process(COMMAND ${MSGFMT} --check --statistics -o ${MO}.new ${PO}
                RESULT_VARIABLE rc ERROR_VARIABLE stats OUTPUT_VARIABLE out)
string(STRIP "${stats}" stats)
get_filename_component(name ${PO} NAME)
message(STATUS "${name}: ${stats}")
if(NOT rc EQUAL 0)
  file(REMOVE ${MO}.new)
  message(FATAL_ERROR "${name}: msgfmt --check failed:\n${stats}")
endif()
if(stats MATCHES "untranslated|fuzzy")
  file(REMOVE ${MO}.new)
  message(FATAL_ERROR "${name} is not complete (${stats}): translate every message, then remove the fuzzy "
                      "marks (po/README.md)")
endif()
file(RENAME ${MO}.new ${MO})
