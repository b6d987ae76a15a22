# The kernels' sources and their per-ISA compile flags, for every CMake build
# of them (the addon's CMakeLists.txt and fuzz/CMakeLists.txt); binding.gyp
# lists the same. Sets KERNEL_SOURCES and KERNEL_DEFINES.
file(GLOB KERNEL_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/kernels/*.cc)
set(ISA_DIR ${CMAKE_CURRENT_LIST_DIR}/kernels/isa)
list(APPEND KERNEL_SOURCES ${ISA_DIR}/generic.cc)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  list(APPEND KERNEL_SOURCES ${ISA_DIR}/sse2.cc ${ISA_DIR}/avx2.cc ${ISA_DIR}/avx512.cc)
  set_source_files_properties(${ISA_DIR}/avx2.cc PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
  set_source_files_properties(${ISA_DIR}/avx512.cc PROPERTIES COMPILE_OPTIONS "-mavx512f;-mavx2;-mfma")
  set(KERNEL_DEFINES DELTAPROP_HAVE_X86_KERNELS)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  list(APPEND KERNEL_SOURCES ${ISA_DIR}/neon.cc)
  set(KERNEL_DEFINES DELTAPROP_HAVE_NEON_KERNELS)
endif()
