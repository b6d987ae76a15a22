{
  # Every ISA's kernels are compiled into the one binary, each translation
  # unit with its own -m flags; the addon picks one at load time from what the
  # CPU reports (native/kernels/isa.cc). Nothing is built for the build
  # machine's CPU (no native-arch flag), so the binary runs on any x86-64.
  # -ffp-contract=off: a multiply then an add stay two roundings even where FMA
  # exists (GCC would fuse them), so fused and unfused paths agree to the bit;
  # the kernels use FMA where they mean to, explicitly.
  "target_defaults": {
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": [
      "NAPI_VERSION=8",
      "NODE_ADDON_API_CPP_EXCEPTIONS",
      "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
      "NODE_ADDON_API_DISABLE_DEPRECATED",
      # When a worker_thread is terminated mid-epoch, resolving the epoch's
      # promise fails; without this the second throw would abort the process.
      "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
    ],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
    "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra"],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "OTHER_CPLUSPLUSFLAGS": ["-O3"]
    },
    "msvs_settings": {
      "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] }
    }
  },
  "targets": [
    {
      "target_name": "deltaprop",
      "sources": [
        "native/addon/abort_flag.cc",
        "native/addon/addon.cc",
        "native/addon/args.cc",
        "native/addon/dataset.cc",
        "native/addon/engine_bindings.cc",
        "native/addon/epoch_args.cc",
        "native/addon/kernel_bindings.cc",
        "native/addon/kernel_calls.cc",
        "native/addon/mpi_reducer.cc",
        "native/addon/napi_arguments.cc",
        "native/addon/network_args.cc",
        "native/addon/network_bindings.cc",
        "native/addon/network_calls.cc",
        "native/addon/optimizer_args.cc",
        "native/addon/training_bindings.cc",
        "native/addon/training_data.cc",
        "native/kernels/cpu_features.cc",
        "native/kernels/dropout.cc",
        "native/kernels/gemm.cc",
        "native/kernels/isa.cc",
        "native/kernels/isa/generic.cc",
        "native/kernels/layer.cc",
        "native/kernels/layout.cc",
        "native/kernels/loss.cc",
        "native/kernels/metrics.cc",
        "native/kernels/network.cc",
        "native/kernels/optimizer.cc",
        "native/kernels/thread_pool.cc",
        "native/kernels/train.cc"
      ],
      "conditions": [
        ["target_arch=='x64'", {
          "defines": ["DELTAPROP_HAVE_X86_KERNELS"],
          "dependencies": ["deltaprop_sse2", "deltaprop_avx2", "deltaprop_avx512"]
        }],
        ["target_arch=='arm64'", {
          "defines": ["DELTAPROP_HAVE_NEON_KERNELS"],
          "sources": ["native/kernels/isa/neon.cc"]
        }],
        ["OS=='linux'", { "libraries": ["-pthread"] }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "deltaprop_sse2",
          "type": "static_library",
          "sources": ["native/kernels/isa/sse2.cc"]
        },
        {
          "target_name": "deltaprop_avx2",
          "type": "static_library",
          "sources": ["native/kernels/isa/avx2.cc"],
          "cflags_cc": ["-mavx2", "-mfma"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-mavx2", "-mfma"] },
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/arch:AVX2"] } }
        },
        {
          "target_name": "deltaprop_avx512",
          "type": "static_library",
          "sources": ["native/kernels/isa/avx512.cc"],
          "cflags_cc": ["-mavx512f", "-mavx2", "-mfma"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-mavx512f", "-mavx2", "-mfma"] },
          "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/arch:AVX512"] } }
        }
      ]
    }]
  ]
}
