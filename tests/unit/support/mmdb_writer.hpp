// Builds small MaxMind DB files for tests: values of every data-section
// type, a search tree of any record size, the metadata. Written from the
// format's description so that reader tests do not depend on vendor files;
// the oracle tests use real files.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sockeye::test::mmdb {

using Bytes = std::vector<std::uint8_t>;

inline Bytes control(unsigned type, std::uint32_t size) {
    Bytes out;
    const unsigned t = type <= 7 ? type : 0;
    std::uint8_t ctrl = static_cast<std::uint8_t>(t << 5u);
    Bytes ext;
    if (size < 29) {
        ctrl |= static_cast<std::uint8_t>(size);
    } else if (size < 285) {
        ctrl |= 29;
        ext = {static_cast<std::uint8_t>(size - 29)};
    } else if (size < 65821) {
        ctrl |= 30;
        const std::uint32_t v = size - 285;
        ext = {static_cast<std::uint8_t>(v >> 8u), static_cast<std::uint8_t>(v)};
    } else {
        ctrl |= 31;
        const std::uint32_t v = size - 65821;
        ext = {static_cast<std::uint8_t>(v >> 16u), static_cast<std::uint8_t>(v >> 8u), static_cast<std::uint8_t>(v)};
    }
    out.push_back(ctrl);
    if (type > 7) out.push_back(static_cast<std::uint8_t>(type - 7));
    out.insert(out.end(), ext.begin(), ext.end());
    return out;
}

inline Bytes cat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline Bytes str(std::string_view s) {
    Bytes out = control(2, static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
    return out;
}
inline Bytes bytes(const Bytes& b) { return cat(control(4, static_cast<std::uint32_t>(b.size())), b); }

// Unsigned integers in the fewest bytes, as writers store them.
inline Bytes uint_of(unsigned type, std::uint64_t v) {
    Bytes digits;
    while (v != 0) {
        digits.insert(digits.begin(), static_cast<std::uint8_t>(v));
        v >>= 8u;
    }
    return cat(control(type, static_cast<std::uint32_t>(digits.size())), digits);
}
inline Bytes u16(std::uint16_t v) { return uint_of(5, v); }
inline Bytes u32(std::uint32_t v) { return uint_of(6, v); }
inline Bytes u64(std::uint64_t v) { return uint_of(9, v); }
inline Bytes u128(std::uint64_t high, std::uint64_t low) {
    Bytes out = control(10, 16);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(high >> (8 * i)));
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(low >> (8 * i)));
    return out;
}
inline Bytes i32(std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    return cat(control(8, 4), Bytes{static_cast<std::uint8_t>(u >> 24u), static_cast<std::uint8_t>(u >> 16u),
                                    static_cast<std::uint8_t>(u >> 8u), static_cast<std::uint8_t>(u)});
}
inline Bytes dbl(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, 8);
    Bytes out = control(3, 8);
    for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
    return out;
}
inline Bytes flt(float f) {
    std::uint32_t u = 0;
    std::memcpy(&u, &f, 4);
    Bytes out = control(15, 4);
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
    return out;
}
inline Bytes boolean(bool b) { return control(14, b ? 1 : 0); }

inline Bytes map(const std::vector<std::pair<Bytes, Bytes>>& pairs) {
    Bytes out = control(7, static_cast<std::uint32_t>(pairs.size()));
    for (const auto& [k, v] : pairs) {
        out = cat(out, k);
        out = cat(out, v);
    }
    return out;
}
// A map whose keys are plain strings.
inline Bytes smap(const std::vector<std::pair<std::string, Bytes>>& pairs) {
    std::vector<std::pair<Bytes, Bytes>> p;
    for (const auto& [k, v] : pairs) p.emplace_back(str(k), v);
    return map(p);
}
inline Bytes array(const std::vector<Bytes>& items) {
    Bytes out = control(11, static_cast<std::uint32_t>(items.size()));
    for (const Bytes& i : items) out = cat(out, i);
    return out;
}

// A pointer of `size` bytes (1-4) to data-section offset `target`.
inline Bytes pointer(std::uint32_t target, int size) {
    Bytes out;
    switch (size) {
        case 1:
            out = {static_cast<std::uint8_t>(0x20u | ((target >> 8u) & 7u)), static_cast<std::uint8_t>(target)};
            break;
        case 2: {
            const std::uint32_t v = target - 2048;
            out = {static_cast<std::uint8_t>(0x28u | ((v >> 16u) & 7u)), static_cast<std::uint8_t>(v >> 8u),
                   static_cast<std::uint8_t>(v)};
            break;
        }
        case 3: {
            const std::uint32_t v = target - 526336;
            out = {static_cast<std::uint8_t>(0x30u | ((v >> 24u) & 7u)), static_cast<std::uint8_t>(v >> 16u),
                   static_cast<std::uint8_t>(v >> 8u), static_cast<std::uint8_t>(v)};
            break;
        }
        default:
            out = {0x38, static_cast<std::uint8_t>(target >> 24u), static_cast<std::uint8_t>(target >> 16u),
                   static_cast<std::uint8_t>(target >> 8u), static_cast<std::uint8_t>(target)};
            break;
    }
    return out;
}

