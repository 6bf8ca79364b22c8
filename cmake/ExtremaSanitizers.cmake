# EXTREMA_SANITIZE=address,undefined or thread: instruments every target.
if(EXTREMA_SANITIZE)
  add_compile_options(-fsanitize=${EXTREMA_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${EXTREMA_SANITIZE})
endif()
