#include "geo/mmdb_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <utility>

#include "core/byte_reader.hpp"
#include "core/unique_fd.hpp"

namespace sockeye::geo {

namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::uint8_t, 14> kMarker = {0xAB, 0xCD, 0xEF, 'M', 'a', 'x', 'M', 'i',
                                                  'n',  'd',  '.',  'c', 'o', 'm'};
constexpr std::size_t kSeparator = 16;  // zero bytes between the tree and the data section

// One value's encoding: its type, its size field, where its payload starts
// and where the next value starts.
struct Header {
    MmdbType type = MmdbType::map;
    std::uint32_t size = 0;     // map pairs, array members, payload bytes, or a boolean's value
    std::uint32_t payload = 0;  // first byte after the control bytes
    std::uint32_t next = 0;     // first byte after this value (a map's or array's members follow it)
    std::uint32_t pointer = 0;  // a pointer's target
};

bool known_type(MmdbType type) {
    const auto t = static_cast<unsigned>(type);
    return t >= 1 && t <= 15 && type != MmdbType::container && type != MmdbType::end_marker;
}

// A data section or the metadata: values and pointers are offsets into it.
class Section {
public:
    explicit Section(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    [[nodiscard]] bool header(std::uint32_t offset, Header& h) const {
        if (offset >= bytes_.size()) return false;
        core::ByteReader r(bytes_.subspan(offset));
        const std::uint8_t ctrl = r.u8();
        unsigned type = ctrl >> 5u;
        if (type == 0) type = 7u + r.u8();
        if (!r.ok()) return false;
        h.type = static_cast<MmdbType>(type);
        if (h.type == MmdbType::pointer) {
            const unsigned psize = ((ctrl >> 3u) & 3u) + 1u;
            const std::uint32_t high = ctrl & 7u;
            std::uint32_t p = 0;
            switch (psize) {
                case 1: p = (high << 8u) | r.u8(); break;
                case 2: p = ((high << 16u) | r.u16_be()) + 2048u; break;
                case 3: p = ((high << 24u) | r.u24_be()) + 526336u; break;
                default: p = r.u32_be(); break;
            }
            if (!r.ok()) return false;
            h.pointer = p;
            h.size = 0;
            h.payload = h.next = offset + static_cast<std::uint32_t>(r.offset());
            return true;
        }
        std::uint32_t size = ctrl & 31u;
        if (size == 29) size = 29u + r.u8();
        else if (size == 30) size = 285u + r.u16_be();
        else if (size == 31) size = 65821u + r.u24_be();
        if (!r.ok()) return false;
        h.size = size;
        h.payload = offset + static_cast<std::uint32_t>(r.offset());
        if (h.type == MmdbType::map || h.type == MmdbType::array || h.type == MmdbType::boolean) {
            h.next = h.payload;
            return true;
        }
        if (size > r.remaining()) return false;
        switch (h.type) {
            case MmdbType::uint16: if (size > 2) return false; break;
            case MmdbType::uint32:
            case MmdbType::int32: if (size > 4) return false; break;
            case MmdbType::uint64: if (size > 8) return false; break;
            case MmdbType::uint128: if (size > 16) return false; break;
            case MmdbType::float_: if (size != 4) return false; break;
            case MmdbType::double_: if (size != 8) return false; break;
            default: break;
        }
        h.next = h.payload + size;
        return true;
    }

    // The header at offset, a pointer replaced by its target (which may not
    // be a pointer itself: that is what keeps chains from looping).
    [[nodiscard]] bool follow(std::uint32_t offset, Header& h, std::uint32_t& at) const {
        if (!header(offset, h)) return false;
        at = offset;
        if (h.type != MmdbType::pointer) return true;
        at = h.pointer;
        return header(h.pointer, h) && h.type != MmdbType::pointer;
    }

    // The offset after the value at `offset` (members included, pointers not
    // followed). A map's keys are passed as single values, members never
    // looked into, as libmaxminddb passes them. Iterative: the open
    // containers sit on a small stack (on the heap only past 64 levels),
    // each level taking at least a byte of the section.
    [[nodiscard]] bool skip(std::uint32_t offset, std::uint32_t& next) const {
        struct Level {
            std::uint32_t left = 0;  // pairs of a map, members of an array
            bool map = false;
            bool key_next = false;
        };
        std::array<Level, 64> inline_levels{};
        std::vector<Level> more;
        std::size_t depth = 0;
        auto top = [&]() -> Level& {
            return depth <= inline_levels.size() ? inline_levels[depth - 1] : more[depth - 1 - inline_levels.size()];
        };
        std::uint32_t pos = offset;
        for (;;) {
            Header h;
            if (!header(pos, h)) return false;
            pos = h.next;
            bool is_key = false;
            if (depth > 0) {
                Level& t = top();
                if (t.map && t.key_next) {
                    is_key = true;
                    t.key_next = false;
                } else {
                    t.key_next = t.map;
                    --t.left;
                }
            }
            if (!is_key && (h.type == MmdbType::map || h.type == MmdbType::array) && h.size > 0) {
                if (h.size > bytes_.size()) return false;
                const Level level{h.size, h.type == MmdbType::map, h.type == MmdbType::map};
                if (depth < inline_levels.size()) {
                    inline_levels[depth] = level;
                } else {
                    more.push_back(level);
                }
                ++depth;
            }
            while (depth > 0 && top().left == 0) {
                if (depth > inline_levels.size()) more.pop_back();
                --depth;
            }
            if (depth == 0) break;
        }
        next = pos;
        return true;
    }

    [[nodiscard]] bool string_view_of(const Header& h, std::string_view& out) const {
        if (h.type != MmdbType::utf8_string) return false;
        out = std::string_view(reinterpret_cast<const char*>(bytes_.data()) + h.payload, h.size);
        return true;
    }

    [[nodiscard]] MmdbFound find(std::uint32_t offset, std::initializer_list<std::string_view> path) const {
        MmdbFound out;
        Header h;
        std::uint32_t at = 0;
        if (!follow(offset, h, at)) return {MmdbFound::Status::invalid};
        for (const std::string_view key : path) {
            if (h.type != MmdbType::map) return {MmdbFound::Status::absent};
            std::uint32_t pos = h.payload;
            bool matched = false;
            for (std::uint32_t i = 0; i < h.size; ++i) {
                Header kh;
                std::uint32_t kat = 0;
                if (!follow(pos, kh, kat)) return {MmdbFound::Status::invalid};
                std::string_view name;
                if (!string_view_of(kh, name)) return {MmdbFound::Status::invalid};
                Header raw;
                if (!header(pos, raw)) return {MmdbFound::Status::invalid};
                pos = raw.next;  // past the key as written (a pointer or the string)
                if (name == key) {
                    if (!follow(pos, h, at)) return {MmdbFound::Status::invalid};
                    matched = true;
                    break;
                }
                if (!skip(pos, pos)) return {MmdbFound::Status::invalid};
            }
            if (!matched) return {MmdbFound::Status::absent};
        }
        if (!known_type(h.type)) return {MmdbFound::Status::invalid};
        out.status = MmdbFound::Status::found;
        out.offset = at;
        out.type = h.type;
        return out;
    }

    [[nodiscard]] std::uint64_t uint_of(const Header& h) const {
        std::uint64_t v = 0;
        const std::uint32_t n = std::min<std::uint32_t>(h.size, 8);
        for (std::uint32_t i = h.size - n; i < h.size; ++i) v = (v << 8u) | bytes_[h.payload + i];
        return v;
    }

    bool decode(std::uint32_t offset, MmdbValue& out, std::size_t depth, std::size_t& budget,
                std::string& why) const {
        if (depth > MmdbReader::kMaxDepth) {
            why = "values nested deeper than " + std::to_string(MmdbReader::kMaxDepth) + " levels";
            return false;
        }
        if (budget == 0) {
            why = "more than " + std::to_string(MmdbReader::kMaxValues) + " values in one record";
            return false;
        }
        --budget;
        Header h;
        std::uint32_t at = 0;
        if (!follow(offset, h, at)) {
            why = "a damaged value at data offset " + std::to_string(offset);
            return false;
        }
        out.type = h.type;
        switch (h.type) {
            case MmdbType::utf8_string:
            case MmdbType::bytes:
                out.text.assign(reinterpret_cast<const char*>(bytes_.data()) + h.payload, h.size);
                return true;
            case MmdbType::uint16:
            case MmdbType::uint32:
            case MmdbType::uint64:
                out.uint = uint_of(h);
                return true;
            case MmdbType::uint128: {
                out.uint = uint_of(h);
                std::uint64_t high = 0;
                for (std::uint32_t i = 0; i + 8 < h.size; ++i) high = (high << 8u) | bytes_[h.payload + i];
                out.uint_high = high;
                return true;
            }
            case MmdbType::int32:
                out.int32 = static_cast<std::int32_t>(static_cast<std::uint32_t>(uint_of(h)));
                return true;
            case MmdbType::boolean:
                out.uint = h.size != 0 ? 1 : 0;
                return true;
            case MmdbType::float_: {
                const auto bits = static_cast<std::uint32_t>(uint_of(h));
                float f = 0;
                std::memcpy(&f, &bits, sizeof f);
                out.number = static_cast<double>(f);
                return true;
            }
            case MmdbType::double_: {
                const std::uint64_t bits = uint_of(h);
                std::memcpy(&out.number, &bits, sizeof out.number);
                return true;
            }
            case MmdbType::map:
            case MmdbType::array: {
                const bool map = h.type == MmdbType::map;
                // Members take a byte each at least: a size beyond the
                // section is a lie, refused before anything is reserved.
                if (h.size > bytes_.size()) {
                    why = "a container of " + std::to_string(h.size) + " members in " +
                          std::to_string(bytes_.size()) + " bytes";
                    return false;
                }
                std::uint32_t pos = h.payload;
                for (std::uint32_t i = 0; i < h.size; ++i) {
                    if (map) {
                        Header kh;
                        std::uint32_t kat = 0;
                        std::string_view name;
                        Header raw;
                        if (!follow(pos, kh, kat) || !string_view_of(kh, name) || !header(pos, raw)) {
                            why = "a map key that is not a string at data offset " + std::to_string(pos);
                            return false;
                        }
                        out.keys.emplace_back(name);
                        pos = raw.next;
                    }
                    MmdbValue member;
                    if (!decode(pos, member, depth + 1, budget, why)) return false;
                    out.items.push_back(std::move(member));
                    if (!skip(pos, pos)) {
                        why = "a damaged value at data offset " + std::to_string(pos);
                        return false;
                    }
                }
                return true;
            }
            default:
                why = "an unknown value type at data offset " + std::to_string(at);
                return false;
        }
    }

private:
    std::span<const std::uint8_t> bytes_;
};

Error damaged(const std::string& name, const std::string& what) {
    return Error{ErrorCode::bad_format, name + ": damaged MaxMind database (" + what + ")"};
}

}  // namespace

const MmdbValue* MmdbValue::get(std::string_view key) const {
    if (type != MmdbType::map) return nullptr;
    for (std::size_t i = 0; i < keys.size() && i < items.size(); ++i) {
        if (keys[i] == key) return &items[i];
    }
    return nullptr;
}

core::Result<MmdbReader> MmdbReader::open_file(const std::string& path) {
    const auto failure = [&](int e) {
        return Error{core::error_code_for_errno(e), path + ": " + std::strerror(e)};
    };
    const core::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return failure(errno);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return failure(errno);
    if (!S_ISREG(st.st_mode)) return Error{ErrorCode::bad_format, path + ": not a regular file"};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > kMaxFileSize) {
        return Error{ErrorCode::resource_exhausted,
                     path + ": larger than " + std::to_string(kMaxFileSize >> 20) + " MiB, not read"};
    }
    // Read whole, at its size: a copy in memory, so a database replaced or
    // truncated on disk while sockeye runs cannot pull pages from under a
    // lookup (as a mapping would, with SIGBUS).
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failure(errno);
        if (n == 0) break;  // shrank since fstat: what was read is checked as is
        done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
    return open_bytes(std::move(bytes), path);
}

