#include "mpi_reducer.h"

#include <stdexcept>
#include <string>

#include "../mpi/reducer_api.h"

namespace deltaprop::addon {
namespace {

class MpiReducer final : public GradientReducer {
 public:
  explicit MpiReducer(const DeltapropReducer& table) : table_(table) {}

  // A refusal (the link is already broken) is recorded by the MPI addon and reported by wait_all, which every step reaches.
  void start(double* data, index_t count) override { table_.start(table_.context, data, static_cast<size_t>(count)); }

  void wait_all() override {
    char message[512] = "";
    const int status = table_.wait_all(table_.context, message, sizeof message);
    if (status == 0) return;
    message[sizeof message - 1] = '\0';
    throw std::runtime_error(std::string("deltaprop distributed: ") +
                             (message[0] != '\0' ? message : "the sum of a gradient over the processes failed"));
  }

 private:
  const DeltapropReducer& table_;
};

}  // namespace

std::unique_ptr<GradientReducer> read_mpi_reducer(Napi::Env env, const Napi::Value& value) {
  bool tagged = false;
  if (value.IsExternal()) napi_check_object_type_tag(env, value, &kDeltapropReducerTag, &tagged);
  if (!tagged)
    throw Napi::TypeError::New(env,
                               "deltaprop native trainEpochDataParallel: reducer: expected the MPI addon's reducer");
  const auto* table = value.As<Napi::External<DeltapropReducer>>().Data();
  if (table == nullptr || table->version != kDeltapropReducerVersion) {
    throw Napi::TypeError::New(
        env,
        "deltaprop native trainEpochDataParallel: reducer: a version this addon does not know; rebuild both addons");
  }
  return std::make_unique<MpiReducer>(*table);
}

}  // namespace deltaprop::addon
