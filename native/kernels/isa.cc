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

namespace {

// One row per ISA deltaprop has kernels for, from the portable one up: its
// name, whether this CPU and OS can run it, and its kernels (null when this
// build has none for it, e.g. NEON on x86-64).
struct IsaEntry {
  Isa isa;
  const char* name;
  bool (*runs_on)(const CpuFeatures& cpu);
  const KernelSet* kernels;
};

#if defined(DELTAPROP_HAVE_X86_KERNELS)
constexpr const KernelSet* kSse2 = &kSse2Kernels;
constexpr const KernelSet* kAvx2 = &kAvx2Kernels;
constexpr const KernelSet* kAvx512 = &kAvx512Kernels;
#else
constexpr const KernelSet* kSse2 = nullptr;
constexpr const KernelSet* kAvx2 = nullptr;
constexpr const KernelSet* kAvx512 = nullptr;
#endif
#if defined(DELTAPROP_HAVE_NEON_KERNELS)
constexpr const KernelSet* kNeon = &kNeonKernels;
#else
constexpr const KernelSet* kNeon = nullptr;
#endif

const IsaEntry kRegistry[] = {
    {Isa::Generic, "generic", [](const CpuFeatures&) { return true; }, &kGenericKernels},
    {Isa::Sse2, "sse2", [](const CpuFeatures& cpu) { return cpu.sse2; }, kSse2},
    {Isa::Avx2, "avx2", [](const CpuFeatures& cpu) { return cpu.avx2_fma; }, kAvx2},
    {Isa::Avx512, "avx512", [](const CpuFeatures& cpu) { return cpu.avx512f; }, kAvx512},
    {Isa::Neon, "neon", [](const CpuFeatures& cpu) { return cpu.neon; }, kNeon},
};

const IsaEntry& entry(Isa isa) {
  for (const IsaEntry& e : kRegistry)
    if (e.isa == isa) return e;
  return kRegistry[0];
}

}  // namespace

const char* isa_name(Isa isa) { return entry(isa).name; }

bool parse_isa(const std::string& name, Isa* out) {
  for (const IsaEntry& e : kRegistry) {
    if (name == e.name) {
      *out = e.isa;
      return true;
    }
  }
  return false;
}

std::vector<Isa> supported_isas() {
  const CpuFeatures cpu = detect_cpu_features();
  std::vector<Isa> isas;
  for (const IsaEntry& e : kRegistry)
    if (e.kernels != nullptr && e.runs_on(cpu)) isas.push_back(e.isa);
  return isas;
}

Isa best_isa() { return supported_isas().back(); }

const KernelSet& kernels_for(Isa isa) {
  const KernelSet* kernels = entry(isa).kernels;
  return kernels != nullptr ? *kernels : kGenericKernels;
}

}  // namespace deltaprop
