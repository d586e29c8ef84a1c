// Fuzz target for the kubelet's directory and link names
// (host/container_names): NAMESPACE_POD_UID and POD_NAMESPACE_CONTAINER-ID.log.
// A name that parses gives non-empty, printable parts that were in it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/printable_text.hpp"
#include "host/container_names.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

void check_part(const std::string& part, std::size_t input_size) {
    check(!part.empty());
    check(sockeye::core::printable_text(part) == part);
    check(part.size() <= 3 * input_size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view name(reinterpret_cast<const char*>(data), size);
    if (const auto pod = sockeye::host::parse_pod_log_dir(name)) {
        check_part(pod->pod_namespace, size);
        check_part(pod->pod, size);
        check_part(pod->uid, size);
        check(name.substr(name.size() - pod->uid.size()) == pod->uid);
    }
    if (const auto link = sockeye::host::parse_container_log_name(name)) {
        check_part(link->pod, size);
        check_part(link->pod_namespace, size);
        check_part(link->container, size);
        check(link->id.size() >= 12);
        check(name.find(link->id) != std::string_view::npos);
    }
    return 0;
}
