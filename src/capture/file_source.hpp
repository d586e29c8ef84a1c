// Frames from a pcap or pcapng file, or a pipe carrying one, with
// nanosecond timestamps. Classic pcap goes through sockeye's own reader
// (pcap_reader.hpp: frames in place, no copy), except for the few link types
// whose frames libpcap rewrites, which libpcap reads; pcapng through
// pcapng_reader.hpp, which keeps each interface's link type where libpcap
// would refuse a file whose interfaces differ.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "capture/byte_input.hpp"
#include "capture/offline_filter.hpp"
#include "capture/packet_source.hpp"
#include "capture/pcap_handle.hpp"
#include "capture/pcap_reader.hpp"
#include "capture/pcapng_reader.hpp"
#include "core/result.hpp"

namespace sockeye::capture {

class FileSource final : public PacketSource {
public:
    // Opens `path` ("-" is standard input; pipes and other streams work, as
    // nothing seeks) and installs `filter` (may be empty). The error's
    // message is one line naming the file and the cause; a filter that does
    // not compile is ErrorCode::bad_filter.
    static core::Result<std::unique_ptr<FileSource>> open(const std::string& path,
                                                          const std::string& filter);
    ~FileSource() override;

    NextStatus next(core::RawFrame& out) override;
    // pcap files without a filter: the records that follow in the read
    // buffer (see PcapReader::next_is_buffered).
    NextStatus next_batch(std::span<core::RawFrame> out, std::size_t& count) override;
    // The link type of the file (pcap) or of its first interface (pcapng;
    // frames carry their own); -1 for a pcapng file that describes none.
    [[nodiscard]] int link_type() const override { return link_type_; }
    [[nodiscard]] const std::string& error() const override { return error_; }
    [[nodiscard]] const std::string& name() const override { return path_; }
    void interrupt() override;

    [[nodiscard]] std::uint64_t frames_read() const { return frames_read_; }
    // True once next() reported that the file ends in the middle of a record.
    [[nodiscard]] bool truncated() const { return truncated_; }

private:
    explicit FileSource(std::string path) : path_(std::move(path)) {}
    core::Result<void> open_pcap(std::unique_ptr<FdInput> input, const std::string& filter);
    core::Result<void> open_libpcap(std::unique_ptr<FdInput> input, const std::string& filter);
    core::Result<void> open_pcapng(std::unique_ptr<FdInput> input, const std::string& filter);
    core::Result<void> install_offline_filter(const std::string& filter, int link_type);
    NextStatus next_pcap(core::RawFrame& out);
    NextStatus next_libpcap(core::RawFrame& out);
    NextStatus next_pcapng(core::RawFrame& out);
    NextStatus fail_truncated(std::uint64_t offset, const std::string& detail);

    std::string path_;
    std::string error_;
    int link_type_ = 0;
    std::uint64_t frames_read_ = 0;
    bool truncated_ = false;
    std::atomic<bool> stop_{false};  // interrupt(): ends a read a signal broke off
    // Classic pcap whose frames libpcap rewrites: libpcap reads a stdio
    // stream over the input.
    PcapHandle handle_;
    // Everything else: sockeye's readers over the input.
    std::unique_ptr<FdInput> input_;
    std::unique_ptr<PcapReader> pcap_;
    std::unique_ptr<PcapngReader> pcapng_;
    std::unique_ptr<OfflineFilter> filter_;
};

}  // namespace sockeye::capture
