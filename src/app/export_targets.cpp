#include "app/export_targets.hpp"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <vector>

#include "export/pcap_writer.hpp"

namespace sockeye::app {
namespace {

// What a path (or an open descriptor) refers to. Two names are the same
// file when both exist with one device and inode, or when neither exists
// yet and they resolve to one path.
struct FileIdentity {
    bool exists = false;
    bool harmless_to_share = false;  // a character device such as /dev/null
    dev_t device = 0;
    ino_t inode = 0;
    std::string resolved;  // for a file that does not exist yet
};

FileIdentity from_stat(const struct stat& st) {
    FileIdentity id;
    id.exists = true;
    id.harmless_to_share = S_ISCHR(st.st_mode);
    id.device = st.st_dev;
    id.inode = st.st_ino;
    return id;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A path that does not exist: its directory resolved, then its name. A
// dangling symbolic link is followed to where it would create the file.
std::string resolve_missing(std::string path) {
    for (int hops = 0; hops < 40; ++hops) {
        char target[PATH_MAX];
        const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
        if (n <= 0) break;
        const std::string link(target, static_cast<std::size_t>(n));
        path = link.front() == '/' ? link : directory_of(path) + "/" + link;
    }
    char dir[PATH_MAX];
    if (::realpath(directory_of(path).c_str(), dir) == nullptr) return path;
    return std::string(dir) + "/" + base_name(path);
}

FileIdentity identify_path(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return from_stat(st);
    FileIdentity id;
    id.resolved = resolve_missing(path);
    return id;
}

std::optional<FileIdentity> identify_descriptor(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return from_stat(st);
}

bool same_file(const FileIdentity& a, const FileIdentity& b) {
    if (a.exists != b.exists) return false;
    if (a.exists) return a.device == b.device && a.inode == b.inode && !a.harmless_to_share;
    return a.resolved == b.resolved;
}

struct Target {
    std::string what;  // "--pcap-export FILE", for the message
    FileIdentity id;
};

}  // namespace

core::Result<void> check_export_targets(const Options& options) {
    const auto clash = [](std::string what) { return core::Error{core::ErrorCode::usage, std::move(what)}; };
    std::vector<Target> targets;
    auto add = [&targets](const std::string& option, const std::string& path) {
        if (path.empty() || path == "-") return;  // stdout: parse_args allows one
        targets.push_back({option + " " + path, identify_path(path)});
    };
    add("--pcapng-export", options.pcapng_export);
    add("--pcap-export", options.pcap_export);
    if (!options.pcap_export.empty() && exports::writes_connections_sidecar(options.pcap_export)) {
        add("the connections file of --pcap-export",
            exports::connections_sidecar_path(options.pcap_export));
    }
    add("--json-log", options.json_log);
    // The history store: a clash is caught before SQLite would take the
    // other file for a database (and refuse it, or worse, write into it).
    add("--record", options.record);

    for (std::size_t i = 0; i < targets.size(); ++i) {
        for (std::size_t j = i + 1; j < targets.size(); ++j) {
            if (same_file(targets[i].id, targets[j].id))
                return clash(targets[i].what + " and " + targets[j].what + " are the same file");
        }
    }

    // The input: the -r file, or whatever stdin is when reading "-".
    std::optional<FileIdentity> input;
    const bool stdin_input = options.read_file == "-" || options.read_file == "/dev/stdin";
    if (stdin_input) {
        input = identify_descriptor(STDIN_FILENO);
    } else if (!options.read_file.empty()) {
        input = identify_path(options.read_file);
    }
    if (input) {
        for (const auto& t : targets) {
            if (same_file(t.id, *input))
                return clash(t.what + " would overwrite the capture being read (" +
                             (stdin_input ? std::string("standard input") : options.read_file) + ")");
        }
    }
    // Stdout redirected to a file that an export writes too.
    if (const auto out = identify_descriptor(STDOUT_FILENO)) {
        for (const auto& t : targets) {
            if (same_file(t.id, *out))
                return clash(t.what + " is the file standard output goes to; use - for stdout");
        }
    }
    return {};
}

}  // namespace sockeye::app
