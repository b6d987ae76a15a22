#include "communicator.h"

#include <dlfcn.h>
#include <mpi.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "peers.h"
#include "progress.h"

namespace deltaprop::mpi {
namespace {

[[noreturn]] void throw_mpi(const char* call, int rc) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(rc, text, &length);
  throw std::runtime_error(std::string(call) + " failed: " + std::string(text, length));
}

// Node loads an addon RTLD_LOCAL, and libmpi with it. Some Open MPI plugins
// (mca_pml_ob1.so, ...) use libmpi's symbols without naming it as a
// dependency, so they resolve only once libmpi is global; today another
// plugin happens to make it so first (FINDINGS §1). Re-opening the library
// already loaded (RTLD_NOLOAD: no second copy) as RTLD_GLOBAL does not
// depend on that order. Best effort: without it, things work as they do.
void make_libmpi_global() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&MPI_Init_thread), &info) != 0 && info.dli_fname != nullptr) {
    dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
  }
}

// libnbc's default MPI_Iallreduce is 8x slower than its Rabenseifner
// algorithm at 2 MiB on 2 processes (FINDINGS §3); the user's own choice wins.
void tune_open_mpi() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size != nullptr && std::strcmp(size, "2") == 0) setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "3", 0);
}

const char* thread_level_name(int level) {
  switch (level) {
    case MPI_THREAD_SINGLE: return "MPI_THREAD_SINGLE";
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
  }
  return "unknown";
}

std::string library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, length);
  return version.substr(0, version.find_first_of("\n,"));
}

// Which ranks share this process's pid space, by pid (one allgather).
PeerWatch gather_local_peers(int rank, int size) {
  const int64_t mine[2] = {static_cast<int64_t>(pid_space_identity()), static_cast<int64_t>(getpid())};
  std::vector<int64_t> all(2 * static_cast<size_t>(size));
  const int rc = MPI_Allgather(mine, 2, MPI_INT64_T, all.data(), 2, MPI_INT64_T, MPI_COMM_WORLD);
  if (rc != MPI_SUCCESS) throw_mpi("MPI_Allgather", rc);
  std::vector<int> pids(size, 0);
  for (int r = 0; r < size; ++r) {
    if (r != rank && all[2 * r] == mine[0]) pids[r] = static_cast<int>(all[2 * r + 1]);
  }
  return PeerWatch(std::move(pids));
}

// Registered by init_world: a script that returns or calls process.exit()
// without finalize would otherwise make mpirun abort the whole job (a rank
// that exits without MPI_Finalize counts as failed). Node's env cleanup
// hooks do not run on process.exit(); atexit handlers do.
void finalize_at_exit() {
  try {
    finalize_world();
  } catch (const std::exception&) {
    // Exiting anyway; mpirun reports the rank as failed.
  }
}

}  // namespace

WorldInfo init_world(double timeout_seconds) {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized || finalized) {
    throw std::runtime_error(
        "MPI is already initialized in this process (deltaprop/distributed initializes it once per "
        "process, from one thread)");
  }
  tune_open_mpi();
  make_libmpi_global();
  // After init only the progress thread calls MPI, and finalize runs once it
  // has stopped: never two threads at once, which is SERIALIZED.
  int provided = MPI_THREAD_SINGLE;
  int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  if (rc != MPI_SUCCESS) throw_mpi("MPI_Init_thread", rc);
  if (provided < MPI_THREAD_SERIALIZED) {
    MPI_Finalize();
    throw std::runtime_error(std::string("this MPI provides only ") + thread_level_name(provided) +
                             "; deltaprop needs MPI_THREAD_SERIALIZED (its progress thread makes the MPI calls)");
  }
  // Error codes instead of aborting the job, so that a failure reaches
  // JavaScript as an error (a dead peer still gives none: see peers.h).
  rc = MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  if (rc != MPI_SUCCESS) throw_mpi("MPI_Comm_set_errhandler", rc);
  WorldInfo info{0, 1, thread_level_name(provided), library_version()};
  MPI_Comm_rank(MPI_COMM_WORLD, &info.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &info.size);
  PeerWatch peers = gather_local_peers(info.rank, info.size);
  Progress::instance().start(std::move(peers), timeout_seconds);
  std::atexit(finalize_at_exit);
  return info;
}

Finalize finalize_world() {
  int initialized = 0;
  int finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (!initialized || finalized) return Finalize::done;
  Progress& progress = Progress::instance();
  if (progress.broken()) return Finalize::broken;
  if (!progress.stop()) return Finalize::busy;
  if (progress.broken()) return Finalize::broken;  // SIGTERM while it stopped
  const int rc = MPI_Finalize();
  if (rc != MPI_SUCCESS) throw_mpi("MPI_Finalize", rc);
  return Finalize::done;
}

}  // namespace deltaprop::mpi
