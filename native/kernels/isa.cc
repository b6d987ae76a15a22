#include "isa.h"

#include "cpu_features.h"

namespace deltaprop {

// Defined in isa/<name>.cc, each compiled with its own flags.
extern const KernelSet kGenericKernels;
#if defined(DELTAPROP_HAVE_X86_KERNELS)
extern const KernelSet kSse2Kernels;
extern const KernelSet kAvx2Kernels;
extern const KernelSet kAvx512Kernels;
#endif
#if defined(DELTAPROP_HAVE_NEON_KERNELS)
extern const KernelSet kNeonKernels;
#endif

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Generic: return "generic";
    case Isa::Sse2: return "sse2";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
    case Isa::Neon: return "neon";
  }
  return "unknown";
}

bool parse_isa(const std::string& name, Isa* out) {
  for (Isa isa : {Isa::Generic, Isa::Sse2, Isa::Avx2, Isa::Avx512, Isa::Neon}) {
    if (name == isa_name(isa)) {
      *out = isa;
      return true;
    }
  }
  return false;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> isas{Isa::Generic};
  const CpuFeatures cpu = detect_cpu_features();
#if defined(DELTAPROP_HAVE_X86_KERNELS)
  if (cpu.sse2) isas.push_back(Isa::Sse2);
  if (cpu.avx2_fma) isas.push_back(Isa::Avx2);
  if (cpu.avx512f) isas.push_back(Isa::Avx512);
#endif
#if defined(DELTAPROP_HAVE_NEON_KERNELS)
  if (cpu.neon) isas.push_back(Isa::Neon);
#endif
  (void)cpu;
  return isas;
}

Isa best_isa() { return supported_isas().back(); }

const KernelSet& kernels_for(Isa isa) {
  switch (isa) {
#if defined(DELTAPROP_HAVE_X86_KERNELS)
    case Isa::Sse2: return kSse2Kernels;
    case Isa::Avx2: return kAvx2Kernels;
    case Isa::Avx512: return kAvx512Kernels;
#endif
#if defined(DELTAPROP_HAVE_NEON_KERNELS)
    case Isa::Neon: return kNeonKernels;
#endif
    default: return kGenericKernels;
  }
}

}  // namespace deltaprop
