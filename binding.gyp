{
  "targets": [
    {
      "target_name": "deltaprop",
      "sources": [
        "native/addon/addon.cc",
        "native/addon/args.cc",
        "native/addon/network_args.cc",
        "native/addon/kernel_bindings.cc",
        "native/addon/network_bindings.cc",
        "native/addon/training_bindings.cc",
        "native/kernels/activation.cc",
        "native/kernels/gemm.cc",
        "native/kernels/layer.cc",
        "native/kernels/loss.cc",
        "native/kernels/network.cc",
        "native/kernels/sgd.cc",
        "native/kernels/train.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": ["-std=c++17", "-O3", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3"]
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] }
      }
    }
  ]
}
