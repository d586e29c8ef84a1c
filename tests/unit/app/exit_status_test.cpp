#include "app/cli_main.hpp"

#include <gtest/gtest.h>

namespace sockeye::app {
namespace {

// The statuses tests/cli checks from the outside: the user's input is 2,
// everything else that fails is 1 (3, lost export records, is not an error).
TEST(ExitStatus, UsageAndBadFiltersAreTheUsersInput) {
    EXPECT_EQ(exit_status_for(core::ErrorCode::usage), 2);
    EXPECT_EQ(exit_status_for(core::ErrorCode::bad_filter), 2);
}

TEST(ExitStatus, EveryOtherCodeIsAFailedRun) {
    for (const core::ErrorCode code :
         {core::ErrorCode::not_found, core::ErrorCode::permission_denied, core::ErrorCode::unsupported,
          core::ErrorCode::bad_format, core::ErrorCode::io, core::ErrorCode::resource_exhausted,
          core::ErrorCode::internal}) {
        EXPECT_EQ(exit_status_for(code), 1) << core::error_code_name(code);
    }
}

}  // namespace
}  // namespace sockeye::app
