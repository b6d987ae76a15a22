// libFuzzer target over the addon's argument decoding and the kernels it
// reaches: every input is one call (gemm, forward, trainEpoch, …) whose
// arguments are decoded from the bytes into the values JavaScript could pass
// (numbers, booleans, null, typed arrays of any type, views sharing one
// buffer, lists), then run through the very checks and kernels the addon
// runs (kernel_calls, network_calls, epoch_args, dataset). Per-row weights
// are arguments like any other: null or arrays for outputDelta, gradients
// and a borrowed epoch, a weighted dataset's setRows. A check that lets a
// bad argument through shows up as an ASan/UBSan report or a crash.
//
// Built by fuzz/CMakeLists.txt (npm run build:fuzz); run by npm run fuzz.
//
// The byte format (fuzz/make-seeds.js writes seeds in it):
//   byte 0   the call, modulo the number of calls (Call below)
//   byte 1   the engine: bits 0–3 pick a supported ISA (modulo their count),
//            bit 4 two threads instead of one, bit 5 one argument too few,
//            bit 6 the epoch may borrow rows (trainEpoch on a dataset),
//            bit 7 the epoch also passes the data-parallel refusals first
//   then one value per argument, each a tag byte (Tag below) and its payload;
//   a value the bytes run out before is undefined.
// Array lengths are at most kMaxElements, so that one input cannot ask for
// more work or memory than a fuzzer run can afford; the sizes beyond that
// are the allocation tests' (test/hostile-inputs.test.ts).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <vector>

#include "../native/addon/dataset.h"
#include "../native/addon/epoch_args.h"
#include "../native/addon/kernel_calls.h"
#include "../native/addon/network_calls.h"
#include "../native/kernels/isa.h"

