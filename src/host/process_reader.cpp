#include "host/process_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <utility>

#include "host/cgroup.hpp"
#include "host/proc_fs.hpp"

namespace sockeye::host {
namespace {

constexpr std::size_t kMaxCmdlineRead = 64 * 1024;
constexpr std::size_t kMaxCmdlineText = 4096;
constexpr std::size_t kMaxSmallFile = 16 * 1024;
constexpr std::size_t kMaxParents = 4;
constexpr std::size_t kPruneAbove = 2048;
constexpr std::uint64_t kPfExiting = 0x4;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string> split_cmdline(std::string_view raw) {
    std::vector<std::string> argv;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        auto end = raw.find('\0', pos);
        if (end == std::string_view::npos) end = raw.size();
        argv.emplace_back(raw.substr(pos, end - pos));
        pos = end + 1;
    }
    while (!argv.empty() && argv.back().empty()) argv.pop_back();
    return argv;
}

std::string join_cmdline(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) {
        if (!out.empty()) out += ' ';
        out += a;
        if (out.size() >= kMaxCmdlineText) {
            out.resize(kMaxCmdlineText);
            break;
        }
    }
    return out;
}

// argv[0] as a program name: "sshd: root@pts/0" (setproctitle) -> "sshd",
// "/usr/bin/curl" -> "curl", "-bash" (login shell) -> "bash".
std::string_view argv0_name(const std::vector<std::string>& argv) {
    if (argv.empty()) return {};
    std::string_view a = argv[0];
    if (argv.size() == 1) a = a.substr(0, a.find(' '));
    a = base_name(a);
    if (!a.empty() && a.back() == ':') a.remove_suffix(1);
    if (!a.empty() && a.front() == '-') a.remove_prefix(1);
    return a;
}

// The script or module an interpreter runs; empty for inline code (-c/-e)
// or an interactive session.
std::string_view script_of(const std::vector<std::string>& argv) {
    // Options whose value is the next argument.
    constexpr std::array<std::string_view, 10> kWithValue = {
        "-W", "-X", "-cp", "-classpath", "--class-path", "-p", "--module-path", "-r", "--require", "-I"};
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string_view a = argv[i];
        if (a == "-m" || a == "-jar") return i + 1 < argv.size() ? base_name(argv[i + 1]) : std::string_view{};
        if (a == "-c" || a == "-e" || a == "-E") return {};
        if (a == "--") return i + 1 < argv.size() ? base_name(argv[i + 1]) : std::string_view{};
        if (std::find(kWithValue.begin(), kWithValue.end(), a) != kWithValue.end()) {
            ++i;
            continue;
        }
        if (a.empty() || a.front() == '-') continue;
        return base_name(a);
    }
    return {};
}

void apply(const ContainerIdentity& identity, snapshot::ProcessInfo& info) {
    info.container_name = identity.name;
    info.container_image = identity.image;
    info.pod = identity.pod;
    info.pod_namespace = identity.pod_namespace;
}

}  // namespace

bool is_interpreter(std::string_view base) {
    // Version suffixes: python3.11, perl5.36.0, lua5.4, pypy3.
    while (!base.empty() && ((base.back() >= '0' && base.back() <= '9') || base.back() == '.')) {
        base.remove_suffix(1);
    }
    constexpr std::array<std::string_view, 17> kInterpreters = {
        "python", "pypy", "perl", "ruby", "node", "nodejs", "php", "lua", "luajit",
        "tclsh", "bash", "sh", "dash", "zsh", "ksh", "java", "Rscript"};
    return std::find(kInterpreters.begin(), kInterpreters.end(), base) != kInterpreters.end();
}

std::string display_name(std::string_view exe, const std::vector<std::string>& argv,
                         std::string_view comm) {
    const std::string_view exe_base = base_name(exe);
    const std::string_view arg0 = argv0_name(argv);
    const std::string_view program = !exe_base.empty() ? exe_base : arg0;
    if (program.empty()) return std::string(comm);
    if (is_interpreter(program) || is_interpreter(arg0)) {
        const std::string_view script = script_of(argv);
        if (!script.empty()) return std::string(script);
        // No script: the name it was started as ("python3", not "python3.11").
        if (!arg0.empty() && is_interpreter(arg0)) return std::string(arg0);
        return std::string(program);
    }
    // Multi-call binaries: exe is busybox, comm and argv[0] say "wget".
    if (!exe_base.empty() && !comm.empty() && !starts_with(exe_base, comm) &&
        starts_with(arg0, comm)) {
        return std::string(arg0);
    }
    return std::string(program);
}

std::optional<ProcStat> parse_proc_stat(std::string_view text) {
    const auto open = text.find('(');
    const auto close = text.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        return std::nullopt;
    }
    ProcStat st;
    st.comm = std::string(text.substr(open + 1, close - open - 1));
    // After ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt
    // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime
    std::vector<std::string_view> fields;
    std::size_t pos = close + 1;
    while (pos < text.size() && fields.size() < 20) {
        while (pos < text.size() && text[pos] == ' ') ++pos;
        const auto end = std::min(text.find(' ', pos), text.size());
        if (end > pos) fields.push_back(trim(text.substr(pos, end - pos)));
        pos = end;
    }
    if (fields.size() < 20) return std::nullopt;
    const auto ppid = parse_u64(fields[1]);
    const auto start = parse_u64(fields[19]);
    const auto flags = parse_u64(fields[6]);
    if (!ppid || !start || !flags || *ppid > 0x7fffffff) return std::nullopt;
    st.flags = *flags;
    st.ppid = static_cast<int>(*ppid);
    st.start_time = *start;
    return st;
}

