# Installation layout and the Debian package (cpack -G DEB).
#
#   cmake -S . -B build-pkg -DCMAKE_BUILD_TYPE=Release -DCC_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build-pkg --target callcenter_exporter && (cd build-pkg && cpack -G DEB)
#
# What lands where follows Debian's prometheus-*-exporter packages: the binary in /usr/bin, a
# conffile configuration under /etc/callcenter_exporter/, flags in /etc/default, the unit in
# /lib/systemd/system, and the dashboards and rules as data under /usr/share.
include(GNUInstallDirs)

set(CC_PKG_NAME callcenter_exporter)
# /etc stays /etc for a /usr prefix (GNUInstallDirs' special case); elsewhere it follows the prefix.
set(CC_ETC_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR})
set(CC_DATA_DIR ${CMAKE_INSTALL_DATADIR}/${CC_PKG_NAME})
set(CC_DOC_DIR ${CMAKE_INSTALL_DOCDIR})
# Debian bookworm's systemd looks in /lib/systemd/system for packaged units.
set(CC_SYSTEMD_UNIT_DIR /lib/systemd/system CACHE PATH "Where the systemd unit is installed")

install(TARGETS callcenter_exporter RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(FILES ${CMAKE_SOURCE_DIR}/deploy/debian/config.yaml
        DESTINATION ${CC_ETC_DIR}/${CC_PKG_NAME})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/callcenter_exporter.default
        DESTINATION ${CC_ETC_DIR}/default RENAME ${CC_PKG_NAME})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/callcenter_exporter.service
        DESTINATION ${CC_SYSTEMD_UNIT_DIR})

# Debian policy: man pages gzip'd with -9n (no name or time stamp, so the build is reproducible).
find_program(CC_GZIP gzip REQUIRED)
set(CC_MAN_GZ ${CMAKE_CURRENT_BINARY_DIR}/callcenter_exporter.1.gz)
add_custom_command(OUTPUT ${CC_MAN_GZ}
  COMMAND ${CC_GZIP} -9n -c ${CMAKE_SOURCE_DIR}/docs/callcenter_exporter.1 > ${CC_MAN_GZ}
  DEPENDS ${CMAKE_SOURCE_DIR}/docs/callcenter_exporter.1 VERBATIM)
add_custom_target(cc_man_page ALL DEPENDS ${CC_MAN_GZ})
install(FILES ${CC_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CC_DOC_DIR})
# Debian policy §12.6: examples under the package's doc directory, in examples/. Same name as the
# conffile and the default of --config.file, so a copy of it is found where the program looks.
install(FILES ${CMAKE_SOURCE_DIR}/config.yaml DESTINATION ${CC_DOC_DIR}/examples)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CC_DOC_DIR}
        FILES_MATCHING PATTERN "*.md")
install(FILES ${CMAKE_SOURCE_DIR}/dashboards/callcenter-wallboard.json
              ${CMAKE_SOURCE_DIR}/dashboards/callcenter-queue.json
              ${CMAKE_SOURCE_DIR}/dashboards/callcenter-agents.json
              ${CMAKE_SOURCE_DIR}/dashboards/callcenter-exporter.json
        DESTINATION ${CC_DATA_DIR}/dashboards)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/prometheus/callcenter_rules.yml
              ${CMAKE_SOURCE_DIR}/deploy/prometheus/callcenter_alerts.yml
        DESTINATION ${CC_DATA_DIR}/prometheus)

set(CPACK_PACKAGE_NAME ${CC_PKG_NAME})
set(CPACK_PACKAGE_VENDOR "callcenter_exporter developers")
set(CPACK_PACKAGE_CONTACT "callcenter_exporter developers <callcenter-exporter@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter for contact-center platforms")
set(CPACK_PACKAGE_DESCRIPTION
  "Polls the monitoring APIs of contact-center platforms (MixCall, Huawei CEC, yunhu, uContact)\n\
and serves their queues, agents and skill statistics as Prometheus metrics, with Grafana\n\
dashboards and Prometheus rules under /usr/share/callcenter_exporter.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from the binary's shared libraries (dpkg-shlibdeps); the scripts need adduser.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles
  ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
  ${CMAKE_SOURCE_DIR}/deploy/debian/prerm
  ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
