#include "ebpf/btf_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/byte_reader.hpp"

namespace sockeye::ebpf {
namespace {

constexpr std::uint16_t kMagic = 0xeb9f;
constexpr std::size_t kHeaderMin = 24;
constexpr std::size_t kMaxTypes = 0xfffff;          // BTF_MAX_TYPE
constexpr std::size_t kMaxFile = 64u * 1024u * 1024u;
constexpr int kMaxDepth = 16;                        // typedef chains, nested anonymous members

std::uint32_t kind_bits(std::uint32_t info) { return (info >> 24) & 0x1f; }
std::uint32_t vlen_bits(std::uint32_t info) { return info & 0xffff; }
bool kind_flag(std::uint32_t info) { return (info >> 31) != 0; }

// Bytes of kind-specific data after the 12-byte common header; -1: unknown kind.
long extra_size(std::uint32_t kind, std::uint32_t vlen) {
    switch (static_cast<BtfKind>(kind)) {
        case BtfKind::integer: return 4;
        case BtfKind::array: return 12;
        case BtfKind::structure:
        case BtfKind::union_type: return 12L * vlen;
        case BtfKind::enumeration: return 8L * vlen;
        case BtfKind::function_proto: return 8L * vlen;
        case BtfKind::variable: return 4;
        case BtfKind::data_section: return 12L * vlen;
        case BtfKind::decl_tag: return 4;
        case BtfKind::enumeration64: return 12L * vlen;
        case BtfKind::pointer:
        case BtfKind::forward:
        case BtfKind::type_def:
        case BtfKind::volatile_type:
        case BtfKind::const_type:
        case BtfKind::restrict_type:
        case BtfKind::function:
        case BtfKind::floating:
        case BtfKind::type_tag: return 0;
        case BtfKind::unknown: return -1;
    }
    return -1;
}

}  // namespace

core::Result<BtfReader> BtfReader::parse(std::span<const std::uint8_t> bytes) {
    const auto malformed = [](std::string why) {
        return core::Error{core::ErrorCode::bad_format, std::move(why)};
    };
    core::ByteReader header(bytes);
    const std::uint16_t magic = header.u16_le();
    const std::uint8_t version = header.u8();
    header.u8();  // flags
    const std::uint32_t hdr_len = header.u32_le();
    const std::uint32_t type_off = header.u32_le();
    const std::uint32_t type_len = header.u32_le();
    const std::uint32_t str_off = header.u32_le();
    const std::uint32_t str_len = header.u32_le();
    if (!header.ok()) {
        return malformed("BTF: truncated header");
    }
    if (magic != kMagic) {
        if (magic == 0x9feb) return core::Error{core::ErrorCode::unsupported, "BTF: foreign byte order"};
        return malformed("BTF: bad magic");
    }
    if (version != 1 || hdr_len < kHeaderMin || hdr_len > bytes.size()) {
        return core::Error{core::ErrorCode::unsupported, "BTF: unsupported version or header length"};
    }
    const std::uint64_t body = bytes.size() - hdr_len;
    if (std::uint64_t{type_off} + type_len > body || std::uint64_t{str_off} + str_len > body ||
        str_len == 0) {
        return malformed("BTF: section out of bounds");
    }
    BtfReader btf;
    const auto types = bytes.subspan(hdr_len + type_off, type_len);
    const auto strings = bytes.subspan(hdr_len + str_off, str_len);
    btf.type_bytes_.assign(types.begin(), types.end());
    btf.strings_.assign(strings.begin(), strings.end());
    if (btf.strings_.back() != 0) {
        return malformed("BTF: string section not NUL-terminated");
    }

    core::ByteReader r(btf.type_bytes_);
    while (!r.empty()) {
        if (btf.types_.size() >= kMaxTypes) {
            return core::Error{core::ErrorCode::resource_exhausted, "BTF: too many types"};
        }
        Type t;
        t.name_off = r.u32_le();
        t.info = r.u32_le();
        t.size_or_type = r.u32_le();
        const long extra = extra_size(kind_bits(t.info), vlen_bits(t.info));
        if (!r.ok() || extra < 0 || t.name_off >= btf.strings_.size()) {
            return malformed("BTF: bad type #" + std::to_string(btf.types_.size() + 1));
        }
        t.extra = static_cast<std::uint32_t>(r.offset());
        r.take(static_cast<std::size_t>(extra));
        if (!r.ok()) {
            return malformed("BTF: truncated type #" + std::to_string(btf.types_.size() + 1));
        }
        btf.types_.push_back(t);
    }
    return btf;
}

core::Result<BtfReader> BtfReader::load(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) {
        return core::Error{core::error_code_for_errno(errno), "no kernel BTF (" + path + " cannot be opened)"};
    }
    // sysfs reports no useful size for this file: read until EOF, bounded.
    std::vector<std::uint8_t> bytes;
    std::uint8_t chunk[65536];
    std::size_t n = 0;
    while ((n = std::fread(chunk, 1, sizeof(chunk), f.get())) > 0) {
        if (bytes.size() + n > kMaxFile) {
            return core::Error{core::ErrorCode::resource_exhausted, path + " is larger than 64 MiB"};
        }
        bytes.insert(bytes.end(), chunk, chunk + n);
    }
    return parse(bytes);
}

const BtfReader::Type* BtfReader::type(std::uint32_t id) const {
    if (id == 0 || id > types_.size()) return nullptr;
    return &types_[id - 1];
}

std::string_view BtfReader::string_at(std::uint32_t off) const {
    if (off >= strings_.size()) return {};
    // NUL-terminated: checked at parse time that the section ends in one.
    const char* s = reinterpret_cast<const char*>(strings_.data()) + off;
    return std::string_view(s);
}