namespace deltaprop::addon {
namespace {

constexpr size_t kMaxElements = 1024;
constexpr index_t kMaxDatasetFuzzValues = 1 << 16;

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  uint8_t byte() { return empty() ? 0 : data_[at_++]; }
  template <typename T>
  T raw() {
    uint8_t bytes[sizeof(T)] = {};
    for (auto& b : bytes) b = byte();
    T value;
    std::memcpy(&value, bytes, sizeof value);
    return value;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

enum class Tag : uint8_t {
  Undefined,
  Null,
  Boolean,      // payload: one byte, bit 0
  SmallNumber,  // payload: one byte, as int8
  Number,       // payload: 8 bytes, a double
  SpecialNumber,// payload: one byte indexing kSpecialNumbers
  NewArray,     // payload: element type, fill, length (1 byte, or 0xff then 2 bytes), the elements
  View,  // payload: buffer index, element type, byte offset (in elements), length: a view onto an earlier buffer
  List,  // payload: count (modulo 8), then that many values
  Object,  // another object (a plain object, or a typed array of another element type)
  Count
};

constexpr double kSpecialNumbers[] = {0.0,
                                      -0.0,
                                      1.0,
                                      0.5,
                                      -1.0,
                                      2147483647.0,
                                      2147483648.0,
                                      4294967296.0,
                                      9007199254740992.0,
                                      9007199254740993.0,
                                      1e300,
                                      -1e300,
                                      5e-324,
                                      __builtin_inf(),
                                      -__builtin_inf(),
                                      __builtin_nan("")};

struct Value {
  Tag tag = Tag::Undefined;
  bool boolean = false;
  double number = 0.0;
  RawArray array;
  std::vector<RawArray> list;
};

// Typed arrays as JavaScript has them: buffers of their own, each allocated at
// its exact size (so ASan sees any read past its end), and views that share one.
class FuzzedArguments : public ArgumentList {
 public:
  FuzzedArguments(Bytes& bytes, size_t count) {
    for (size_t i = 0; i < count; ++i) values_.push_back(read_value(bytes, true));
  }

  size_t length() const override { return values_.size(); }
  bool is_absent(size_t i) const override { return tag(i) == Tag::Undefined || tag(i) == Tag::Null; }
  std::optional<bool> boolean(size_t i) const override {
    if (tag(i) != Tag::Boolean) return std::nullopt;
    return values_[i].boolean;
  }
  std::optional<double> number(size_t i) const override {
    if (tag(i) != Tag::SmallNumber && tag(i) != Tag::Number && tag(i) != Tag::SpecialNumber) return std::nullopt;
    return values_[i].number;
  }
  std::optional<RawArray> typed_array(size_t i) const override {
    if (tag(i) == Tag::Object) return RawArray{};
    if (tag(i) != Tag::NewArray && tag(i) != Tag::View) return std::nullopt;
    return values_[i].array;
  }
  std::optional<size_t> list_length(size_t i) const override {
    if (tag(i) != Tag::List) return std::nullopt;
    return values_[i].list.size();
  }
  std::vector<RawArray> typed_array_list(size_t i) const override {
    return tag(i) == Tag::List ? values_[i].list : std::vector<RawArray>{};
  }

 private:
  Tag tag(size_t i) const { return i < values_.size() ? values_[i].tag : Tag::Undefined; }

  static size_t element_size(ElementType type) { return type == ElementType::Float64 ? 8 : 4; }
  static ElementType element_type(uint8_t b) {
    constexpr ElementType types[] = {ElementType::Float64, ElementType::Int32, ElementType::Uint32};
    return types[b % 3];
  }

  Value read_value(Bytes& bytes, bool may_list) {
    Value v;
    v.tag = static_cast<Tag>(bytes.byte() % static_cast<uint8_t>(Tag::Count));
    switch (v.tag) {
      case Tag::Boolean: v.boolean = (bytes.byte() & 1) != 0; break;
      case Tag::SmallNumber: v.number = static_cast<int8_t>(bytes.byte()); break;
      case Tag::Number: v.number = bytes.raw<double>(); break;
      case Tag::SpecialNumber:
        v.number = kSpecialNumbers[bytes.byte() % (sizeof kSpecialNumbers / sizeof kSpecialNumbers[0])];
        break;
      case Tag::NewArray: v.array = new_array(bytes); break;
      case Tag::View: v.array = view(bytes); break;
      case Tag::List:
        if (!may_list) {
          v.tag = Tag::Object;
          break;
        }
        for (uint8_t n = bytes.byte() % 8; n > 0; --n) {
          const Value element = read_value(bytes, false);
          v.list.push_back(element.tag == Tag::NewArray || element.tag == Tag::View ? element.array : RawArray{});
        }
        break;
      default: break;
    }
    return v;
  }

  static size_t read_length(Bytes& bytes) {
    const size_t first = bytes.byte();
    if (first != 0xff) return first;
    const size_t wide = bytes.raw<uint16_t>();
    return wide > kMaxElements ? kMaxElements : wide;
  }

  RawArray new_array(Bytes& bytes) {
    const ElementType type = element_type(bytes.byte());
    const uint8_t fill = bytes.byte() % 4;
    const size_t length = read_length(bytes);
    const size_t size = element_size(type);
    buffers_.push_back({std::unique_ptr<uint8_t[]>(new uint8_t[length * size]), length * size});
    uint8_t* data = buffers_.back().data.get();
    const double constant = static_cast<int8_t>(bytes.byte()) / 4.0;
    for (size_t j = 0; j < length; ++j) {
      // fill 0: small values from one byte each; 1: raw bytes; 2: zeros; 3: one constant.
      double x = fill == 0 ? static_cast<int8_t>(bytes.byte()) / 4.0 : fill == 2 ? 0.0 : constant;
      if (type == ElementType::Float64) {
        if (fill == 1) x = bytes.raw<double>();
        std::memcpy(data + j * size, &x, size);
      } else {
        // Integers: small ones (row indices, sizes, codes) from one byte, or any 32 bits.
        const int32_t n = fill == 1 ? bytes.raw<int32_t>() : static_cast<int32_t>(fill == 0 ? x * 4.0 : x);
        std::memcpy(data + j * size, &n, size);
      }
    }
    return {type, data, static_cast<index_t>(length)};
  }

  RawArray view(Bytes& bytes) {
    if (buffers_.empty()) return {};
    const Buffer& buffer = buffers_[bytes.byte() % buffers_.size()];
    const ElementType type = element_type(bytes.byte());
    const size_t size = element_size(type);
    const size_t capacity = buffer.bytes / size;  // whole elements in the buffer
    const size_t offset = capacity == 0 ? 0 : bytes.byte() % (capacity + 1);
    const size_t room = capacity - offset;
    const size_t length = room == 0 ? 0 : bytes.byte() % (room + 1);
    return {type, buffer.data.get() + offset * size, static_cast<index_t>(length)};
  }

  struct Buffer {
    std::unique_ptr<uint8_t[]> data;
    size_t bytes;
  };
  std::vector<Buffer> buffers_;
  std::vector<Value> values_;
};

enum class Call : uint8_t {
  Gemm,
  Overlaps,
  ForwardLayer,
  BackpropDelta,
  OutputDelta,
  OptimizerStep,
  VectorExp,
  Forward,
  Gradients,
  TrainEpoch,
  TrainEpochOnDataset,
  DatasetRows,
  Count
};

const std::vector<Isa>& isas() {
  static const std::vector<Isa> supported = supported_isas();
  return supported;
}

ThreadPool& pool() {
  static ThreadPool threads(2);
  return threads;
}

// What the epoch of a call is checked for beyond read_epoch's own checks.
struct EpochChecks {
  bool may_borrow;
  bool data_parallel;  // check_data_parallel too (the fuzzer has no reducer: it then trains alone)
};

void run_epoch(const Args& args, std::shared_ptr<Dataset> data, EpochChecks checks, const Engine& engine) {
  CheckedEpoch e = read_epoch(args, std::move(data), checks.may_borrow);
  if (checks.data_parallel) check_data_parallel(args, e);
  bind(e);
  train_epoch(engine, e.job);
}

// Decodes the call's arguments (count of them, one fewer when asked) and runs
// it; the last `optional` of them may be left out, as Args allows.
template <typename Run>
void call(Bytes& bytes, const char* name, size_t count, bool one_short, Run run, size_t optional = 0) {
  const FuzzedArguments list(bytes, one_short && count > 0 ? count - 1 : count);
  run(Args(list, name, count, optional));
}

// A dataset made and filled as JavaScript does it (new TrainingData, setRows), or null.
std::shared_ptr<Dataset> fuzzed_dataset(Bytes& bytes, bool one_short) {
  std::shared_ptr<Dataset> data;
  call(bytes, "TrainingData", kDatasetArgs, one_short, [&](const Args& args) {
    const DatasetShape shape = read_dataset_shape(args);
    const index_t width = shape.input_width + shape.output_width + (shape.weighted ? 1 : 0);
    if (shape.rows * width <= kMaxDatasetFuzzValues) data = make_dataset(shape);
  });
  if (data) {
    call(
        bytes, "TrainingData.setRows", kSetRowsArgs, one_short, [&](const Args& args) { call_set_rows(args, *data); },
        kSetRowsOptionalArgs);
  }
  return data;
}

void run(Bytes& bytes) {
  const auto which = static_cast<Call>(bytes.byte() % static_cast<uint8_t>(Call::Count));
  const uint8_t config = bytes.byte();
  const Engine engine{&kernels_for(isas()[(config & 0x0f) % isas().size()]), &pool(), (config & 0x10) ? 2 : 1};
  const bool one_short = (config & 0x20) != 0;
  const EpochChecks checks{(config & 0x40) != 0, (config & 0x80) != 0};
  switch (which) {
    case Call::Gemm: return call(bytes, "gemm", kGemmArgs, one_short, [&](const Args& a) { call_gemm(a, engine); });
    case Call::Overlaps:
      return call(bytes, "overlaps", kOverlapsArgs, one_short, [&](const Args& a) { call_overlaps(a); });
    case Call::ForwardLayer:
      return call(bytes, "forwardLayer", kForwardLayerArgs, one_short,
                  [&](const Args& a) { call_forward_layer(a, engine); });
    case Call::BackpropDelta:
      return call(bytes, "backpropDelta", kBackpropDeltaArgs, one_short,
                  [&](const Args& a) { call_backprop_delta(a, engine); });
    case Call::OutputDelta:
      return call(bytes, "outputDelta", kOutputDeltaArgs, one_short,
                  [&](const Args& a) { call_output_delta(a, engine); });
    case Call::OptimizerStep:
      return call(bytes, "optimizerStep", kOptimizerStepArgs, one_short,
                  [&](const Args& a) { call_optimizer_step(a, engine); });
    case Call::VectorExp:
      return call(bytes, "vectorExp", kVectorExpArgs, one_short, [&](const Args& a) { call_vector_exp(a, engine); });
    case Call::Forward:
      return call(bytes, "forward", kForwardArgs, one_short, [&](const Args& a) { call_forward(a, engine); });
    case Call::Gradients:
      return call(bytes, "gradients", kGradientsArgs, one_short, [&](const Args& a) { call_gradients(a, engine); });
    case Call::TrainEpoch:
      return call(bytes, "trainEpoch", kEpochArgs, one_short,
                  [&](const Args& a) { run_epoch(a, nullptr, {true, checks.data_parallel}, engine); });
    case Call::TrainEpochOnDataset: {
      std::shared_ptr<Dataset> data = fuzzed_dataset(bytes, one_short);
      return call(bytes, "trainEpochAsync", kEpochArgs, one_short,
                  [&](const Args& a) { run_epoch(a, data, checks, engine); });
    }
    case Call::DatasetRows: {
      std::shared_ptr<Dataset> data = fuzzed_dataset(bytes, one_short);
      if (data)
        call(bytes, "TrainingData.copyRows", kCopyRowsArgs, one_short,
             [&](const Args& a) { call_copy_rows(a, *data); });
      return;
    }
    case Call::Count: return;
  }
}

}  // namespace
}  // namespace deltaprop::addon

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  deltaprop::addon::Bytes bytes(data, size);
  try {
    deltaprop::addon::run(bytes);
  } catch (const deltaprop::addon::ArgumentError& e) {
    // A refused argument: what the checks are for. Any other exception (or
    // none where memory was misused) reaches libFuzzer as a finding.
    // DELTAPROP_FUZZ_VERBOSE=1 prints why, to see which seeds reach the kernels.
    static const bool verbose = std::getenv("DELTAPROP_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "refused: %s\n", e.what());
  }
  return 0;
}
