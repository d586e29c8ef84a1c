#include "app/version_info.hpp"

#include "app/version.hpp"
#include "capture/pcap_handle.hpp"
#include "ebpf/kernel_source.hpp"
#include "enrich/reverse_resolver.hpp"
#include "sandbox/sandbox.hpp"
#include "store/sqlite_db.hpp"

namespace sockeye::app {

std::string build_target() {
#if defined(__x86_64__)
    std::string arch = "x86_64";
#elif defined(__aarch64__)
    std::string arch = "aarch64";
#else
    std::string arch = "unknown";
#endif
    // musl deliberately defines no identifying macro; glibc does.
#if defined(__GLIBC__)
    return arch + "-linux-gnu";
#else
    return arch + "-linux-musl";
#endif
}

std::string attribution_line(bool ebpf) {
    // A real load and attach (then detach): what a run would get here and now.
    return "attribution: " + (ebpf ? ebpf::probe_status_line() : std::string("userspace (--no-ebpf)"));
}

std::string version_text(bool ebpf) {
#if defined(__clang__)
    // Numbers only: __clang_version__ carries the toolchain's source URL.
    const std::string compiler = "clang " + std::to_string(__clang_major__) + "." +
                                 std::to_string(__clang_minor__) + "." +
                                 std::to_string(__clang_patchlevel__);
#else
    const std::string compiler = "g++ " __VERSION__;
#endif
#if defined(SOCKEYE_STATIC_BUILD)
    const std::string linkage = "static";
#else
    const std::string linkage = "dynamic";
#endif
    return std::string("sockeye ") + kVersion + "\n" + capture::libpcap_version() + "\n" +
           enrich::resolver_library_version() + "\n" + "SQLite " + std::string(store::sqlite_version()) +
           " (history store)\n" +
           "target " + build_target() + " (" + linkage + ", " + compiler + ")\n" +
           sandbox::describe_support() + "\n" + attribution_line(ebpf) + "\n";
}

}  // namespace sockeye::app
