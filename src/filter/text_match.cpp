#include "filter/text_match.hpp"

#include <vector>

#include "filter/values.hpp"

namespace sockeye::filter {
namespace {

// Repetition counts above this build huge automata in std::regex.
constexpr unsigned long kMaxRepeatCount = 1000;

// std::regex backtracks: the time of a failing match grows like the subject
// length to the power of the number of quantifiers. Fields are short (names,
// domains up to 253 bytes, addresses); these caps bound the rest.
constexpr std::size_t kMaxRegexSubject = 256;
constexpr int kMaxQuantifiers = 6;
constexpr int kMaxRepeatingQuantifiers = 3;  // *, +, {n,}, {n,m} with m > 1

bool contains_folded(std::string_view haystack, std::string_view lowered_needle) {
    if (lowered_needle.empty()) return true;
    if (lowered_needle.size() > haystack.size()) return false;
    const std::size_t last = haystack.size() - lowered_needle.size();
    for (std::size_t i = 0; i <= last; ++i) {
        std::size_t j = 0;
        while (j < lowered_needle.size() && ascii_lower(haystack[i + j]) == lowered_needle[j]) ++j;
        if (j == lowered_needle.size()) return true;
    }
    return false;
}

bool equals_folded(std::string_view text, std::string_view lowered) {
    if (text.size() != lowered.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (ascii_lower(text[i]) != lowered[i]) return false;
    }
    return true;
}

struct Quantifier {
    std::size_t length = 0;  // 0: none here
    bool repeats = false;    // may match more than once
    bool too_large = false;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

unsigned long saturated_digit(unsigned long value, char digit) {
    if (value > kMaxRepeatCount) return value;
    return value * 10 + static_cast<unsigned long>(digit - '0');
}

// A quantifier at `i`: *, +, ?, {n}, {n,}, {n,m}, each maybe followed by a
// lazy `?`.
Quantifier quantifier_at(std::string_view p, std::size_t i) {
    Quantifier q;
    if (i >= p.size()) return q;
    const char c = p[i];
    if (c == '*' || c == '+') {
        q.length = 1;
        q.repeats = true;
    } else if (c == '?') {
        q.length = 1;
    } else if (c == '{') {
        std::size_t j = i + 1;
        unsigned long low = 0, high = 0;
        bool any = false;
        // Every digit is consumed (saturating), so a long count with leading
        // zeros cannot slip past as a literal '{' into std::regex, whose own
        // count parser overflows.
        while (j < p.size() && is_digit(p[j])) {
            low = saturated_digit(low, p[j++]);
            any = true;
        }
        if (!any) return q;  // a literal '{'
        high = low;
        bool unbounded = false;
        if (j < p.size() && p[j] == ',') {
            ++j;
            if (j < p.size() && is_digit(p[j])) {
                high = 0;
                while (j < p.size() && is_digit(p[j])) high = saturated_digit(high, p[j++]);
            } else {
                unbounded = true;
            }
        }
        // Too large even when the braces are malformed: std::regex reads the
        // count before it notices.
        q.too_large = low > kMaxRepeatCount || high > kMaxRepeatCount;
        if (j >= p.size() || p[j] != '}') return q;
        q.length = j + 1 - i;
        q.repeats = unbounded || high > 1;
        q.too_large = low > kMaxRepeatCount || high > kMaxRepeatCount;
    }
    if (q.length != 0 && i + q.length < p.size() && p[i + q.length] == '?') ++q.length;
    return q;
}

// The index after a [...] class starting at `i` (ECMAScript: `[]` is an
// empty class, a ']' always closes); p.size() when unterminated (std::regex
// then reports it).
std::size_t skip_class(std::string_view p, std::size_t i) {
    std::size_t j = i + 1;
    if (j < p.size() && p[j] == '^') ++j;
    while (j < p.size() && p[j] != ']') {
        if (p[j] == '\\') ++j;
        ++j;
    }
    return j < p.size() ? j + 1 : p.size();
}

// The offset of a range whose end comes before its start ("[z-a]") in the
// class starting at `i`, or npos. libstdc++'s std::regex refuses it, libc++'s
// (the static musl build) reads it as an empty range: checked here so both
// builds accept the same filters. Escaped endpoints are left to std::regex.
std::size_t reversed_range_in_class(std::string_view p, std::size_t i) {
    const std::size_t end = skip_class(p, i);
    std::size_t j = i + 1;
    if (j < end && p[j] == '^') ++j;
    while (j < end && p[j] != ']') {
        if (p[j] == '\\') {
            j += 2;
            continue;
        }
        const bool range = j + 2 < end && p[j + 1] == '-' && p[j + 2] != ']' && p[j + 2] != '\\';
        if (!range) {
            ++j;
            continue;
        }
        if (static_cast<unsigned char>(p[j + 2]) < static_cast<unsigned char>(p[j])) return j;
        j += 3;
    }
    return std::string_view::npos;
}

struct Group {
    bool quantified_inside = false;  // any quantifier, `?` included: (a?)* loops too
    bool alternates_inside = false;
};

}  // namespace

core::Result<void> check_regex_safety(std::string_view p, std::size_t& error_offset) {
    const auto refuse = [](std::string why) {
        return core::Error{core::ErrorCode::bad_filter, std::move(why)};
    };
    if (p.size() > kMaxRegexLength) {
        error_offset = kMaxRegexLength;
        return refuse("regex longer than " + std::to_string(kMaxRegexLength) + " characters");
    }
    // Any oversized count, even inside a class or malformed braces, is
    // refused up front: std::regex reads it before it looks further.
    for (std::size_t k = 0; k < p.size(); ++k) {
        if (p[k] == '{' && quantifier_at(p, k).too_large) {
            error_offset = k;
            return refuse("repetition count above " + std::to_string(kMaxRepeatCount));
        }
    }
    std::vector<Group> groups(1);
    int quantifiers = 0;
    int repeating = 0;
    std::size_t i = 0;
    while (i < p.size()) {
        const char c = p[i];
        std::size_t atom_end = i + 1;
        bool closes_group = false;
        Group closed;
        if (c == '\\') {
            if (i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9') {
                error_offset = i;
                return refuse("back-references are not supported in a filter regex");
            }
            atom_end = i + 2;
        } else if (c == '[') {
            atom_end = skip_class(p, i);
            const std::size_t reversed = reversed_range_in_class(p, i);
            if (reversed != std::string_view::npos) {
                error_offset = reversed;
                return refuse("bad regex: range out of order in a character class");
            }
        } else if (c == '(') {
            groups.emplace_back();
            i = atom_end;
            continue;
        } else if (c == ')') {
            if (groups.size() > 1) {
                closed = groups.back();
                groups.pop_back();
                closes_group = true;
            }
        } else if (c == '|') {
            groups.back().alternates_inside = true;
        }
        const Quantifier q = quantifier_at(p, atom_end);
        if (closes_group) {
            if (q.repeats && (closed.quantified_inside || closed.alternates_inside)) {
                error_offset = atom_end;
                return refuse("nested repetition in regex (it could take exponential time)");
            }
            Group& parent = groups.back();
            parent.quantified_inside = parent.quantified_inside || closed.quantified_inside;
            parent.alternates_inside = parent.alternates_inside || closed.alternates_inside;
        }
        i = atom_end + q.length;
        if (q.length == 0) continue;
        groups.back().quantified_inside = true;
        // `.**` is (.*)* in disguise.
        if (quantifier_at(p, i).length != 0) {
            error_offset = i;
            return refuse("a quantifier cannot follow another in a filter regex");
        }
        if (++quantifiers > kMaxQuantifiers) {
            error_offset = atom_end;
            return refuse("more than " + std::to_string(kMaxQuantifiers) + " quantifiers in a filter regex");
        }
        if (q.repeats && ++repeating > kMaxRepeatingQuantifiers) {
            error_offset = atom_end;
            return refuse("more than " + std::to_string(kMaxRepeatingQuantifiers) +
                          " repeating quantifiers (*, +, {n,}) in a filter regex");
        }
    }
    return {};
}

TextMatcher TextMatcher::contains(std::string_view needle) {
    TextMatcher m;
    m.mode_ = Mode::contains;
    m.needle_ = ascii_lower(needle);
    return m;
}

TextMatcher TextMatcher::exact(std::string_view value) {
    TextMatcher m;
    m.mode_ = Mode::exact;
    m.needle_ = ascii_lower(value);
    return m;
}

core::Result<TextMatcher> TextMatcher::regex(std::string_view pattern, std::size_t& error_offset) {
    TextMatcher m;
    error_offset = 0;
    if (auto safe = check_regex_safety(pattern, error_offset); !safe) return std::move(safe).error();
    try {
        m.regex_ = std::make_shared<const std::regex>(
            pattern.begin(), pattern.end(), std::regex::ECMAScript | std::regex::icase);
        m.mode_ = Mode::regex;
    } catch (const std::regex_error& e) {
        return core::Error{core::ErrorCode::bad_filter, std::string("bad regex: ") + e.what()};
    } catch (const std::exception&) {
        // std::regex may also run out of memory on a pattern that passed the
        // checks; the filter must still not throw.
        return core::Error{core::ErrorCode::bad_filter, "bad regex: too complex"};
    }
    return m;
}

bool TextMatcher::matches(std::string_view text) const {
    switch (mode_) {
        case Mode::contains: return contains_folded(text, needle_);
        case Mode::exact: return equals_folded(text, needle_);
        case Mode::regex:
            try {
                text = text.substr(0, kMaxRegexSubject);
                return std::regex_search(text.begin(), text.end(), *regex_);
            } catch (const std::exception&) {
                return false;  // error_complexity / error_stack: treat as no match
            }
    }
    return false;
}

bool TextMatcher::matches_prefix(std::string_view text) const {
    if (mode_ == Mode::contains) return text.size() >= needle_.size() && equals_folded(text.substr(0, needle_.size()), needle_);
    return matches(text);
}

}  // namespace sockeye::filter
