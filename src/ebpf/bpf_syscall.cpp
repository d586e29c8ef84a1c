#include "ebpf/bpf_syscall.hpp"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace sockeye::ebpf {
namespace {

// Verifier logs of these small programs are a few KiB; the tail says why.
constexpr std::size_t kLogSize = 256 * 1024;
constexpr std::size_t kLogTailLines = 6;

std::uint64_t ptr_to_u64(const void* p) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)); }

long sys_bpf(int cmd, union bpf_attr* attr) {
    return ::syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int sys_bpf_fd(int cmd, union bpf_attr* attr, int& error) {
    long r;
    do {
        r = sys_bpf(cmd, attr);
    } while (r < 0 && errno == EINTR);
    error = r < 0 ? errno : 0;
    return static_cast<int>(r);
}

void copy_name(char* dst, std::size_t cap, const std::string& name) {
    std::memset(dst, 0, cap);
    std::memcpy(dst, name.data(), std::min(name.size(), cap - 1));
}

std::string log_tail(const char* log) {
    std::string text(log, strnlen(log, kLogSize));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) text.pop_back();
    std::size_t pos = text.size();
    for (std::size_t lines = 0; lines < kLogTailLines && pos > 0; ++lines) {
        const std::size_t nl = text.rfind('\n', pos - 1);
        pos = nl == std::string::npos ? 0 : nl;
    }
    std::string tail = text.substr(pos);
    for (char& c : tail) {
        if (c == '\n') c = ' ';
    }
    while (!tail.empty() && tail.front() == ' ') tail.erase(tail.begin());
    return tail;
}

int map_cmd(int cmd, int map_fd, const void* key, const void* value_or_next, std::uint64_t flags) {
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.map_fd = static_cast<std::uint32_t>(map_fd);
    attr.key = ptr_to_u64(key);
    attr.value = ptr_to_u64(value_or_next);  // shares its slot with next_key
    attr.flags = flags;
    int error = 0;
    sys_bpf_fd(cmd, &attr, error);
    return error;
}

}  // namespace

std::string errno_text(int errno_value) {
    const char* name = nullptr;
    switch (errno_value) {
        case EPERM: name = "EPERM"; break;
        case EACCES: name = "EACCES"; break;
        case EINVAL: name = "EINVAL"; break;
        case ENOENT: name = "ENOENT"; break;
        case ENOSYS: name = "ENOSYS"; break;
        case E2BIG: name = "E2BIG"; break;
        case ENOMEM: name = "ENOMEM"; break;
        case ENOSPC: name = "ENOSPC"; break;
        case EOPNOTSUPP: name = "EOPNOTSUPP"; break;
        default: break;
    }
    std::string text = std::strerror(errno_value);
    if (name != nullptr) text += std::string(" (") + name + ")";
    return text;
}

core::UniqueFd map_create(const MapSpec& spec, BpfError& error) {
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.map_type = spec.type;
    attr.key_size = spec.key_size;
    attr.value_size = spec.value_size;
    attr.max_entries = spec.max_entries;
    copy_name(attr.map_name, sizeof(attr.map_name), spec.name);
    int err = 0;
    const int fd = sys_bpf_fd(BPF_MAP_CREATE, &attr, err);
    if (fd < 0) {
        error = BpfError{err, "BPF_MAP_CREATE " + spec.name + ": " + errno_text(err)};
        return core::UniqueFd();
    }
    return core::UniqueFd(fd);
}

core::UniqueFd prog_load(const ProgSpec& spec, BpfError& error) {
    auto attempt = [&spec](char* log, std::uint32_t log_size, int& err) {
        union bpf_attr attr;
        std::memset(&attr, 0, sizeof(attr));
        attr.prog_type = spec.type;
        attr.insn_cnt = static_cast<std::uint32_t>(spec.insns.size());
        attr.insns = ptr_to_u64(spec.insns.data());
        attr.license = ptr_to_u64(spec.license.c_str());
        attr.expected_attach_type = spec.expected_attach_type;
        attr.attach_btf_id = spec.attach_btf_id;
        copy_name(attr.prog_name, sizeof(attr.prog_name), spec.name);
        if (log != nullptr) {
            attr.log_level = 1;
            attr.log_size = log_size;
            attr.log_buf = ptr_to_u64(log);
        }
        return sys_bpf_fd(BPF_PROG_LOAD, &attr, err);
    };
    int err = 0;
    int fd = attempt(nullptr, 0, err);
    if (fd >= 0) return core::UniqueFd(fd);
    error = BpfError{err, "BPF_PROG_LOAD " + spec.name + ": " + errno_text(err)};
    // Only a verifier refusal has a log worth reading; permission errors
    // come before the verifier runs.
    if (err == EACCES || err == EINVAL) {
        std::vector<char> log(kLogSize, '\0');
        int err2 = 0;
        fd = attempt(log.data(), static_cast<std::uint32_t>(log.size()), err2);
        if (fd >= 0) return core::UniqueFd(fd);  // passed on the second try: keep it
        const std::string tail = log_tail(log.data());
        if (!tail.empty()) error.text += ": verifier: " + tail;
    }
    return core::UniqueFd();
}

core::UniqueFd raw_tracepoint_open(const std::string& tracepoint, int prog_fd, BpfError& error) {
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.raw_tracepoint.name = ptr_to_u64(tracepoint.c_str());
    attr.raw_tracepoint.prog_fd = static_cast<std::uint32_t>(prog_fd);
    int err = 0;
    const int fd = sys_bpf_fd(BPF_RAW_TRACEPOINT_OPEN, &attr, err);
    if (fd < 0) {
        error = BpfError{err, "BPF_RAW_TRACEPOINT_OPEN " + tracepoint + ": " + errno_text(err)};
        return core::UniqueFd();
    }
    return core::UniqueFd(fd);
}

int map_lookup(int map_fd, const void* key, void* value) {
    return map_cmd(BPF_MAP_LOOKUP_ELEM, map_fd, key, value, 0);
}

int map_update(int map_fd, const void* key, const void* value, std::uint64_t flags) {
    return map_cmd(BPF_MAP_UPDATE_ELEM, map_fd, key, value, flags);
}

int map_delete(int map_fd, const void* key) { return map_cmd(BPF_MAP_DELETE_ELEM, map_fd, key, nullptr, 0); }

int map_next_key(int map_fd, const void* key, void* next_key) {
    return map_cmd(BPF_MAP_GET_NEXT_KEY, map_fd, key, next_key, 0);
}

int map_lookup_and_delete_batch(int map_fd, const void* in_batch, void* out_batch, void* keys,
                                void* values, std::uint32_t& count) {
    union bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.batch.map_fd = static_cast<std::uint32_t>(map_fd);
    attr.batch.in_batch = ptr_to_u64(in_batch);
    attr.batch.out_batch = ptr_to_u64(out_batch);
    attr.batch.keys = ptr_to_u64(keys);
    attr.batch.values = ptr_to_u64(values);
    attr.batch.count = count;
    int error = 0;
    sys_bpf_fd(BPF_MAP_LOOKUP_AND_DELETE_BATCH, &attr, error);
    // The kernel writes the count back on success, ENOENT and ENOSPC alike.
    count = (error == 0 || error == ENOENT || error == ENOSPC) ? attr.batch.count : 0;
    return error;
}

}  // namespace sockeye::ebpf
