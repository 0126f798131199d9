# ctest po.complete: the template po/limber.pot is up to date with the sources and the built-in profile,
# and every catalogue of LINGUAS translates each of its messages (msgcmp) and passes msgfmt --check
# with nothing untranslated or fuzzy.
file(MAKE_DIRECTORY ${WORK})
execute_process(COMMAND ${XGETTEXT} ${XGETTEXT_ARGS} --output=${WORK}/code.pot ${SOURCES}
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed")
endif()
execute_process(COMMAND ${PYTHON3} ${SOURCE_DIR}/po/profile_strings.py ${SOURCE_DIR}/config/default.toml
                        config/default.toml ${WORK}/profile.pot RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "po/profile_strings.py failed")
endif()
execute_process(COMMAND ${MSGCAT} --use-first --no-wrap --output-file=${WORK}/fresh.pot ${WORK}/code.pot
                        ${WORK}/profile.pot RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "msgcat failed")
endif()
set(failures)
# The committed template has every message of the fresh one, and nothing more.
execute_process(COMMAND ${MSGCMP} --use-untranslated ${SOURCE_DIR}/po/limber.pot ${WORK}/fresh.pot
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  list(APPEND failures "po/limber.pot lacks messages of the sources (regenerate it: cmake --build build --target limber-pot):\n${err}")
endif()
execute_process(COMMAND ${MSGCMP} --use-untranslated ${WORK}/fresh.pot ${SOURCE_DIR}/po/limber.pot
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  list(APPEND failures "po/limber.pot has messages the sources no longer have (regenerate it):\n${err}")
endif()
foreach(lang IN LISTS LINGUAS)
  set(po ${SOURCE_DIR}/po/${lang}.po)
  execute_process(COMMAND ${MSGCMP} ${po} ${WORK}/fresh.pot RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    list(APPEND failures "po/${lang}.po misses messages of the template (msgmerge --update po/${lang}.po po/limber.pot, then translate):\n${err}")
  endif()
  execute_process(COMMAND ${MSGFMT} --check --statistics -o /dev/null ${po} RESULT_VARIABLE rc ERROR_VARIABLE stats)
  string(STRIP "${stats}" stats)
  message(STATUS "po/${lang}.po: ${stats}")
  if(NOT rc EQUAL 0 OR stats MATCHES "untranslated|fuzzy")
    list(APPEND failures "po/${lang}.po: ${stats}")
  endif()
endforeach()
if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}")
endif()
