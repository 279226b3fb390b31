# Unit tests of the simulated PC's device models (sim/).
if(TARGET rtjs-sim-devices)
  foreach(name machine rtc uart ps2 vga pci keyscript virtio)
    add_executable(test-sim-${name} ${CMAKE_CURRENT_LIST_DIR}/sim/test-${name}.c)
    target_link_libraries(test-sim-${name} PRIVATE rtjs-sim-devices cmocka)
    target_compile_definitions(test-sim-${name} PRIVATE _GNU_SOURCE)
    add_test(NAME sim/${name}@unit COMMAND test-sim-${name})
    set_tests_properties(sim/${name}@unit PROPERTIES TIMEOUT 60)
  endforeach()
endif()

# The hosted platform's device half, with the real models (headless, no window).
if(TARGET rtjs-sim-devices)
  add_executable(test-sim-devices ${CMAKE_CURRENT_LIST_DIR}/sim/test-devices.c
                 ${CMAKE_SOURCE_DIR}/src/platform/hosted/devices.c ${CMAKE_SOURCE_DIR}/src/platform/hosted/net.c
                 ${CMAKE_SOURCE_DIR}/src/platform/hosted/disk.c ${CMAKE_SOURCE_DIR}/src/platform/hosted/loop-thread.c
                 ${CMAKE_SOURCE_DIR}/src/platform/hosted/net-user.c ${CMAKE_SOURCE_DIR}/src/platform/hosted/net-tap.c)
  target_include_directories(test-sim-devices PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/src/platform/hosted)
  target_link_libraries(test-sim-devices PRIVATE rtjs-sim-devices cmocka PkgConfig::HOSTED_NET)
  add_test(NAME sim/devices@unit COMMAND test-sim-devices)
  set_tests_properties(sim/devices@unit PROPERTIES TIMEOUT 60)
endif()

# The SDL window under Xvfb (skipped, status 77, without xvfb-run or Xlib).
find_package(X11 QUIET)
find_package(PkgConfig REQUIRED)
if(TARGET rtjs-sim-devices AND X11_FOUND AND TARGET rtjs-sim)
  pkg_check_modules(SIM_XGRAB_PNG REQUIRED IMPORTED_TARGET libpng)
  add_executable(sim-xgrab ${CMAKE_CURRENT_LIST_DIR}/sim/xgrab.c)
  target_include_directories(sim-xgrab PRIVATE ${X11_INCLUDE_DIR})
  target_link_libraries(sim-xgrab PRIVATE ${X11_LIBRARIES} PkgConfig::SIM_XGRAB_PNG)
  add_test(NAME sim/window@sim COMMAND ${CMAKE_CURRENT_LIST_DIR}/sim/window.test.sh
           $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:sim-xgrab>)
  set_tests_properties(sim/window@sim PROPERTIES TIMEOUT 120 LABELS display SKIP_RETURN_CODE 77)
endif()

# The VGA and serial consoles with scripted keyboard and serial input, and --screenshot.
if(TARGET rtjs-sim)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SIM_PNGSTAT_PNG REQUIRED IMPORTED_TARGET libpng)
  add_executable(sim-pngstat ${CMAKE_CURRENT_LIST_DIR}/sim/pngstat.c)
  target_link_libraries(sim-pngstat PRIVATE PkgConfig::SIM_PNGSTAT_PNG)
  add_test(NAME sim/consoles@sim COMMAND ${CMAKE_CURRENT_LIST_DIR}/sim/consoles.test.sh
           $<TARGET_FILE:rtjs-sim> $<TARGET_FILE:sim-pngstat>)
  set_tests_properties(sim/consoles@sim PROPERTIES TIMEOUT 120 LABELS js)
endif()
