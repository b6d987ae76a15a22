#pragma once

#include <string>
#include <vector>

#include "kernel_set.h"

namespace deltaprop {

// The instruction sets deltaprop has kernels for, from the portable one up.
enum class Isa { Generic, Sse2, Avx2, Avx512, Neon };

const char* isa_name(Isa isa);

// False when `name` is not an ISA name.
bool parse_isa(const std::string& name, Isa* out);

// The ISAs compiled into this binary that this CPU and OS can run, best last.
std::vector<Isa> supported_isas();

// The widest supported ISA: what deltaprop uses unless told otherwise.
Isa best_isa();

const KernelSet& kernels_for(Isa isa);

}  // namespace deltaprop