std::string_view BtfReader::name_of(std::uint32_t type_id) const {
    const Type* t = type(type_id);
    return t != nullptr ? string_at(t->name_off) : std::string_view{};
}

std::optional<BtfKind> BtfReader::kind_of(std::uint32_t type_id) const {
    const Type* t = type(type_id);
    if (t == nullptr) return std::nullopt;
    return static_cast<BtfKind>(kind_bits(t->info));
}

bool BtfReader::name_is(std::uint32_t off, std::string_view name) const {
    // Without strlen: vmlinux has >100k names and find() walks them all.
    if (off >= strings_.size() || strings_.size() - off <= name.size()) return false;
    return strings_[off + name.size()] == 0 &&
           std::memcmp(strings_.data() + off, name.data(), name.size()) == 0;
}

std::optional<std::uint32_t> BtfReader::find(BtfKind kind, std::string_view name) const {
    if (name.empty()) return std::nullopt;
    for (std::size_t i = 0; i < types_.size(); ++i) {
        if (kind_bits(types_[i].info) == static_cast<std::uint32_t>(kind) &&
            name_is(types_[i].name_off, name)) {
            return static_cast<std::uint32_t>(i + 1);
        }
    }
    return std::nullopt;
}

std::uint32_t BtfReader::skip_modifiers(std::uint32_t type_id) const {
    for (int depth = 0; depth < kMaxDepth; ++depth) {
        const Type* t = type(type_id);
        if (t == nullptr) return 0;
        switch (static_cast<BtfKind>(kind_bits(t->info))) {
            case BtfKind::type_def:
            case BtfKind::volatile_type:
            case BtfKind::const_type:
            case BtfKind::restrict_type:
            case BtfKind::type_tag: type_id = t->size_or_type; break;
            default: return type_id;
        }
    }
    return 0;
}

std::optional<std::uint32_t> BtfReader::size_of(std::uint32_t type_id) const {
    std::uint64_t multiplier = 1;
    for (int depth = 0; depth < kMaxDepth; ++depth) {
        const Type* t = type(skip_modifiers(type_id));
        if (t == nullptr) return std::nullopt;
        std::uint64_t size = 0;
        switch (static_cast<BtfKind>(kind_bits(t->info))) {
            case BtfKind::integer:
            case BtfKind::structure:
            case BtfKind::union_type:
            case BtfKind::enumeration:
            case BtfKind::enumeration64:
            case BtfKind::floating: size = t->size_or_type; break;
            case BtfKind::pointer: size = 8; break;
            case BtfKind::array: {
                core::ByteReader r(std::span<const std::uint8_t>(type_bytes_).subspan(t->extra, 12));
                type_id = r.u32_le();
                r.u32_le();  // index type
                multiplier *= r.u32_le();
                if (!r.ok() || multiplier > 0xffffffffu) return std::nullopt;
                continue;
            }
            default: return std::nullopt;
        }
        const std::uint64_t total = size * multiplier;
        if (total > 0xffffffffu) return std::nullopt;
        return static_cast<std::uint32_t>(total);
    }
    return std::nullopt;
}

std::optional<BtfField> BtfReader::member_in(std::uint32_t type_id, std::string_view name, int depth) const {
    if (depth > kMaxDepth) return std::nullopt;
    const Type* t = type(skip_modifiers(type_id));
    if (t == nullptr) return std::nullopt;
    const auto kind = static_cast<BtfKind>(kind_bits(t->info));
    if (kind != BtfKind::structure && kind != BtfKind::union_type) return std::nullopt;
    const std::uint32_t vlen = vlen_bits(t->info);
    core::ByteReader r(std::span<const std::uint8_t>(type_bytes_).subspan(t->extra, 12u * vlen));
    for (std::uint32_t i = 0; i < vlen && r.ok(); ++i) {
        const std::uint32_t name_off = r.u32_le();
        const std::uint32_t member_type = r.u32_le();
        const std::uint32_t offset = r.u32_le();
        // With kind_flag the top 8 bits are a bitfield size; otherwise the
        // whole word is the bit offset.
        const std::uint32_t bit_offset = kind_flag(t->info) ? (offset & 0xffffff) : offset;
        const std::uint32_t bitfield_size = kind_flag(t->info) ? (offset >> 24) : 0;
        const std::string_view member_name = string_at(name_off);
        if (member_name.empty()) {
            // Anonymous struct/union: its members belong to this one.
            if (auto inner = member_in(member_type, name, depth + 1)) {
                if (bit_offset % 8 != 0) return std::nullopt;
                const std::uint64_t total = std::uint64_t{inner->offset} + bit_offset / 8;
                if (total > 0xffffffffu) return std::nullopt;
                return BtfField{static_cast<std::uint32_t>(total), inner->size};
            }
            continue;
        }
        if (member_name != name) continue;
        if (bitfield_size != 0 || bit_offset % 8 != 0) return std::nullopt;
        const auto size = size_of(member_type);
        if (!size) return std::nullopt;
        return BtfField{bit_offset / 8, *size};
    }
    return std::nullopt;
}

std::optional<BtfField> BtfReader::member(std::uint32_t type_id, std::string_view name) const {
    return member_in(type_id, name, 0);
}

std::optional<BtfField> BtfReader::member(std::string_view struct_name, std::string_view name) const {
    const auto id = find(BtfKind::structure, struct_name);
    if (!id) return std::nullopt;
    return member(*id, name);
}

}  // namespace sockeye::ebpf
