#include "napi_arguments.h"

namespace deltaprop::addon {
namespace {

std::optional<RawArray> raw_array(const Napi::Value& v) {
  if (!v.IsTypedArray()) return std::nullopt;
  const auto array = v.As<Napi::TypedArray>();
  const auto length = static_cast<index_t>(array.ElementLength());
  switch (array.TypedArrayType()) {
    case napi_float64_array: return RawArray{ElementType::Float64, v.As<Napi::Float64Array>().Data(), length};
    case napi_int32_array: return RawArray{ElementType::Int32, v.As<Napi::Int32Array>().Data(), length};
    case napi_uint32_array: return RawArray{ElementType::Uint32, v.As<Napi::Uint32Array>().Data(), length};
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
