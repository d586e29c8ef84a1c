// A small IPFIX decoder for the tests: it learns templates from the wire
// (not from the encoder's tables) and reads data records with them, so the
// tests check what a collector would see.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/byte_reader.hpp"

namespace sockeye::exports::testing {

struct DecodedField {
    std::uint16_t id = 0;  // without the enterprise bit
    std::uint16_t length = 0;
    std::uint32_t pen = 0;
    bool operator==(const DecodedField&) const = default;
};

struct DecodedRecord {
    std::uint16_t template_id = 0;
    // (pen, id) -> raw value bytes
    std::map<std::pair<std::uint32_t, std::uint16_t>, std::vector<std::uint8_t>> values;

    [[nodiscard]] std::uint64_t number(std::uint16_t id, std::uint32_t pen = 0) const {
        const auto it = values.find({pen, id});
        if (it == values.end()) return ~std::uint64_t{0};
        std::uint64_t v = 0;
        for (auto b : it->second) v = v << 8 | b;
        return v;
    }
    [[nodiscard]] std::string text(std::uint16_t id, std::uint32_t pen) const {
        const auto it = values.find({pen, id});
        if (it == values.end()) return "<absent>";
        return std::string(it->second.begin(), it->second.end());
    }
    [[nodiscard]] std::vector<std::uint8_t> bytes(std::uint16_t id, std::uint32_t pen = 0) const {
        const auto it = values.find({pen, id});
        return it == values.end() ? std::vector<std::uint8_t>{} : it->second;
    }
};

struct DecodedSet {
    std::uint16_t id = 0;
    std::uint16_t length = 0;
    std::size_t padding = 0;  // bytes after the last record
};

struct DecodedMessage {
    std::uint16_t version = 0;
    std::uint16_t length = 0;
    std::uint32_t export_time = 0;
    std::uint32_t sequence = 0;
    std::uint32_t domain = 0;
    std::vector<DecodedSet> sets;
    std::vector<DecodedRecord> records;
    bool had_templates = false;
};

class TestDecoder {
public:
    std::map<std::uint16_t, std::vector<DecodedField>> templates;

    // Empty with `error` set when anything is malformed.
    std::optional<DecodedMessage> decode(std::span<const std::uint8_t> bytes, std::string& error) {
        core::ByteReader r(bytes);
        DecodedMessage m;
        m.version = r.u16_be();
        m.length = r.u16_be();
        m.export_time = r.u32_be();
        m.sequence = r.u32_be();
        m.domain = r.u32_be();
        if (!r.ok() || m.length != bytes.size()) {
            error = "message header / length";
            return std::nullopt;
        }
        while (!r.empty()) {
            DecodedSet set;
            set.id = r.u16_be();
            set.length = r.u16_be();
            if (!r.ok() || set.length < 4 || !r.has(set.length - 4u)) {
                error = "set header / length";
                return std::nullopt;
            }
            core::ByteReader body(r.take(set.length - 4u));
            if (set.id == 2) {
                m.had_templates = true;
                if (!read_templates(body, error)) return std::nullopt;
            } else if (set.id >= 256) {
                if (!read_data(set.id, body, m, set.padding, error)) return std::nullopt;
            } else {
                error = "unexpected set id";
                return std::nullopt;
            }
            m.sets.push_back(set);
        }
        return m;
    }

private:
    bool read_templates(core::ByteReader& body, std::string& error) {
        while (body.remaining() >= 4) {
            const std::uint16_t id = body.u16_be();
            const std::uint16_t count = body.u16_be();
            std::vector<DecodedField> fields;
            for (std::uint16_t i = 0; i < count; ++i) {
                DecodedField f;
                const std::uint16_t raw = body.u16_be();
                f.length = body.u16_be();
                f.id = raw & 0x7FFF;
                if ((raw & 0x8000) != 0) f.pen = body.u32_be();
                fields.push_back(f);
            }
            if (!body.ok()) {
                error = "template truncated";
                return false;
            }
            templates[id] = fields;
        }
        return body.empty();
    }

    bool read_data(std::uint16_t id, core::ByteReader& body, DecodedMessage& m, std::size_t& padding,
                   std::string& error) {
        const auto t = templates.find(id);
        if (t == templates.end()) {
            error = "data set before its template";
            return false;
        }
        // A record is at least its fixed-length fields: fewer bytes left is padding.
        std::size_t min_record = 0;
        for (const auto& f : t->second) min_record += f.length == 0xFFFF ? 1 : f.length;
        while (body.remaining() >= min_record) {
            DecodedRecord rec;
            rec.template_id = id;
            for (const auto& f : t->second) {
                std::size_t n = f.length;
                if (f.length == 0xFFFF) {
                    n = body.u8();
                    if (n == 255) n = body.u16_be();
                }
                const auto v = body.take(n);
                rec.values[{f.pen, f.id}] = std::vector<std::uint8_t>(v.begin(), v.end());
            }
            if (!body.ok()) {
                error = "record truncated";
                return false;
            }
            m.records.push_back(std::move(rec));
        }
        padding = body.remaining();
        for (auto b : body.rest()) {
            if (b != 0) {
                error = "non-zero padding";
                return false;
            }
        }
        return true;
    }
};

inline std::span<const std::uint8_t> as_bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace sockeye::exports::testing
