#include "core/result.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace sockeye::core {
namespace {

Result<int> half(int n) {
    if (n % 2 != 0) return Error{ErrorCode::usage, "odd: " + std::to_string(n)};
    return n / 2;
}

Result<void> check(bool good) {
    if (!good) return Error{ErrorCode::io, "write failed"};
    return {};
}

struct Base {
    virtual ~Base() = default;
    [[nodiscard]] virtual int id() const { return 1; }
};
struct Derived : Base {
    [[nodiscard]] int id() const override { return 2; }
};

Result<std::unique_ptr<Base>> make(bool good) {
    if (!good) return Error{ErrorCode::not_found, "no such thing"};
    return std::make_unique<Derived>();  // converts to the base pointer
}

TEST(Result, HoldsTheValue) {
    const Result<int> r = half(8);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 4);
    EXPECT_EQ(*r, 4);
}

TEST(Result, HoldsTheErrorWithItsCode) {
    const Result<int> r = half(7);
    ASSERT_FALSE(r.ok());
    EXPECT_FALSE(static_cast<bool>(r));
    EXPECT_EQ(r.error().code, ErrorCode::usage);
    EXPECT_EQ(r.error().message, "odd: 7");
    EXPECT_EQ(r.error(), (Error{ErrorCode::usage, "odd: 7"}));
}

TEST(Result, VoidResult) {
    const Result<void> good = check(true);
    EXPECT_TRUE(good.ok());
    const Result<void> bad = check(false);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::io);
    EXPECT_EQ(bad.error().message, "write failed");
}

TEST(Result, FactoryGivesAMoveOnlyPointerThroughConversion) {
    Result<std::unique_ptr<Base>> r = make(true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->get()->id(), 2);
    std::unique_ptr<Base> owned = std::move(r).value();
    ASSERT_NE(owned, nullptr);
    EXPECT_EQ(owned->id(), 2);

    Result<std::unique_ptr<Base>> failed = make(false);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, ErrorCode::not_found);
}

Result<std::unique_ptr<Derived>> make_derived(bool good) {
    if (!good) return Error{ErrorCode::permission_denied, "not allowed"};
    return std::make_unique<Derived>();
}

Result<std::unique_ptr<Base>> pass_on(bool good) { return make_derived(good); }

TEST(Result, PassesOnAsAResultOfTheBaseType) {
    Result<std::unique_ptr<Base>> r = pass_on(true);
    ASSERT_TRUE(r);
    EXPECT_EQ((*r)->id(), 2);
    const Result<std::unique_ptr<Base>> failed = pass_on(false);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error(), (Error{ErrorCode::permission_denied, "not allowed"}));
}

TEST(Result, MovesTheValueAndTheErrorOut) {
    Result<std::vector<int>> r = std::vector<int>{1, 2, 3};
    const std::vector<int> taken = std::move(r).value();
    EXPECT_EQ(taken, (std::vector<int>{1, 2, 3}));

    Result<std::string> e = Error{ErrorCode::bad_format, "bad magic"};
    const Error error = std::move(e).error();
    EXPECT_EQ(error.code, ErrorCode::bad_format);
    EXPECT_EQ(error.message, "bad magic");
}

TEST(Result, ArrowReachesMembers) {
    Result<std::string> r = std::string("abc");
    EXPECT_EQ(r->size(), 3u);
    r->push_back('d');
    EXPECT_EQ(*r, "abcd");
}

TEST(Result, IsCheapToMove) {
    static_assert(std::is_nothrow_move_constructible_v<Result<std::string>>);
    static_assert(std::is_nothrow_move_constructible_v<Result<std::unique_ptr<Base>>>);
    static_assert(std::is_nothrow_move_constructible_v<Result<void>>);
    static_assert(!std::is_copy_constructible_v<Result<std::unique_ptr<Base>>>);
}

TEST(ResultDeathTest, WrongAccessStopsTheProcess) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    const Result<int> bad = half(3);
    EXPECT_DEATH((void)bad.value(), "");
    const Result<int> good = half(2);
    EXPECT_DEATH((void)good.error(), "");
    const Result<void> fine = check(true);
    EXPECT_DEATH((void)fine.error(), "");
}

TEST(ErrorCode, NamesAreStable) {
    EXPECT_EQ(error_code_name(ErrorCode::usage), "usage");
    EXPECT_EQ(error_code_name(ErrorCode::bad_filter), "bad_filter");
    EXPECT_EQ(error_code_name(ErrorCode::not_found), "not_found");
    EXPECT_EQ(error_code_name(ErrorCode::permission_denied), "permission_denied");
    EXPECT_EQ(error_code_name(ErrorCode::unsupported), "unsupported");
    EXPECT_EQ(error_code_name(ErrorCode::bad_format), "bad_format");
    EXPECT_EQ(error_code_name(ErrorCode::io), "io");
    EXPECT_EQ(error_code_name(ErrorCode::resource_exhausted), "resource_exhausted");
    EXPECT_EQ(error_code_name(ErrorCode::internal), "internal");
}

TEST(ErrorCode, FromErrno) {
    EXPECT_EQ(error_code_for_errno(ENOENT), ErrorCode::not_found);
    EXPECT_EQ(error_code_for_errno(ENODEV), ErrorCode::not_found);
    EXPECT_EQ(error_code_for_errno(EACCES), ErrorCode::permission_denied);
    EXPECT_EQ(error_code_for_errno(EPERM), ErrorCode::permission_denied);
    EXPECT_EQ(error_code_for_errno(ENOSPC), ErrorCode::resource_exhausted);
    EXPECT_EQ(error_code_for_errno(EMFILE), ErrorCode::resource_exhausted);
    EXPECT_EQ(error_code_for_errno(EADDRINUSE), ErrorCode::resource_exhausted);
    EXPECT_EQ(error_code_for_errno(ENOSYS), ErrorCode::unsupported);
    EXPECT_EQ(error_code_for_errno(EIO), ErrorCode::io);
    EXPECT_EQ(error_code_for_errno(ECONNREFUSED), ErrorCode::io);
}

}  // namespace
}  // namespace sockeye::core
