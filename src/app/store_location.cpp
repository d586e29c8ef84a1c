#include "app/store_location.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "filter/filter.hpp"

namespace sockeye::app {
namespace {

bool usable(const char* v) { return v != nullptr && *v == '/'; }

}  // namespace

core::Result<std::string> store_path_from(const char* xdg_state_home, const char* home, bool root) {
    if (root) return std::string("/var/lib/sockeye/history.db");
    // The XDG spec ignores relative values.
    if (usable(xdg_state_home)) return std::string(xdg_state_home) + "/sockeye/history.db";
    if (usable(home)) return std::string(home) + "/.local/state/sockeye/history.db";
    return core::Error{core::ErrorCode::usage,
                       "no default history store: $XDG_STATE_HOME and $HOME are unset; name a file "
                       "(--record FILE, --store FILE)"};
}

core::Result<std::string> default_store_path() {
    return store_path_from(std::getenv("XDG_STATE_HOME"), std::getenv("HOME"), ::geteuid() == 0);
}

std::string store_directory(const std::string& store_path) {
    const auto slash = store_path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : store_path.substr(0, slash);
}

core::Result<void> make_store_directory(const std::string& store_path) {
    const std::string dir = store_directory(store_path);
    // Each missing component in turn, as mkdir -p.
    for (std::size_t at = 1; at <= dir.size(); ++at) {
        if (at != dir.size() && dir[at] != '/') continue;
        const std::string part = dir.substr(0, at);
        if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) {
            const int err = errno;
            return core::Error{core::error_code_for_errno(err),
                               "cannot create the history store directory " + part + ": " + std::strerror(err)};
        }
    }
    return {};
}

core::Result<store::Db> open_store_to_read(const std::string& requested) {
    std::string path = requested;
    if (path.empty()) {
        auto d = default_store_path();
        if (!d) return std::move(d).error();
        path = std::move(d).value();
    }
    return store::open_for_reading(path);
}

std::function<bool(const snapshot::FlowRecord&)> stored_flows_matching(const std::string& text) {
    if (text.empty()) return {};
    return [filter = filter::compile(text).value()](const snapshot::FlowRecord& f) {
        return filter.matches(f);
    };
}

}  // namespace sockeye::app