ProcessReader::ProcessReader(std::string proc_root, std::string passwd_path, std::string container_root)
    : root_(std::move(proc_root)), users_(passwd_path), containers_(std::move(container_root), passwd_path) {}

bool ProcessReader::name_container(const CgroupPlacement& where, snapshot::ProcessInfo& info) {
    const auto identity = containers_.lookup(where);
    if (identity) apply(*identity, info);
    return identity.has_value();
}

std::string ProcessReader::pid_path(int pid, std::string_view file) const {
    std::string p = root_;
    p += '/';
    p += std::to_string(pid);
    p += '/';
    p += file;
    return p;
}

std::shared_ptr<snapshot::ProcessInfo> ProcessReader::read_info(int pid, const ProcStat& stat,
                                                                std::optional<CgroupPlacement>& unnamed) {
    auto info = std::make_shared<snapshot::ProcessInfo>();
    info->pid = pid;
    info->comm = stat.comm;
    if (const auto comm = read_file(pid_path(pid, "comm"), 256)) info->comm = std::string(trim(*comm));
    // An exiting process is tearing its memory down: reading its command
    // line would wait for that (tens of ms) and then find nothing. comm is
    // all there is left; the socket was already found.
    const bool exiting = (stat.flags & kPfExiting) != 0;
    if (auto exe = exiting ? std::nullopt : read_link(pid_path(pid, "exe"))) {
        constexpr std::string_view kDeleted = " (deleted)";
        if (exe->size() > kDeleted.size() && exe->compare(exe->size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
            exe->resize(exe->size() - kDeleted.size());
        }
        info->exe = std::move(*exe);
    }
    std::vector<std::string> argv;
    if (!exiting) {
        if (const auto raw = read_file(pid_path(pid, "cmdline"), kMaxCmdlineRead)) argv = split_cmdline(*raw);
    }
    info->cmdline = join_cmdline(argv);
    info->name = display_name(info->exe, argv, info->comm);
    if (const auto status = read_file(pid_path(pid, "status"), kMaxSmallFile)) {
        // "Uid:\treal\teffective\tsaved\tfs": the effective uid, as ps shows it.
        if (const auto uids = status_field(*status, "Uid")) {
            std::string_view rest = *uids;
            const auto tab = rest.find_first_of(" \t");
            if (tab != std::string_view::npos) rest = trim(rest.substr(tab));
            const auto effective = parse_u64(rest.substr(0, rest.find_first_of(" \t")));
            if (effective && *effective <= 0xffffffffULL) info->uid = static_cast<std::uint32_t>(*effective);
        }
    }
    info->user = users_.name(info->uid);
    const CgroupPlacement where = read_cgroup(root_, pid);
    info->container_kind = where.kind;
    info->container = where.id;
    if (where.kind != "systemd" && !where.id.empty() && !name_container(where, *info)) unnamed = where;
    return info;
}

const ProcessReader::Cached* ProcessReader::load(int pid, bool with_parents) {
    const auto text = read_file(pid_path(pid, "stat"), kMaxSmallFile);
    if (!text) return nullptr;
    const auto stat = parse_proc_stat(*text);
    if (!stat) return nullptr;
    auto it = cache_.find(pid);
    if (it != cache_.end() && (it->second.start_time != stat->start_time || it->second.comm != stat->comm)) {
        cache_.erase(it);  // a reused pid, or the process exec()ed something else
        it = cache_.end();
    }
    if (it != cache_.end() && it->second.info && it->second.unnamed) {
        // Records are shared and immutable: a named copy replaces it.
        if (const auto identity = containers_.lookup(*it->second.unnamed)) {
            auto named = std::make_shared<snapshot::ProcessInfo>(*it->second.info);
            apply(*identity, *named);
            it->second.info = std::move(named);
            it->second.unnamed.reset();
        }
    }
    if (it != cache_.end() && (it->second.info || !with_parents)) return &it->second;

    Cached entry;
    entry.start_time = stat->start_time;
    entry.comm = stat->comm;
    entry.ppid = stat->ppid;
    auto info = read_info(pid, *stat, entry.unnamed);
    entry.name = info->name;
    if (with_parents) {
        int parent = stat->ppid;
        while (parent > 0 && info->parents.size() < kMaxParents) {
            const Cached* p = load(parent, false);
            if (p == nullptr) break;
            info->parents.push_back(snapshot::ParentProcess{parent, p->name});
            parent = p->ppid;
        }
        entry.info = std::move(info);
    }
    auto [slot, inserted] = cache_.insert_or_assign(pid, std::move(entry));
    return &slot->second;
}

std::shared_ptr<const snapshot::ProcessInfo> ProcessReader::get(int pid) {
    if (cache_.size() > kPruneAbove) prune();
    const Cached* c = load(pid, true);
    return c != nullptr ? c->info : nullptr;
}

void ProcessReader::prune() {
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (::access(pid_path(it->first, "").c_str(), F_OK) != 0) {
            it = cache_.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace sockeye::host
