#include "napi_arguments.h"

namespace deltaprop::addon {
namespace {

// One napi_get_typedarray_info for the type, length and data: node-addon-api's
// accessors make one query each, and a small network's forward pass (a
// server's predict) spent a fifth of its time in them.
std::optional<RawArray> raw_array(const Napi::Value& v) {
  if (!v.IsTypedArray()) return std::nullopt;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(v.Env(), v, &type, &length, &data, nullptr, nullptr) != napi_ok) return RawArray{};
  switch (type) {
    case napi_float64_array: return RawArray{ElementType::Float64, data, static_cast<index_t>(length)};
    case napi_int32_array: return RawArray{ElementType::Int32, data, static_cast<index_t>(length)};
    case napi_uint32_array: return RawArray{ElementType::Uint32, data, static_cast<index_t>(length)};
    default: return RawArray{};
  }
}

}  // namespace

NapiArguments::NapiArguments(const Napi::CallbackInfo& info) : env_(info.Env()) {
  for (size_t i = 0; i < info.Length(); ++i) values_.push_back(info[i]);
}

NapiArguments::NapiArguments(const Napi::Array& list) : env_(list.Env()) {
  for (uint32_t i = 0; i < list.Length(); ++i) values_.push_back(list.Get(i));
}

bool NapiArguments::is_absent(size_t i) const { return value(i).IsNull() || value(i).IsUndefined(); }

std::optional<bool> NapiArguments::boolean(size_t i) const {
  if (!value(i).IsBoolean()) return std::nullopt;
  return value(i).As<Napi::Boolean>().Value();
}

std::optional<double> NapiArguments::number(size_t i) const {
  if (!value(i).IsNumber()) return std::nullopt;
  return value(i).As<Napi::Number>().DoubleValue();
}

std::optional<RawArray> NapiArguments::typed_array(size_t i) const { return raw_array(value(i)); }

std::optional<size_t> NapiArguments::list_length(size_t i) const {
  if (!value(i).IsArray()) return std::nullopt;
  return value(i).As<Napi::Array>().Length();
}

std::vector<RawArray> NapiArguments::typed_array_list(size_t i) const {
  if (!value(i).IsArray()) return {};
  const auto list = value(i).As<Napi::Array>();
  std::vector<Napi::Value> elements;
  for (uint32_t j = 0; j < list.Length(); ++j) elements.push_back(list.Get(j));
  std::vector<RawArray> arrays;
  for (const Napi::Value& element : elements) arrays.push_back(raw_array(element).value_or(RawArray{}));
  return arrays;
}

}  // namespace deltaprop::addon
