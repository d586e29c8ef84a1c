// Fuzz target: sockeye's MaxMind DB reader, checked against libmaxminddb on
// the same bytes. Both must accept or refuse the file alike, agree on the
// metadata, and for a fixed set of addresses find the same record (offset
// and prefix length) and the same value at a few paths; any difference
// traps. The reader's full decoder runs on every record found too, for the
// sanitizers.
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/ip_address.hpp"
#include "geo/mmdb_reader.hpp"

namespace {

using sockeye::core::IpAddress;
using sockeye::geo::MmdbFound;
using sockeye::geo::MmdbLookup;
using sockeye::geo::MmdbReader;
using sockeye::geo::MmdbType;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

const std::array<const char*, 12> kAddresses = {
    "0.0.0.0", "1.1.1.1", "8.8.8.8", "81.2.69.142", "128.0.0.1", "255.255.255.255",
    "::", "::1", "2001:db8::1", "2400:cb00::1", "8000::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
};

// One path per layout sockeye reads.
const std::array<std::array<const char*, 4>, 5> kPaths = {{
    {"country_code", nullptr, nullptr, nullptr},
    {"country", "iso_code", nullptr, nullptr},
    {"city", "names", "en", nullptr},
    {"autonomous_system_number", nullptr, nullptr, nullptr},
    {"city", nullptr, nullptr, nullptr},
}};

bool known(unsigned type) { return type >= 1 && type <= 15 && type != 12 && type != 13; }

void compare_path(const MmdbReader& ours, std::uint32_t offset, MMDB_entry_s entry,
                  const std::array<const char*, 4>& path) {
    const MmdbFound f = path[1] == nullptr   ? ours.find(offset, {path[0]})
                        : path[2] == nullptr ? ours.find(offset, {path[0], path[1]})
                                             : ours.find(offset, {path[0], path[1], path[2]});
    MMDB_entry_data_s data{};
    const int status = MMDB_aget_value(&entry, &data, path.data());
    if (status == MMDB_SUCCESS && data.has_data && known(data.type)) {
        check(f.status == MmdbFound::Status::found);
        check(static_cast<unsigned>(f.type) == data.type);
        check(f.offset == data.offset);
        if (data.type == MMDB_DATA_TYPE_UTF8_STRING) {
            const auto s = path[1] == nullptr ? ours.string_at(offset, {path[0]})
                                              : path[2] == nullptr ? ours.string_at(offset, {path[0], path[1]})
                                                                   : ours.string_at(offset, {path[0], path[1], path[2]});
            check(s.has_value() && s->size() == data.data_size &&
                  std::memcmp(s->data(), data.utf8_string, data.data_size) == 0);
        }
        if (data.type == MMDB_DATA_TYPE_UINT32) {
            check(ours.uint_at(offset, {path[0]}) == data.uint32 || path[1] != nullptr);
        }
    } else if (status == MMDB_SUCCESS) {
        // A value of a type the format does not define: sockeye refuses it.
        check(f.status == MmdbFound::Status::invalid);
    } else if (status == MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR) {
        check(f.status == MmdbFound::Status::absent);
    } else {
        check(f.status == MmdbFound::Status::invalid);
    }
}

}  // namespace

// libmaxminddb 1.7.1 leaks its entry-list pool when a file's metadata
// (languages, description) is cut short; that is the oracle's leak, not
// the reader's.
extern "C" const char* __lsan_default_suppressions() { return "leak:libmaxminddb.so"; }

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > (16u << 20)) return 0;
    auto ours = MmdbReader::open_bytes(std::vector<std::uint8_t>(data, data + size), "fuzz.mmdb");

    // libmaxminddb opens files only: hand it the bytes through a memfd.
    const int fd = memfd_create("mmdb", MFD_CLOEXEC);
    if (fd < 0) return 0;
    std::size_t written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, data + written, size - written);
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    if (written != size) {
        ::close(fd);
        return 0;
    }
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    MMDB_s theirs{};
    const int opened = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &theirs);
    ::close(fd);

    if (opened != MMDB_SUCCESS) {
        // libmaxminddb computes the tree's size in 32 bits; where that wraps
        // it may open what is too short (sockeye counts in 64 bits).
        check(!ours.ok() || std::uint64_t{ours->metadata().node_count} * (ours->metadata().record_size / 4u) >
                                0xFFFFFFFFull - 16);
        return 0;
    }
    if (!ours.ok()) {
        const bool wraps = std::uint64_t{theirs.metadata.node_count} * (theirs.metadata.record_size / 4u) + 16 >
                           0xFFFFFFFFull;
        check(wraps || size == 0);
        MMDB_close(&theirs);
        return 0;
    }
    const auto& m = ours->metadata();
    check(m.node_count == theirs.metadata.node_count);
    check(m.record_size == theirs.metadata.record_size);
    check(m.ip_version == theirs.metadata.ip_version);
    // libmaxminddb keeps it as a C string: compare up to a NUL byte.
    check(std::string(m.database_type.c_str()) == theirs.metadata.database_type);
    check(m.build_epoch == theirs.metadata.build_epoch);
    check(m.languages.size() == theirs.metadata.languages.count);
    check(ours->data_section_size() == theirs.data_section_size);

    for (const char* text : kAddresses) {
        const IpAddress a = IpAddress::parse(text);
        const MmdbLookup l = ours->lookup(a);
        sockaddr_storage ss{};
        if (a.is_v4()) {
            auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
            sin->sin_family = AF_INET;
            std::memcpy(&sin->sin_addr, a.bytes.data(), 4);
        } else {
            auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
            sin6->sin6_family = AF_INET6;
            std::memcpy(&sin6->sin6_addr, a.bytes.data(), 16);
        }
        int error = MMDB_SUCCESS;
        const MMDB_lookup_result_s r = MMDB_lookup_sockaddr(&theirs, reinterpret_cast<sockaddr*>(&ss), &error);
        if (error == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) {
            check(l.status == MmdbLookup::Status::ipv6_in_ipv4_database);
            continue;
        }
        if (error == MMDB_CORRUPT_SEARCH_TREE_ERROR) {
            check(l.status == MmdbLookup::Status::corrupt);
            continue;
        }
        check(error == MMDB_SUCCESS);
        check(l.prefix_len == r.netmask);
        if (!r.found_entry) {
            check(l.status == MmdbLookup::Status::not_found);
            continue;
        }
        // A record 1-15 past the node count points into the separator:
        // libmaxminddb's offset wraps, sockeye calls the tree corrupt.
        if (r.entry.offset >= theirs.data_section_size) {
            check(l.status == MmdbLookup::Status::corrupt);
            continue;
        }
        check(l.status == MmdbLookup::Status::found);
        check(l.offset == r.entry.offset);
        for (const auto& p : kPaths) compare_path(*ours, l.offset, r.entry, p);
        (void)ours->decode(l.offset);
    }
    MMDB_close(&theirs);
    return 0;
}
