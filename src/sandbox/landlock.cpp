#include "sandbox/landlock.hpp"
#include "core/unique_fd.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

// Debian's linux-libc-dev may predate the newer parts of the ABI; the numbers
// and layouts below are the kernel's stable user-space ABI.
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

namespace sockeye::sandbox {
namespace {

// Filesystem rights, by the ABI that introduced them.
constexpr std::uint64_t kFsExecute = 1ULL << 0;
constexpr std::uint64_t kFsWriteFile = 1ULL << 1;
constexpr std::uint64_t kFsReadFile = 1ULL << 2;
constexpr std::uint64_t kFsReadDir = 1ULL << 3;
constexpr std::uint64_t kFsRemoveDir = 1ULL << 4;
constexpr std::uint64_t kFsRemoveFile = 1ULL << 5;
constexpr std::uint64_t kFsMakeDir = 1ULL << 7;
constexpr std::uint64_t kFsMakeReg = 1ULL << 8;
constexpr std::uint64_t kFsAbi1 = (1ULL << 13) - 1;  // execute .. make_sym
constexpr std::uint64_t kFsRefer = 1ULL << 13;      // ABI 2
constexpr std::uint64_t kFsTruncate = 1ULL << 14;   // ABI 3
constexpr std::uint64_t kFsIoctlDev = 1ULL << 15;   // ABI 5
// Rights that make sense on a file (the kernel rejects the others there).
constexpr std::uint64_t kFsFileRights =
    kFsExecute | kFsWriteFile | kFsReadFile | kFsTruncate | kFsIoctlDev;

constexpr std::uint64_t kNetBindTcp = 1ULL << 0;     // ABI 4
constexpr std::uint64_t kNetConnectTcp = 1ULL << 1;  // ABI 4
constexpr std::uint64_t kScopeAbstractUnix = 1ULL << 0;  // ABI 6
constexpr std::uint64_t kScopeSignal = 1ULL << 1;        // ABI 6

constexpr int kRulePathBeneath = 1;
constexpr int kRuleNetPort = 2;

constexpr std::uint64_t kReadOnly = kFsReadFile | kFsReadDir;
constexpr std::uint64_t kExportDir = kFsReadFile | kFsReadDir | kFsWriteFile | kFsTruncate |
                                     kFsMakeReg | kFsRemoveFile | kFsMakeDir | kFsRemoveDir |
                                     kFsRefer;
constexpr std::uint64_t kExportFile = kFsReadFile | kFsWriteFile | kFsTruncate;

// struct landlock_ruleset_attr grew with the ABI; the kernel takes the size
// we pass, so older kernels only see the fields they know.
struct RulesetAttr {
    std::uint64_t handled_access_fs;
    std::uint64_t handled_access_net;  // ABI 4
    std::uint64_t scoped;              // ABI 6
};

struct __attribute__((packed)) PathBeneathAttr {
    std::uint64_t allowed_access;
    std::int32_t parent_fd;
};
static_assert(sizeof(PathBeneathAttr) == sizeof(landlock_path_beneath_attr));

struct NetPortAttr {
    std::uint64_t allowed_access;
    std::uint64_t port;
};
static_assert(sizeof(NetPortAttr) == 16);


std::uint64_t handled_fs(int abi) {
    std::uint64_t fs = kFsAbi1;
    if (abi >= 2) fs |= kFsRefer;
    if (abi >= 3) fs |= kFsTruncate;
    if (abi >= 5) fs |= kFsIoctlDev;
    return fs;
}

core::Error errno_error(const std::string& what) {
    const int e = errno;
    return {core::error_code_for_errno(e), what + ": " + std::strerror(e)};
}

// Adds one path rule; a missing path is not an error (it is reported).
core::Result<void> add_path_rule(int ruleset, const std::string& path, std::uint64_t dir_rights,
                                 std::uint64_t file_rights, std::uint64_t handled,
                                 std::vector<std::string>& skipped) {
    core::UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            skipped.push_back(path);
            return {};
        }
        return errno_error("landlock: " + path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return errno_error("landlock: " + path);
    const bool dir = S_ISDIR(st.st_mode);
    PathBeneathAttr attr{};
    attr.allowed_access = (dir ? dir_rights : (file_rights & kFsFileRights)) & handled;
    attr.parent_fd = fd.get();
    if (attr.allowed_access == 0) return {};
    if (::syscall(__NR_landlock_add_rule, ruleset, kRulePathBeneath, &attr, 0) != 0)
        return errno_error("landlock rule for " + path);
    return {};
}

// Rules are "beneath" a path, so a rule on the parent of a file that does
// not exist yet would open the whole directory tree: create the file (empty,
// not truncated) and allow exactly it.
core::Result<void> add_write_rule(int ruleset, const std::string& path, std::uint64_t handled,
                                  std::vector<std::string>& skipped) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) return errno_error("landlock: cannot create export file " + path);
        ::close(fd);
    }
    return add_path_rule(ruleset, path, kExportDir, kExportFile, handled, skipped);
}

