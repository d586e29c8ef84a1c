#include <gtest/gtest.h>

#include "filter/filter.hpp"

namespace sockeye::filter {
namespace {

bool reads_process(const char* text) {
    auto compiled = compile(text);
    EXPECT_TRUE(compiled) << text;
    return compiled && compiled->reads_process();
}

TEST(FilterReadsProcess, TermsOnTheProcessAndBareWordsReadIt) {
    EXPECT_TRUE(reads_process("process:curl"));
    EXPECT_TRUE(reads_process("port:53 or not process:curl"));
    EXPECT_TRUE(reads_process("user:root"));
    EXPECT_TRUE(reads_process("pid>100"));
    EXPECT_TRUE(reads_process("container:web"));
    EXPECT_TRUE(reads_process("curl"));  // a bare word looks at the process name too
}

TEST(FilterReadsProcess, PacketTermsDoNot) {
    EXPECT_FALSE(reads_process(""));
    EXPECT_FALSE(reads_process("port:53 or proto:udp"));
    EXPECT_FALSE(reads_process("not state:closed and bytes>10k"));
    EXPECT_FALSE(reads_process("app:tls and sni:example"));
    EXPECT_FALSE(reads_process("dst:10.0.0.0/8"));
}

}  // namespace
}  // namespace sockeye::filter
