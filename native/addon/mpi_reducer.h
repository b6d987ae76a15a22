// The GradientReducer of a data-parallel epoch, over the optional MPI addon:
// that addon hands its reducer over as a type-tagged napi External holding a
// DeltapropReducer (native/mpi/reducer_api.h, a plain C table), so this
// addon calls into MPI without linking it.
#pragma once

#include <napi.h>

#include <memory>

#include "../kernels/gradient_reducer.h"

namespace deltaprop::addon {

// The reducer `value` carries; throws a JS TypeError when it is not one the
// MPI addon made (of the version this addon knows).
std::unique_ptr<GradientReducer> read_mpi_reducer(Napi::Env env, const Napi::Value& value);

}  // namespace deltaprop::addon
