{
  # deltaprop's optional MPI addon, kept out of the package's own
  # binding.gyp so that the main addon and its prebuilt binaries never link
  # MPI. Built from source against the MPI of the machine (`npm run
  # build:mpi`, or the install script when mpicc is on the PATH) into
  # native/mpi/build/Release/deltaprop_mpi.node; never prebuilt, since Open
  # MPI and MPICH differ in ABI. The flags come from the C wrapper compiler
  # (mpicxx would add the deprecated C++ bindings): `--showme:*` is Open
  # MPI's spelling, `-compile_info`/`-link_info` MPICH's, whose output starts
  # with the compiler's name.
  "targets": [
    {
      "target_name": "deltaprop_mpi",
      "sources": [
        "addon.cc",
        "communicator.cc",
        "failure.cc",
        "js_collective.cc",
        "peers.cc",
        "progress.cc",
        "reducer.cc",
        "reducer_check.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        # <mpi.h> compiled as C++ would pull in the C++ bindings otherwise.
        "OMPI_SKIP_MPICXX=1",
        "MPICH_SKIP_MPICXX=1"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": [
        "-std=c++17", "-O2", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra",
        "<!@(sh -c 'mpicc --showme:compile 2>/dev/null || mpicc -compile_info | cut -d\" \" -f2-')"
      ],
      "libraries": [
        "<!@(sh -c 'mpicc --showme:link 2>/dev/null || mpicc -link_info | cut -d\" \" -f2-')",
        "-ldl", "-pthread"
      ]
    }
  ]
}
