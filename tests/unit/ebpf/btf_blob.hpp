// Builds small BTF blobs for tests: header, type section, string section,
// in the kernel's documented layout (Documentation/bpf/btf.rst).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sockeye::ebpf::test {

class BtfBlob {
public:
    BtfBlob() { strings_.push_back(0); }

    std::uint32_t str(const std::string& s) {
        if (s.empty()) return 0;
        const auto off = static_cast<std::uint32_t>(strings_.size());
        strings_.insert(strings_.end(), s.begin(), s.end());
        strings_.push_back(0);
        return off;
    }
    // Returns the new type's id.
    std::uint32_t type(const std::string& name, std::uint32_t kind, std::uint32_t vlen,
                       std::uint32_t size_or_type, bool kind_flag = false) {
        u32(types_, str(name));
        u32(types_, (kind << 24) | vlen | (kind_flag ? 0x80000000u : 0u));
        u32(types_, size_or_type);
        return ++count_;
    }
    std::uint32_t integer(const std::string& name, std::uint32_t bytes) {
        const auto id = type(name, 1, 0, bytes);
        u32(types_, bytes * 8);  // encoding 0, offset 0, bits
        return id;
    }
    void member(const std::string& name, std::uint32_t type_id, std::uint32_t bit_offset) {
        u32(types_, str(name));
        u32(types_, type_id);
        u32(types_, bit_offset);
    }
    void raw_u32(std::uint32_t v) { u32(types_, v); }

    std::vector<std::uint8_t> bytes(std::uint16_t magic = 0xeb9f) const {
        std::vector<std::uint8_t> out;
        out.push_back(static_cast<std::uint8_t>(magic & 0xff));
        out.push_back(static_cast<std::uint8_t>(magic >> 8));
        out.push_back(1);  // version
        out.push_back(0);  // flags
        u32(out, 24);      // hdr_len
        u32(out, 0);       // type_off
        u32(out, static_cast<std::uint32_t>(types_.size()));
        u32(out, static_cast<std::uint32_t>(types_.size()));  // str_off
        u32(out, static_cast<std::uint32_t>(strings_.size()));
        out.insert(out.end(), types_.begin(), types_.end());
        out.insert(out.end(), strings_.begin(), strings_.end());
        return out;
    }

private:
    static void u32(std::vector<std::uint8_t>& v, std::uint32_t x) {
        for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
    }
    std::vector<std::uint8_t> types_;
    std::vector<std::uint8_t> strings_;
    std::uint32_t count_ = 0;
};

}  // namespace sockeye::ebpf::test
