// How a filter term compares text: case-insensitive substring, whole value,
// or a /regex/ compiled once when the filter is compiled.
#pragma once

#include <cstddef>
#include <memory>
#include <regex>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sockeye::filter {

// The longest /regex/ accepted: std::regex builds an automaton per pattern
// and backtracks, so a long pattern is a cost the UI pays on every row.
inline constexpr std::size_t kMaxRegexLength = 256;

class TextMatcher {
public:
    enum class Mode : std::uint8_t { contains, exact, regex };

    TextMatcher() = default;  // contains "": matches anything
    static TextMatcher contains(std::string_view needle);
    static TextMatcher exact(std::string_view value);
    // A pattern that is unsafe or does not compile is ErrorCode::bad_filter,
    // one line, with `error_offset` the byte inside the pattern it refers to
    // (0 when unknown).
    static core::Result<TextMatcher> regex(std::string_view pattern, std::size_t& error_offset);

    [[nodiscard]] bool matches(std::string_view text) const;
    // For identifiers people shorten from the left (container ids): a
    // contains matcher matches a prefix of `text` only; exact and regex
    // matchers as matches().
    [[nodiscard]] bool matches_prefix(std::string_view text) const;
    [[nodiscard]] Mode mode() const { return mode_; }

private:
    Mode mode_ = Mode::contains;
    std::string needle_;  // lower case (contains, exact)
    std::shared_ptr<const std::regex> regex_;
};

// Rejects patterns std::regex may take exponential (or high polynomial) time
// on: back-references; repetition of a group that itself holds a quantifier
// or an alternation — `(a+)+`, `(a?)*`, `(a|aa)*`; a quantifier right after
// another — `.**`; more than a handful of quantifiers. Fails (bad_filter,
// `error_offset` set) when the pattern is not acceptable.
core::Result<void> check_regex_safety(std::string_view pattern, std::size_t& error_offset);

}  // namespace sockeye::filter