core::Result<MmdbReader> MmdbReader::open_bytes(std::vector<std::uint8_t> bytes, std::string name) {
    MmdbReader db;
    db.bytes_ = std::move(bytes);
    db.name_ = std::move(name);
    const std::span<const std::uint8_t> all(db.bytes_);
    if (all.empty()) return damaged(db.name_, "empty file");
    if (all.size() > kMaxFileSize) return damaged(db.name_, "larger than 2 GiB");

    // The metadata starts after the last marker in the file's last 128 KiB.
    const std::size_t window = std::min(all.size(), kMetadataWindow);
    const auto tail = all.subspan(all.size() - window);
    std::size_t meta_start = 0;
    bool marker = false;
    for (auto it = tail.begin();;) {
        it = std::search(it, tail.end(), kMarker.begin(), kMarker.end());
        if (it == tail.end()) break;
        marker = true;
        it += static_cast<std::ptrdiff_t>(kMarker.size());
        meta_start = all.size() - window + static_cast<std::size_t>(it - tail.begin());
    }
    if (!marker) {
        return Error{ErrorCode::bad_format,
                     db.name_ + ": not a MaxMind database, or truncated (no metadata marker in its last 128 KiB)"};
    }

    const Section meta(all.subspan(meta_start));
    auto bad_key = [&](std::string_view key) {
        return damaged(db.name_, "metadata key '" + std::string(key) + "' missing or of the wrong type");
    };
    Header h;
    // Each key must be there with exactly its type (what libmaxminddb asks too).
    auto value = [&](std::string_view key, MmdbType type, Header& out) {
        const MmdbFound f = meta.find(0, {key});
        if (f.status != MmdbFound::Status::found || f.type != type) return false;
        std::uint32_t at = 0;
        return meta.follow(f.offset, out, at);
    };
    MmdbMetadata& m = db.metadata_;
    if (!value("node_count", MmdbType::uint32, h) || (m.node_count = static_cast<std::uint32_t>(meta.uint_of(h))) == 0) {
        return bad_key("node_count");
    }
    if (!value("record_size", MmdbType::uint16, h) || (m.record_size = static_cast<std::uint16_t>(meta.uint_of(h))) == 0) {
        return bad_key("record_size");
    }
    if (m.record_size != 24 && m.record_size != 28 && m.record_size != 32) {
        return Error{ErrorCode::unsupported, db.name_ + ": MaxMind database with " + std::to_string(m.record_size) +
                                                 "-bit records (only 24, 28 and 32 exist)"};
    }
    if (!value("ip_version", MmdbType::uint16, h)) return bad_key("ip_version");
    m.ip_version = static_cast<std::uint16_t>(meta.uint_of(h));
    if (m.ip_version != 4 && m.ip_version != 6) return bad_key("ip_version");
    std::string_view text;
    if (!value("database_type", MmdbType::utf8_string, h) || !meta.string_view_of(h, text)) {
        return bad_key("database_type");
    }
    m.database_type = std::string(text);
    MmdbValue list;
    std::size_t budget = kMaxValues;
    std::string why;
    const MmdbFound languages = meta.find(0, {"languages"});
    if (languages.status != MmdbFound::Status::found || languages.type != MmdbType::array ||
        !meta.decode(languages.offset, list, 0, budget, why)) {
        return bad_key("languages");
    }
    for (const MmdbValue& v : list.items) {
        if (v.type != MmdbType::utf8_string) return bad_key("languages");
        m.languages.push_back(v.text);
    }
    if (!value("binary_format_major_version", MmdbType::uint16, h) ||
        (m.format_major = static_cast<std::uint16_t>(meta.uint_of(h))) == 0) {
        return bad_key("binary_format_major_version");
    }
    if (!value("binary_format_minor_version", MmdbType::uint16, h)) return bad_key("binary_format_minor_version");
    m.format_minor = static_cast<std::uint16_t>(meta.uint_of(h));
    if (!value("build_epoch", MmdbType::uint64, h) || (m.build_epoch = meta.uint_of(h)) == 0) {
        return bad_key("build_epoch");
    }
    MmdbValue description;
    const MmdbFound desc = meta.find(0, {"description"});
    if (desc.status != MmdbFound::Status::found || desc.type != MmdbType::map ||
        !meta.decode(desc.offset, description, 0, budget, why)) {
        return bad_key("description");
    }
    for (std::size_t i = 0; i < description.items.size(); ++i) {
        if (description.items[i].type != MmdbType::utf8_string) return bad_key("description");
        if (description.keys[i] == "en") m.description_en = description.items[i].text;
    }
    if (m.format_major != 2) {
        return Error{ErrorCode::unsupported, db.name_ + ": MaxMind database format " + std::to_string(m.format_major) +
                                                 " (only format 2 is known)"};
    }

    const std::uint64_t tree = std::uint64_t{m.node_count} * (m.record_size / 4u);
    if (tree + kSeparator > all.size()) {
        return Error{ErrorCode::bad_format, db.name_ + ": truncated MaxMind database (its search tree needs " +
                                                std::to_string(tree + kSeparator) + " bytes, the file has " +
                                                std::to_string(all.size()) + ")"};
    }
    db.tree_size_ = static_cast<std::size_t>(tree);
    db.data_start_ = db.tree_size_ + kSeparator;
    db.data_size_ = static_cast<std::uint32_t>(all.size() - db.data_start_);
    if (db.data_size_ < 3) return damaged(db.name_, "no data section");

    if (m.ip_version == 6) {
        // IPv4 addresses live under ::/96: walk 96 zero bits once.
        std::uint32_t node = 0;
        std::uint16_t bits = 0;
        const std::size_t rec = m.record_size / 4u;
        for (; bits < 96 && node < m.node_count; ++bits) {
            const std::uint8_t* p = db.bytes_.data() + std::size_t{node} * rec;
            if (m.record_size == 28) {
                node = (std::uint32_t{p[0]} << 16u) | (std::uint32_t{p[1]} << 8u) | p[2] |
                       ((std::uint32_t{p[3]} & 0xF0u) << 20u);
            } else if (m.record_size == 24) {
                node = (std::uint32_t{p[0]} << 16u) | (std::uint32_t{p[1]} << 8u) | p[2];
            } else {
                node = (std::uint32_t{p[0]} << 24u) | (std::uint32_t{p[1]} << 16u) | (std::uint32_t{p[2]} << 8u) | p[3];
            }
        }
        db.ipv4_start_ = node;
        db.ipv4_depth_ = bits;
    }
    return db;
}

