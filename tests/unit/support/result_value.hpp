// The value of a core::Result in a test, or a failure that prints the
// error's code and message (and a default value, which the test's own
// ASSERT on it then stops at).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "core/result.hpp"

namespace sockeye::testing {

template <typename T>
T value_or_fail(core::Result<T> result) {
    if (!result) {
        ADD_FAILURE() << core::error_code_name(result.error().code) << ": " << result.error().message;
        return T{};
    }
    return std::move(result).value();
}

// The error of a Result that was expected to fail (an internal error with
// the message "succeeded" when it did not, which the test's checks then report).
template <typename T>
core::Error error_of(core::Result<T> result) {
    if (result) return {core::ErrorCode::internal, "succeeded"};
    return std::move(result).error();
}

// The error's message, or "" for a success (for checks on the wording).
template <typename T>
std::string error_message(const core::Result<T>& result) {
    return result ? std::string() : result.error().message;
}

}  // namespace sockeye::testing
