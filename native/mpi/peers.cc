#include "peers.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace deltaprop::mpi {
namespace {

std::string read_text(const char* path) {
  char buffer[512] = {0};
  FILE* file = std::fopen(path, "r");
  if (file == nullptr) return "";
  const size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
  std::fclose(file);
  return std::string(buffer, n);
}

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

// Gone, or a zombie that its parent (orted) has not reaped yet.
bool exited(int pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", pid);
  const std::string stat = read_text(path);
  if (stat.empty()) return true;
  // "pid (command) S ...": the command may hold spaces and parentheses, so
  // the state is found after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return false;
  const char state = stat[close + 2];
  return state == 'Z' || state == 'X';
}

}  // namespace

uint64_t pid_space_identity() {
  const std::string boot = read_text("/proc/sys/kernel/random/boot_id");  // random per boot
  char pid_namespace[128] = {0};
  const ssize_t n = readlink("/proc/self/ns/pid", pid_namespace, sizeof pid_namespace - 1);
  // Without /proc (not Linux), no peer may count as local, since exited()
  // could not tell: an identity of this process alone leaves the watch empty,
  // and the deadline covers the peers.
  if (boot.empty() || n <= 0) return fnv1a("pid " + std::to_string(getpid()) + " alone");
  return fnv1a(boot + '/' + std::string(pid_namespace, n));
}

int PeerWatch::dead_rank() const {
  for (size_t rank = 0; rank < pids_.size(); ++rank) {
    if (pids_[rank] > 0 && exited(pids_[rank])) return static_cast<int>(rank);
  }
  return -1;
}

}  // namespace deltaprop::mpi