MmdbLookup MmdbReader::lookup(const core::IpAddress& address) const {
    MmdbLookup out;
    const MmdbMetadata& m = metadata_;
    std::array<std::uint8_t, 16> bits{};
    std::uint32_t node = 0;
    std::uint16_t bit = 0;
    const std::uint16_t depth = m.ip_version == 4 ? 32 : 128;
    if (address.is_v6()) {
        if (m.ip_version == 4) {
            out.status = MmdbLookup::Status::ipv6_in_ipv4_database;
            return out;
        }
        bits = address.bytes;
    } else if (m.ip_version == 4) {
        std::copy_n(address.bytes.begin(), 4, bits.begin());
    } else {
        std::copy_n(address.bytes.begin(), 4, bits.begin() + 12);
        node = ipv4_start_;
        bit = ipv4_depth_;
    }
    const std::size_t rec = m.record_size / 4u;
    for (; bit < depth && node < m.node_count; ++bit) {
        const bool right = ((static_cast<unsigned>(bits[bit >> 3u]) >> (7u - (bit & 7u))) & 1u) != 0;
        const std::uint8_t* p = bytes_.data() + std::size_t{node} * rec;
        switch (m.record_size) {
            case 24:
                p += right ? 3 : 0;
                node = (std::uint32_t{p[0]} << 16u) | (std::uint32_t{p[1]} << 8u) | p[2];
                break;
            case 28:
                if (right) {
                    node = ((std::uint32_t{p[3]} & 0x0Fu) << 24u) | (std::uint32_t{p[4]} << 16u) |
                           (std::uint32_t{p[5]} << 8u) | p[6];
                } else {
                    node = ((std::uint32_t{p[3]} & 0xF0u) << 20u) | (std::uint32_t{p[0]} << 16u) |
                           (std::uint32_t{p[1]} << 8u) | p[2];
                }
                break;
            default:
                p += right ? 4 : 0;
                node = (std::uint32_t{p[0]} << 24u) | (std::uint32_t{p[1]} << 16u) | (std::uint32_t{p[2]} << 8u) | p[3];
                break;
        }
    }
    out.prefix_len = bit;
    if (node == m.node_count) return out;
    const std::uint64_t past = std::uint64_t{node} - m.node_count;
    // A record points into the data section counting the 16-byte separator.
    // Like libmaxminddb, the bound is the data size without subtracting it:
    // the last 16 bytes are metadata in any real file, never a record.
    if (past < kSeparator || past >= data_size_) {
        out.status = MmdbLookup::Status::corrupt;
        return out;
    }
    out.status = MmdbLookup::Status::found;
    out.offset = static_cast<std::uint32_t>(past - kSeparator);
    return out;
}

