// A pcap-filter expression applied to frames read without libpcap (pcapng),
// compiled once per link type, since one file may hold several.
#pragma once

#include <pcap/pcap.h>

#include <memory>
#include <string>
#include <vector>

#include "core/raw_frame.hpp"
#include "core/result.hpp"

namespace sockeye::capture {

class OfflineFilter {
public:
    // Compiles `expression` for `link_type` (the first interface's) so a bad
    // expression is reported at once (ErrorCode::bad_filter).
    static core::Result<std::unique_ptr<OfflineFilter>> compile(const std::string& expression,
                                                                int link_type);
    ~OfflineFilter();
    OfflineFilter(const OfflineFilter&) = delete;
    OfflineFilter& operator=(const OfflineFilter&) = delete;

    // Whether the filter accepts `frame` (of link type frame.link_type). A
    // link type the expression does not compile for accepts nothing: "ether
    // host X" cannot match a raw IP frame.
    bool matches(const core::RawFrame& frame);

private:
    struct Program {
        int link_type = 0;
        bool compiled = false;
        bpf_program code{};
    };
    explicit OfflineFilter(std::string expression) : expression_(std::move(expression)) {}
    // The program for `link_type`, compiled on first use; the error is
    // reported by the call that compiled it, later calls get the entry with
    // `compiled` false.
    core::Result<Program*> program_for(int link_type);

    std::string expression_;
    std::vector<Program> programs_;  // one per link type seen, a handful at most
};

}  // namespace sockeye::capture
