// Frames from a pcap or pcapng file, via libpcap, with nanosecond timestamps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "capture/packet_source.hpp"
#include "capture/pcap_handle.hpp"

namespace sockeye::capture {

class FileSource final : public PacketSource {
public:
    // Opens `path` and installs `filter` (may be empty). On failure returns
    // nullptr and sets `error` to one line naming the file and the cause.
    static std::unique_ptr<FileSource> open(const std::string& path, const std::string& filter,
                                            std::string& error);

    NextStatus next(core::RawFrame& out) override;
    [[nodiscard]] int link_type() const override { return link_type_; }
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return path_; }
    void interrupt() override { pcap_breakloop(handle_.get()); }

    [[nodiscard]] std::uint64_t frames_read() const { return frames_read_; }
    // True once next() reported that the file ends in the middle of a record.
    [[nodiscard]] bool truncated() const { return truncated_; }

private:
    FileSource(PcapHandle handle, std::string path);

    PcapHandle handle_;
    std::string path_;
    std::string error_;
    int link_type_ = 0;
    std::uint64_t frames_read_ = 0;
    bool truncated_ = false;
};

}  // namespace sockeye::capture