MmdbFound MmdbReader::find(std::uint32_t offset, std::initializer_list<std::string_view> path) const {
    const Section data(std::span<const std::uint8_t>(bytes_).subspan(data_start_));
    return data.find(offset, path);
}

std::optional<std::string> MmdbReader::string_at(std::uint32_t offset,
                                                 std::initializer_list<std::string_view> path) const {
    const Section data(std::span<const std::uint8_t>(bytes_).subspan(data_start_));
    const MmdbFound f = data.find(offset, path);
    if (f.status != MmdbFound::Status::found || f.type != MmdbType::utf8_string) return std::nullopt;
    Header h;
    std::string_view text;
    if (!data.header(f.offset, h) || !data.string_view_of(h, text)) return std::nullopt;
    return std::string(text);
}

std::optional<std::uint64_t> MmdbReader::uint_at(std::uint32_t offset,
                                                 std::initializer_list<std::string_view> path) const {
    const Section data(std::span<const std::uint8_t>(bytes_).subspan(data_start_));
    const MmdbFound f = data.find(offset, path);
    if (f.status != MmdbFound::Status::found) return std::nullopt;
    if (f.type != MmdbType::uint16 && f.type != MmdbType::uint32 && f.type != MmdbType::uint64) return std::nullopt;
    Header h;
    if (!data.header(f.offset, h)) return std::nullopt;
    return data.uint_of(h);
}

core::Result<MmdbValue> MmdbReader::decode(std::uint32_t offset) const {
    const Section data(std::span<const std::uint8_t>(bytes_).subspan(data_start_));
    MmdbValue v;
    std::size_t budget = kMaxValues;
    std::string why;
    if (!data.decode(offset, v, 0, budget, why)) return damaged(name_, why);
    return v;
}

}  // namespace sockeye::geo
