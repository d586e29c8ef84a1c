// A reader of MaxMind DB (`.mmdb`, format 2.x) files: the metadata, the
// binary search tree (24-, 28- and 32-bit records, IPv4 inside IPv6 trees)
// and the data section's values.
//
// The file is untrusted input: it is read whole into memory (before the
// sandbox), every access is bounds-checked, a data-section walk never
// recurses on the file's nesting (skipping counts items instead), full
// decoding stops at kMaxDepth levels and kMaxValues values, and a pointer
// may not lead to another pointer (so chains cannot loop). What the file is
// and why it is ours rather than libmaxminddb: docs/ARCHITECTURE.md,
// "Written here, and why".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip_address.hpp"
#include "core/result.hpp"

namespace sockeye::geo {

// The data section's types, numbered as the format numbers them. A file may
// carry other numbers (up to 262): they are skipped like any sized value but
// never returned as a value.
enum class MmdbType : std::uint16_t {
    pointer = 1,
    utf8_string = 2,
    double_ = 3,
    bytes = 4,
    uint16 = 5,
    uint32 = 6,
    map = 7,
    int32 = 8,
    uint64 = 9,
    uint128 = 10,
    array = 11,
    container = 12,
    end_marker = 13,
    boolean = 14,
    float_ = 15,
};

// One decoded value, whole (tests, the fuzz target, tools). Lookups on the
// hot path use MmdbReader::find instead, which decodes only what it needs.
struct MmdbValue {
    MmdbType type = MmdbType::map;
    std::uint64_t uint = 0;          // uint16/32/64, boolean; the low half of uint128
    std::uint64_t uint_high = 0;     // the high half of uint128
    std::int32_t int32 = 0;
    double number = 0.0;             // double and float
    std::string text;                // utf8_string and bytes
    std::vector<std::string> keys;   // a map's keys, in file order
    std::vector<MmdbValue> items;    // a map's values (beside keys) or an array's members

    // The member of a map named `key`, or null.
    [[nodiscard]] const MmdbValue* get(std::string_view key) const;
};

struct MmdbMetadata {
    std::uint32_t node_count = 0;
    std::uint16_t record_size = 0;  // bits per record: 24, 28 or 32
    std::uint16_t ip_version = 0;   // 4 or 6
    std::string database_type;
    std::vector<std::string> languages;
    std::uint16_t format_major = 0;
    std::uint16_t format_minor = 0;
    std::uint64_t build_epoch = 0;
    std::string description_en;
};

// Where an address led in the search tree.
struct MmdbLookup {
    enum class Status : std::uint8_t {
        found,      // `offset` is the record's place in the data section
        not_found,  // the tree has no data for the address
        corrupt,    // the tree points outside the file
        ipv6_in_ipv4_database,
    };
    Status status = Status::not_found;
    std::uint32_t offset = 0;
    std::uint16_t prefix_len = 0;  // in the tree's bits (an IPv4 address in an IPv6 tree counts 96 more)
};

// What a path into a record led to.
struct MmdbFound {
    enum class Status : std::uint8_t { found, absent, invalid };
    Status status = Status::absent;
    std::uint32_t offset = 0;  // the value's control byte, pointers followed
    MmdbType type = MmdbType::map;
};

class MmdbReader {
public:
    static constexpr std::size_t kMaxDepth = 64;
    static constexpr std::size_t kMaxValues = 1u << 20;
    static constexpr std::size_t kMaxFileSize = std::size_t{2} << 30;  // 2 GiB
    // The metadata marker is searched for in this many bytes at the end.
    static constexpr std::size_t kMetadataWindow = 128 * 1024;

    // Reads the whole file into memory. Errors name the file.
    static core::Result<MmdbReader> open_file(const std::string& path);
    // Takes the bytes of a database; `name` is what messages call it.
    static core::Result<MmdbReader> open_bytes(std::vector<std::uint8_t> bytes, std::string name);

    [[nodiscard]] const MmdbMetadata& metadata() const { return metadata_; }
    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] std::size_t size_bytes() const { return bytes_.size(); }
    [[nodiscard]] std::uint32_t data_section_size() const { return data_size_; }

    [[nodiscard]] MmdbLookup lookup(const core::IpAddress& address) const;

    // Walks `path` (map keys) from the value at data-section `offset`,
    // following pointers; absent when a key is missing or a step is not a map.
    [[nodiscard]] MmdbFound find(std::uint32_t offset, std::initializer_list<std::string_view> path) const;
    // The value at `path` if it is a string / an unsigned integer (uint16, 32, 64).
    [[nodiscard]] std::optional<std::string> string_at(std::uint32_t offset,
                                                       std::initializer_list<std::string_view> path) const;
    [[nodiscard]] std::optional<std::uint64_t> uint_at(std::uint32_t offset,
                                                       std::initializer_list<std::string_view> path) const;
    // The whole value at `offset`, pointers followed (bounded by kMaxDepth
    // and kMaxValues); an error says why it could not be decoded.
    [[nodiscard]] core::Result<MmdbValue> decode(std::uint32_t offset) const;

private:
    MmdbReader() = default;

    std::vector<std::uint8_t> bytes_;
    std::string name_;
    MmdbMetadata metadata_;
    std::size_t tree_size_ = 0;      // bytes of search tree
    std::size_t data_start_ = 0;     // tree_size_ + 16
    std::uint32_t data_size_ = 0;    // from data_start_ to the end of the file
    std::uint32_t ipv4_start_ = 0;   // node an IPv4 address starts at in an IPv6 tree
    std::uint16_t ipv4_depth_ = 0;   // and the bits walked to reach it
};

}  // namespace sockeye::geo
