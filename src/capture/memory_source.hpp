// Frames held in memory: a capture file loaded once and replayed, so a
// benchmark measures the engine and not the disk. Same interface as the
// live and file sources.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture/packet_source.hpp"

namespace sockeye::capture {

class MemorySource final : public PacketSource {
public:
    // Reads every frame of `source` into memory (stops at its end or error).
    static std::unique_ptr<MemorySource> load(PacketSource& source);

    NextStatus next(core::RawFrame& out) override;
    // Every frame stays valid while the source lives.
    NextStatus next_batch(std::span<core::RawFrame> out, std::size_t& count) override;
    [[nodiscard]] int link_type() const override { return link_type_; }
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return name_; }

    // Starts the replay over from the first frame.
    void rewind() { cursor_ = 0; }
    [[nodiscard]] std::size_t frame_count() const { return frames_.size(); }
    [[nodiscard]] std::size_t byte_count() const { return data_.size(); }

private:
    struct Frame {
        std::int64_t ts_ns;
        std::uint32_t wire_len;
        std::uint32_t cap_len;
        std::size_t offset;
        int link_type;
    };

    std::vector<std::uint8_t> data_;
    std::vector<Frame> frames_;
    std::size_t cursor_ = 0;
    int link_type_ = 0;
    std::string name_;
    std::string error_;  // the loading source's error, if it ended with one
};

}  // namespace sockeye::capture
