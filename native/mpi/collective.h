// One collective operation over a caller's buffer of doubles, as the progress
// thread runs it. Who asked for it (JavaScript, or the main addon's training
// loop through the reducer table) decides what settling it means.
#pragma once

#include <cstddef>
#include <string>

#include "failure.h"

namespace deltaprop::mpi {

struct Collective {
  enum class Op { sum, min, broadcast };

  Collective(Op op, double* data, size_t count, int root) : op(op), data(data), count(count), root(root) {}
  virtual ~Collective() = default;

  // Called once, on the progress thread, when the collective is done
  // (failure == none) or has failed (failure and message say how). It owns
  // the object from then on.
  virtual void settle() = 0;

  const Op op;
  double* const data;  // in place: the result replaces the input
  const size_t count;
  const int root;      // broadcast only

  double deadline = 0;  // on the steady clock, in seconds; set when submitted

  // Whether MPI was handed the buffer. A started collective that failed may
  // still be read or written by MPI, so its buffer must outlive the process.
  bool started = false;
  Failure failure = Failure::none;
  std::string message;
};

// For messages: "a sum allreduce", "a min allreduce", "a broadcast".
inline const char* op_name(Collective::Op op) {
  switch (op) {
    case Collective::Op::sum: return "a sum allreduce";
    case Collective::Op::min: return "a min allreduce";
    case Collective::Op::broadcast: return "a broadcast";
  }
  return "a collective";
}

}  // namespace deltaprop::mpi
