#pragma once

#include <napi.h>

namespace deltaprop::addon {

// Each adds its functions to the addon's exports.
void register_engine(Napi::Env env, Napi::Object exports);
void register_kernels(Napi::Env env, Napi::Object exports);
void register_network(Napi::Env env, Napi::Object exports);
void register_training_data(Napi::Env env, Napi::Object exports);
void register_abort_flag(Napi::Env env, Napi::Object exports);
void register_training(Napi::Env env, Napi::Object exports);

}  // namespace deltaprop::addon
