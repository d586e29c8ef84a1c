// Reads the kernel's BTF (/sys/kernel/btf/vmlinux): enough to find where a
// struct member lives (struct sock_common's addresses and ports, struct
// task_struct's group_leader and comm), so the programs read the running
// kernel's layout instead of one baked in at build time.
//
// The bytes come from the kernel but are parsed like any untrusted input:
// through core::ByteReader, every offset and count bounds-checked, type
// chains depth-limited. Only native little-endian BTF is accepted (the
// kernel writes its own byte order; sockeye ships x86_64 and aarch64).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sockeye::ebpf {

enum class BtfKind : std::uint8_t {
    unknown = 0, integer = 1, pointer = 2, array = 3, structure = 4, union_type = 5,
    enumeration = 6, forward = 7, type_def = 8, volatile_type = 9, const_type = 10,
    restrict_type = 11, function = 12, function_proto = 13, variable = 14, data_section = 15,
    floating = 16, decl_tag = 17, type_tag = 18, enumeration64 = 19,
};

struct BtfField {
    std::uint32_t offset = 0;  // bytes from the start of the outer struct
    std::uint32_t size = 0;    // bytes
};

class BtfReader {
public:
    // Parses a whole BTF blob; ErrorCode::bad_format on anything malformed
    // (unsupported for a version or byte order this reader does not take).
    static core::Result<BtfReader> parse(std::span<const std::uint8_t> bytes);
    // Reads and parses a file (bounded to 64 MiB); a file that cannot be
    // opened is coded by errno (not_found: the kernel has no BTF).
    static core::Result<BtfReader> load(const std::string& path);

    // The first type of that kind and name; type ids start at 1.
    [[nodiscard]] std::optional<std::uint32_t> find(BtfKind kind, std::string_view name) const;
    // A named member of a struct or union, looked for through anonymous
    // struct/union members too (sock_common keeps its addresses in those).
    // Bitfields are not byte-addressable: nullopt.
    [[nodiscard]] std::optional<BtfField> member(std::uint32_t type_id, std::string_view name) const;
    [[nodiscard]] std::optional<BtfField> member(std::string_view struct_name, std::string_view name) const;
    // Size in bytes of a type after typedefs and qualifiers (pointers: 8).
    [[nodiscard]] std::optional<std::uint32_t> size_of(std::uint32_t type_id) const;
    [[nodiscard]] std::size_t type_count() const { return types_.size(); }
    [[nodiscard]] std::string_view name_of(std::uint32_t type_id) const;
    [[nodiscard]] std::optional<BtfKind> kind_of(std::uint32_t type_id) const;

private:
    struct Type {
        std::uint32_t name_off = 0;
        std::uint32_t info = 0;
        std::uint32_t size_or_type = 0;
        std::uint32_t extra = 0;  // offset of the kind-specific data in types_bytes_
    };

    [[nodiscard]] const Type* type(std::uint32_t id) const;
    [[nodiscard]] std::string_view string_at(std::uint32_t off) const;
    [[nodiscard]] bool name_is(std::uint32_t off, std::string_view name) const;
    [[nodiscard]] std::optional<BtfField> member_in(std::uint32_t type_id, std::string_view name,
                                                    int depth) const;
    [[nodiscard]] std::uint32_t skip_modifiers(std::uint32_t type_id) const;

    std::vector<std::uint8_t> type_bytes_;
    std::vector<std::uint8_t> strings_;
    std::vector<Type> types_;  // index 0 is type id 1
};

}  // namespace sockeye::ebpf
