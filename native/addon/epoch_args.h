// Reading a whole training epoch's arguments, with every rule the epoch
// relies on checked. Free of N-API, so the addon's bindings
// (training_bindings.cc) and the fuzzer run the same checks.
//
// trainEpoch(...the arguments named by kEpochArgNames, in its order)
//   → { lossSum, correct, floored, minibatches, rows, weightSum, steps }
// data is a TrainingData, or null with inputs, targets and weights; inputs,
// targets, weights, inputShift, inputSpread, dropout and abort may be null.
// A TrainingData brings its own weights (when made weighted); borrowed rows
// take theirs from `weights` (null: every row weighs 1).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "../kernels/train.h"
#include "dataset.h"
#include "network_args.h"

namespace deltaprop::addon {

// The epoch's arguments in order: the one place the order is written in C++.
// Every position is looked up here by name, and the addon exports the list
// (constants.epochArguments), which test/epoch-args.test.ts compares with
// src/backend/native.ts's EPOCH_ARGUMENTS (the test also checks that
// epochArgs there puts each value at its name's position).
constexpr const char* kEpochArgNames[] = {
    "sizes",     "activations",       "bias",           "loss",        "reduction", "l2",           "params",
    "optimizer", "optimizerSettings", "optimizerState", "stepsTaken",  "data",      "inputs",       "targets",
    "weights",   "inputShift",        "inputSpread",    "order",       "batchSize", "learningRate", "clipNorm",
    "dropout",   "randomState",       "abort",          "lossSumStart"};
constexpr size_t kEpochArgs = sizeof kEpochArgNames / sizeof kEpochArgNames[0];

// The position of `name`. A name the list lacks throws, which in a constant
// expression is a compile error rather than a wrong position.
constexpr size_t epoch_arg(std::string_view name) {
  for (size_t i = 0; i < kEpochArgs; ++i) {
    if (name == kEpochArgNames[i]) return i;
  }
  throw "not an epoch argument";
}

constexpr size_t kParamsArg = epoch_arg("params");
constexpr size_t kStateArg = epoch_arg("optimizerState");
constexpr size_t kDataArg = epoch_arg("data");
constexpr size_t kRandomArg = epoch_arg("randomState");
constexpr size_t kAbortArg = epoch_arg("abort");

// Where the rows come from: the addon's own dataset (kept alive by the
// epoch), or arrays borrowed for a synchronous call.
struct Rows {
  std::shared_ptr<Dataset> owned;
  const double* inputs = nullptr;
  const double* targets = nullptr;
  index_t count = 0;
  RowWeights borrowed_weights;  // borrowed rows' weights, copied (a dataset's are its own)

  // Each row's weight, or null: every row weighs 1.
  const double* weights() const { return owned != nullptr ? owned->row_weights() : borrowed_weights.data(); }
};

// Everything an epoch needs, checked. Holds what the job points into.
struct CheckedEpoch {
  Layout layout;
  Rows rows;
  EpochJob job;
  std::vector<double> dropout_rates;  // empty: no dropout
  InputScaling scaling;
  std::vector<std::int32_t> order;    // the epoch's own copy: JavaScript's may change (or alias params)
  Xoshiro128 random;                  // the job's generator; copied back to randomState after the epoch
  std::shared_ptr<std::atomic<int>> abort;  // set by the caller (it is a JS object), null for none
  // Data-parallel: this process's link to the others (null: it trains alone) and its place among them.
  std::unique_ptr<GradientReducer> reducer;
  DataParallel parallel{};
};

// `data` is the data argument's dataset, null when it is not one. With
// may_borrow, a null data argument means rows borrowed from inputs and
// targets (a synchronous call: JavaScript cannot run while it trains).
CheckedEpoch read_epoch(const Args& args, std::shared_ptr<Dataset> data, bool may_borrow);

// Points the job at what `e` itself holds (it may have moved since read_epoch).
void bind(CheckedEpoch& e);

// What a data-parallel epoch cannot take, refused: dropout (each process would
// draw masks for rows the others hold) and weights (each step would need the
// whole global minibatch's total weight).
void check_data_parallel(const Args& args, const CheckedEpoch& e);

}  // namespace deltaprop::addon