// The metadata map; tests change or drop entries to make it wrong.
struct Metadata {
    std::vector<std::pair<std::string, Bytes>> entries;

    Metadata(std::uint32_t node_count, std::uint16_t record_size, std::uint16_t ip_version, std::string_view type) {
        entries = {
            {"node_count", u32(node_count)},
            {"record_size", u16(record_size)},
            {"ip_version", u16(ip_version)},
            {"database_type", str(type)},
            {"languages", array({str("en")})},
            {"binary_format_major_version", u16(2)},
            {"binary_format_minor_version", u16(0)},
            {"build_epoch", u64(1700000000)},
            {"description", smap({{"en", str("test database")}})},
        };
    }
    void set(const std::string& key, Bytes value) {
        for (auto& [k, v] : entries) {
            if (k == key) {
                v = std::move(value);
                return;
            }
        }
        entries.emplace_back(key, std::move(value));
    }
    void drop(const std::string& key) {
        std::erase_if(entries, [&](const auto& e) { return e.first == key; });
    }
    [[nodiscard]] Bytes encode() const { return smap(entries); }
};

inline const Bytes& marker() {
    static const Bytes m = {0xAB, 0xCD, 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
    return m;
}

// A search tree built from networks, each leading to a data-section offset
// (prefixes are 4 bytes for an IPv4 tree, 16 for an IPv6 one).
class Tree {
public:
    Tree() { nodes_.push_back({}); }

    void insert(const Bytes& prefix, unsigned prefix_len, std::uint32_t data_offset) {
        std::size_t node = 0;
        for (unsigned bit = 0; bit < prefix_len; ++bit) {
            const bool right = ((static_cast<unsigned>(prefix[bit / 8]) >> (7u - bit % 8)) & 1u) != 0;
            Record& rec = right ? nodes_[node].right : nodes_[node].left;
            if (bit + 1 == prefix_len) {
                rec = {Record::data, data_offset};
                return;
            }
            if (rec.kind != Record::node) {
                rec = {Record::node, static_cast<std::uint32_t>(nodes_.size())};
                nodes_.push_back({});
                // nodes_ may have moved: look the record up again next round.
            }
            node = (right ? nodes_[node].right : nodes_[node].left).value;
        }
    }
    // An IPv4 network in an IPv6 tree, under ::/96.
    void insert_v4_in_v6(const Bytes& four, unsigned prefix_len, std::uint32_t data_offset) {
        Bytes sixteen(12, 0);
        sixteen.insert(sixteen.end(), four.begin(), four.end());
        insert(sixteen, 96 + prefix_len, data_offset);
    }

    [[nodiscard]] std::uint32_t node_count() const { return static_cast<std::uint32_t>(nodes_.size()); }

    [[nodiscard]] Bytes encode(std::uint16_t record_size) const {
        const auto n = node_count();
        auto value = [&](const Record& r) -> std::uint32_t {
            switch (r.kind) {
                case Record::node: return r.value;
                case Record::data: return n + 16 + r.value;
                default: return n;
            }
        };
        Bytes out;
        for (const Node& node : nodes_) {
            const std::uint32_t l = value(node.left);
            const std::uint32_t r = value(node.right);
            if (record_size == 24) {
                for (const std::uint32_t v : {l, r}) {
                    out.push_back(static_cast<std::uint8_t>(v >> 16u));
                    out.push_back(static_cast<std::uint8_t>(v >> 8u));
                    out.push_back(static_cast<std::uint8_t>(v));
                }
            } else if (record_size == 28) {
                out.push_back(static_cast<std::uint8_t>(l >> 16u));
                out.push_back(static_cast<std::uint8_t>(l >> 8u));
                out.push_back(static_cast<std::uint8_t>(l));
                out.push_back(static_cast<std::uint8_t>(((l >> 20u) & 0xF0u) | ((r >> 24u) & 0x0Fu)));
                out.push_back(static_cast<std::uint8_t>(r >> 16u));
                out.push_back(static_cast<std::uint8_t>(r >> 8u));
                out.push_back(static_cast<std::uint8_t>(r));
            } else {
                for (const std::uint32_t v : {l, r}) {
                    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
                }
            }
        }
        return out;
    }

private:
    struct Record {
        enum Kind : std::uint8_t { empty, node, data } kind = empty;
        std::uint32_t value = 0;
    };
    struct Node {
        Record left, right;
    };
    std::vector<Node> nodes_;
};

// tree + 16 zero bytes + data + marker + metadata.
inline Bytes file(const Bytes& tree, const Bytes& data, const Bytes& metadata) {
    Bytes out = tree;
    out.insert(out.end(), 16, 0);
    out = cat(out, data);
    out = cat(out, marker());
    return cat(out, metadata);
}

// A whole database from a tree and its data section.
inline Bytes database(const Tree& tree, std::uint16_t record_size, std::uint16_t ip_version, const Bytes& data,
                      std::string_view type = "Test-Country") {
    const Metadata m(tree.node_count(), record_size, ip_version, type);
    return file(tree.encode(record_size), data, m.encode());
}

}  // namespace sockeye::test::mmdb
