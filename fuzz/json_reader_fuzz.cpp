// Fuzz target for the bounded JSON reader (core/json_reader): container
// runtimes' state files are read with it. Besides the sanitizers, it checks
// the reader's promises: the nesting and value limits hold, a document that
// parses has no more values than bytes, and parsing is a pure function.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/json_reader.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

// Values in the tree and its depth (1 for a scalar).
void measure(const sockeye::core::JsonValue& v, std::size_t depth, std::size_t& values, std::size_t& deepest) {
    ++values;
    if (depth > deepest) deepest = depth;
    check(v.is_object() ? v.keys().size() == v.items().size() : v.keys().empty());
    for (const auto& child : v.items()) measure(child, depth + 1, values, deepest);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    constexpr sockeye::core::JsonLimits kLimits{8, 4096};
    sockeye::core::JsonParseError error;
    const auto doc = sockeye::core::parse_json(text, kLimits, &error);
    if (!doc) {
        check(!error.message.empty() && error.offset <= size);
        return 0;
    }
    std::size_t values = 0, deepest = 0;
    measure(*doc, 0, values, deepest);
    check(values <= kLimits.max_values && values <= size);
    check(deepest <= kLimits.max_depth);
    const auto again = sockeye::core::parse_json(text, kLimits);
    check(again.has_value() && again->items().size() == doc->items().size() && again->text() == doc->text());
    return 0;
}
