// The connection filter language of the terminal UI (and --filter-flows):
// keywords (port, sport, dport, src, dst, proto, process, sni/host, app,
// state, service), bare words, `and`/`or`/`not`/`!`, parentheses, numeric
// comparisons (bytes>1M, rtt>100ms, rate>10k) and /regex/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "snapshot/flow_record.hpp"

namespace sockeye::filter {

// What the lexer and parser report; compile() passes it on as a
// core::Error whose message is describe() of it.
struct FilterError {
    std::string message;    // one line, e.g. "unknown keyword 'prot'"
    std::size_t position = 0;  // byte offset in the text where it went wrong
};

class Filter {
public:
    Filter();  // matches everything
    [[nodiscard]] bool matches(const snapshot::FlowRecord& flow) const;
    // As matches(), with `age` and `idle` counted up to `now_ns` (the
    // snapshot's time); matches() counts them up to the flow's last packet.
    [[nodiscard]] bool matches_at(const snapshot::FlowRecord& flow, std::int64_t now_ns) const;
    [[nodiscard]] bool matches_everything() const;
    // Whether the expression looks at the flow's process (its name, user,
    // pid, uid, container or pod): a live flow whose owner is still being
    // looked up cannot be judged yet.
    [[nodiscard]] bool reads_process() const;
    // Whether it looks at anything the packets alone do not tell: the
    // process, the remote's name, place, network or vendor, the kernel's
    // RTT (a bare word reads the process and the name).
    [[nodiscard]] bool reads_enrichment() const;
    [[nodiscard]] const std::string& text() const { return text_; }

    struct Node;  // the compiled expression (filter.cpp)

private:
    friend struct Compiler;
    std::shared_ptr<const Node> root_;
    std::string text_;
};

// Limits that keep a hostile or pasted filter cheap to compile and run.
inline constexpr std::size_t kMaxFilterLength = 4096;

// An empty or all-blank text compiles to the match-everything filter.
// Never throws. A text that does not compile is ErrorCode::bad_filter with
// describe() of the parser's error as the message, one line for a status
// bar or a config message.
core::Result<Filter> compile(std::string_view text);

// "unknown keyword 'prot' at 0": the message names the byte offset last.
std::string describe(const FilterError& error);

// The keywords the language knows, space separated (for help texts).
std::string_view keywords();

}  // namespace sockeye::filter