core::Result<void> add_rules(int ruleset, const LandlockPolicy& policy, LandlockStatus& status) {
    const std::uint64_t handled = handled_fs(status.abi);
    for (const auto& p : policy.read_only) {
        if (auto added = add_path_rule(ruleset, p, kReadOnly, kReadOnly, handled, status.skipped); !added)
            return added;
    }
    for (const auto& p : policy.read_write) {
        if (auto added = add_write_rule(ruleset, p, handled, status.skipped); !added) return added;
    }
    if (!status.network) return {};
    for (const std::uint16_t port : policy.tcp_connect_ports) {
        NetPortAttr attr{kNetConnectTcp, port};
        if (::syscall(__NR_landlock_add_rule, ruleset, kRuleNetPort, &attr, 0) != 0)
            return errno_error("landlock rule for TCP port " + std::to_string(port));
    }
    for (const std::uint16_t port : policy.tcp_bind_ports) {
        NetPortAttr attr{kNetBindTcp, port};
        if (::syscall(__NR_landlock_add_rule, ruleset, kRuleNetPort, &attr, 0) != 0)
            return errno_error("landlock bind rule for TCP port " + std::to_string(port));
    }
    return {};
}

}  // namespace

int landlock_abi() {
    const long v = ::syscall(__NR_landlock_create_ruleset, nullptr, 0,
                             LANDLOCK_CREATE_RULESET_VERSION);
    return v > 0 ? static_cast<int>(v) : -errno;
}

std::string describe_landlock() {
    const int abi = landlock_abi();
    if (abi == -ENOSYS) return "no (kernel built without Landlock)";
    if (abi == -EOPNOTSUPP) return "no (Landlock disabled at boot: add it to lsm=)";
    if (abi <= 0) return std::string("no (") + std::strerror(-abi) + ")";
    std::string s = "ABI " + std::to_string(abi) + " (files";
    if (abi >= 4) s += ", TCP ports";
    if (abi >= 6) s += ", scopes";
    return s + ")";
}

LandlockPolicy monitor_policy(const std::string& config_path,
                              const std::vector<std::string>& write_paths, bool reverse_dns) {
    LandlockPolicy p;
    // /etc as a whole would include /etc/shadow: only the files we read.
    p.read_only = {"/proc", "/sys", "/etc/passwd", "/etc/group", "/etc/localtime",
                   "/usr/share/zoneinfo"};
    if (reverse_dns) {
        // c-ares reads the resolver files at start and /etc/hosts per lookup.
        for (const char* f : {"/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
                              "/etc/host.conf", "/etc/svc.conf", "/etc/services"})
            p.read_only.emplace_back(f);
        p.tcp_connect_ports.push_back(53);  // DNS over TCP for truncated answers
    }
    if (!config_path.empty()) p.read_only.push_back(config_path);
    p.read_write = write_paths;
    return p;
}

PreparedLandlock prepare_landlock(const LandlockPolicy& policy) {
    PreparedLandlock prepared;
    LandlockStatus& result = prepared.status;
    result.abi = landlock_abi();
    if (result.abi <= 0) {
        prepared.error = core::Error{core::ErrorCode::unsupported, "Landlock: " + describe_landlock()};
        return prepared;
    }
    RulesetAttr attr{};
    attr.handled_access_fs = handled_fs(result.abi);
    std::size_t size = sizeof(std::uint64_t);
    if (result.abi >= 4) {
        attr.handled_access_net = kNetBindTcp | kNetConnectTcp;
        size = 2 * sizeof(std::uint64_t);
        result.network = true;
    }
    if (result.abi >= 6) {
        attr.scoped = kScopeAbstractUnix | (policy.signals_outside ? 0 : kScopeSignal);
        size = sizeof attr;
        result.scoped = true;
    }
    core::UniqueFd ruleset(static_cast<int>(::syscall(__NR_landlock_create_ruleset, &attr, size, 0)));
    if (ruleset.get() < 0) {
        prepared.error = errno_error("landlock_create_ruleset");
        return prepared;
    }
    if (auto added = add_rules(ruleset.get(), policy, result); !added) {
        prepared.error = std::move(added).error();
        return prepared;
    }
    prepared.ruleset = std::move(ruleset);
    return prepared;
}

core::Result<LandlockStatus> restrict_landlock(PreparedLandlock& prepared) {
    core::UniqueFd ruleset = std::move(prepared.ruleset);
    if (prepared.error) return *prepared.error;
    if (!ruleset.valid()) return core::Error{core::ErrorCode::internal, "landlock: no ruleset"};
    if (::syscall(__NR_landlock_restrict_self, ruleset.get(), 0) != 0)
        return errno_error("landlock_restrict_self");
    return prepared.status;
}

core::Result<LandlockStatus> apply_landlock(const LandlockPolicy& policy) {
    PreparedLandlock prepared = prepare_landlock(policy);
    return restrict_landlock(prepared);
}

}  // namespace sockeye::sandbox
