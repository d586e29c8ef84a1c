// The one shape in which an error crosses a module boundary: a
// `Result<T>` holds either the value or an `Error{code, message}`.
//
// The code says what the caller can do about the failure (the command line
// maps it to an exit status, a UI decides whether to offer a retry); the
// message is the one line the user reads, complete and ready to print.
// Callers never look at the wording to decide anything. See
// docs/ARCHITECTURE.md, "How errors travel".
//
// std::expected would serve but is C++23, and the static build's libc++ is
// older: this is the small subset sockeye uses.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace sockeye::core {

enum class ErrorCode {
    usage,               // the command line or a setting is wrong: fix the input
    bad_filter,          // a filter expression (capture or connection) does not compile
    not_found,           // a file, interface or host that does not exist
    permission_denied,   // exists, but this process may not use it
    unsupported,         // this kernel, file version or link type cannot be served
    bad_format,          // input that exists and opens but is malformed
    io,                  // reading, writing or talking to a peer failed
    resource_exhausted,  // out of memory, descriptors, ports or a budget
    internal,            // a state sockeye itself should not reach
};

// "bad_filter": stable names for tests and logs, never shown as a message.
std::string_view error_code_name(ErrorCode code);

// What a failed system call's errno means for the caller: ENOENT is
// not_found, EACCES/EPERM permission_denied, a full table or disk
// resource_exhausted, a missing kernel feature unsupported; the rest io.
ErrorCode error_code_for_errno(int errno_value);

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string message;

    friend bool operator==(const Error&, const Error&) = default;
};

// Unexpected access (value() of an error, error() of a value) is a bug in
// the caller; it stops the process rather than read a wrong member.
[[noreturn]] inline void result_misuse() { std::abort(); }

template <typename T>
class Result;

template <typename T>
inline constexpr bool is_result_v = false;
template <typename T>
inline constexpr bool is_result_v<Result<T>> = true;

template <typename T>
class [[nodiscard]] Result {
    static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "a Result cannot hold an Error as its value");
    static_assert(!std::is_reference_v<T>, "a Result holds values, not references");

public:
    using value_type = T;

    // Implicit both ways so that `return value;` and `return Error{...};` read
    // naturally at every call site.
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
    Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
    // A value of another type T is made from (a derived class's pointer).
    template <typename U>
        requires(std::is_convertible_v<U &&, T> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
                 !std::is_same_v<std::remove_cvref_t<U>, Error> && !is_result_v<std::remove_cvref_t<U>>)
    Result(U&& value) : state_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT
    // The same for a whole result: Result<unique_ptr<Derived>> passes on as
    // Result<unique_ptr<Base>>, its error unchanged.
    template <typename U>
        requires(!std::is_same_v<U, T> && !std::is_void_v<U> && std::is_convertible_v<U &&, T>)
    Result(Result<U>&& other) : state_(converted(std::move(other))) {}  // NOLINT

    [[nodiscard]] bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & { return checked_value(); }
    [[nodiscard]] const T& value() const& {
        const T* v = std::get_if<0>(&state_);
        if (v == nullptr) result_misuse();
        return *v;
    }
    [[nodiscard]] T&& value() && { return std::move(checked_value()); }

    // The pointer get_if gives is what is checked (not ok()), so the
    // optimiser sees no path that dereferences a null one.
    [[nodiscard]] const Error& error() const& {
        const Error* e = std::get_if<1>(&state_);
        if (e == nullptr) result_misuse();
        return *e;
    }
    [[nodiscard]] Error&& error() && {
        Error* e = std::get_if<1>(&state_);
        if (e == nullptr) result_misuse();
        return std::move(*e);
    }

    T& operator*() & { return checked_value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(checked_value()); }
    T* operator->() { return &checked_value(); }
    const T* operator->() const { return &value(); }

private:
    template <typename U>
    static std::variant<T, Error> converted(Result<U>&& other) {
        if (other.ok()) return std::variant<T, Error>(std::in_place_index<0>, T(std::move(other).value()));
        return std::variant<T, Error>(std::in_place_index<1>, std::move(other).error());
    }

    T& checked_value() {
        T* v = std::get_if<0>(&state_);
        if (v == nullptr) result_misuse();
        return *v;
    }

    std::variant<T, Error> state_;
};

// An operation that gives nothing back but may fail.
template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;

    Result() = default;
    Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit, as above

    [[nodiscard]] bool ok() const { return !error_.has_value(); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const Error& error() const& {
        if (ok()) result_misuse();
        return *error_;
    }
    [[nodiscard]] Error&& error() && {
        if (ok()) result_misuse();
        return std::move(*error_);
    }

private:
    std::optional<Error> error_;
};

}  // namespace sockeye::core
