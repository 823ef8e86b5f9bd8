# Each library sees the headers of what it links and nothing else: its
# include root is a folder of its own in the build tree holding one link, to
# its source folder under the path the code includes it by. So a vendor that
# includes "core/app.h" without linking the core fails to compile: the
# layering (docs/design.md "Layout") is enforced by the build, not by review.
#
#   cc_public_headers(cc_core ${CMAKE_CURRENT_SOURCE_DIR}/core core)
#   → #include "core/app.h" works for cc_core and whoever links it.
function(cc_public_headers target source include_as)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  get_filename_component(parent ${root}/${include_as} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${source} ${root}/${include_as} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${root})
endfunction()
