# `cpack -G DEB` builds a Debian package of the installed tree: stripped binaries, the Debian
# copyright file and changelog, maintainer scripts that tell systemd about the units (and stop
# the links on removal), with Debian's hardening flags from ExtremaHardening.cmake.
# tools/scripts/check-deb.sh builds it and runs lintian on it (CI).
# The address is the release's to set (cmake -DEXTREMA_DEB_MAINTAINER="Name <address>"); the
# default is a reserved example domain, so no one's real mailbox is named by accident.
set(EXTREMA_DEB_MAINTAINER "Extrema developers <maintainers@extrema.example.org>" CACHE STRING
    "Maintainer of the .deb and its changelog: name <address>")
set(CPACK_PACKAGE_NAME extrema)
set(CPACK_PACKAGE_VENDOR "Extrema developers")
set(CPACK_PACKAGE_CONTACT "${EXTREMA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${EXTREMA_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "real-time low-bandwidth voice links over RTP")
# The extended description, after the summary line; CPack indents it and turns the empty line
# into the " ." paragraph separator.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Extrema carries live voice between two machines at a fraction of the bitrate
of PCM. Its codec cuts the waveform at its peaks and sends each segment as
the closest of 255 curve shapes, in 5-byte records.

This package holds extremad, the streaming daemon (audio capture, RTP over
UDP with optional SRTP, jitter buffer, loss concealment, playback), run by
hand or as a systemd service, and extrema, the command-line tool that
encodes, decodes and measures files and tests a link through an impairment
proxy.")
# A Debian revision: the package is not native, so its changelog is changelog.Debian.gz.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Stripped: the binaries carry no debug sections into the package (RelWithDebInfo builds them).
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

# Maintainer scripts, executable as dpkg wants them.
set(deb_scripts "")
foreach(script postinst prerm postrm)
  file(COPY ${CMAKE_CURRENT_SOURCE_DIR}/cmake/debian/${script}
       DESTINATION ${PROJECT_BINARY_DIR}/deb-scripts
       FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                        WORLD_READ WORLD_EXECUTE)
  list(APPEND deb_scripts ${PROJECT_BINARY_DIR}/deb-scripts/${script})
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA} ${deb_scripts})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# /usr/share/doc/extrema: the copyright file and the compressed changelog Debian asks for.
set(EXTREMA_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_PACKAGE_NAME})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/cmake/debian/copyright DESTINATION ${EXTREMA_DOC_DIR})
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/debian/changelog.in
               ${PROJECT_BINARY_DIR}/changelog.Debian @ONLY)
install(CODE "execute_process(COMMAND gzip -9nc \"${PROJECT_BINARY_DIR}/changelog.Debian\"
                              OUTPUT_FILE \"${PROJECT_BINARY_DIR}/changelog.Debian.gz\")")
install(FILES ${PROJECT_BINARY_DIR}/changelog.Debian.gz DESTINATION ${EXTREMA_DOC_DIR})
include(CPack)
