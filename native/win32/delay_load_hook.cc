// Windows only (scripts/build-win32.js compiles it; node-gyp's MSVC build
// brings its own equivalent). The addon imports the Node-API from node.exe,
// delay-loaded: the first call asks this hook for the module. The functions
// are those of the process that loaded the addon, whatever its executable is
// called (a renamed node.exe, an embedding application), so the hook answers
// with the host's own module instead of letting Windows look for a file
// named node.exe, which may not exist or may be a different Node.
#include <windows.h>
// windows.h first: delayimp.h uses its types.
#include <delayimp.h>
#include <string.h>

namespace {

FARPROC WINAPI host_module(unsigned notification, PDelayLoadInfo info) {
  if (notification == dliNotePreLoadLibrary && _stricmp(info->szDll, "node.exe") == 0) {
    return reinterpret_cast<FARPROC>(GetModuleHandleW(nullptr));
  }
  return nullptr;
}

}  // namespace

// The delay-load helper reads this pointer (declared extern "C" by
// delayimp.h) before each step of loading a delay-loaded DLL.
PfnDliHook __pfnDliNotifyHook2 = host_module;
