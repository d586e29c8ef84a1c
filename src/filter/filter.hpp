// The connection filter language of the terminal UI (and --filter-flows):
// keywords (port, sport, dport, src, dst, proto, process, sni/host, app,
// state, service), bare words, `and`/`or`/`not`/`!`, parentheses, numeric
// comparisons (bytes>1M, rtt>100ms, rate>10k) and /regex/.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "snapshot/flow_record.hpp"

namespace sockeye::filter {

struct FilterError {
    std::string message;    // one line, e.g. "unknown keyword 'prot'"
    std::size_t position = 0;  // byte offset in the text where it went wrong
};

class Filter {
public:
    Filter();  // matches everything
    [[nodiscard]] bool matches(const snapshot::FlowRecord& flow) const;
    [[nodiscard]] bool matches_everything() const;
    [[nodiscard]] const std::string& text() const { return text_; }

    struct Node;  // the compiled expression (filter.cpp)

private:
    friend struct Compiler;
    std::shared_ptr<const Node> root_;
    std::string text_;
};

struct CompileResult {
    std::optional<Filter> filter;  // set on success
    FilterError error;             // set on failure
};

// An empty or all-blank text compiles to the match-everything filter.
CompileResult compile(std::string_view text);

}  // namespace sockeye::filter
