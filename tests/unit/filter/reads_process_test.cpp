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

bool reads_enrichment(const char* text) {
    auto compiled = compile(text);
    EXPECT_TRUE(compiled) << text;
    return compiled && compiled->reads_enrichment();
}

TEST(FilterReadsEnrichment, NamesPlacesAndProcessesDoPacketsDoNot) {
    EXPECT_TRUE(reads_enrichment("process:curl"));
    EXPECT_TRUE(reads_enrichment("name:example"));
    EXPECT_TRUE(reads_enrichment("port:53 or country:DE"));
    EXPECT_TRUE(reads_enrichment("asn:13335"));
    EXPECT_TRUE(reads_enrichment("rtt>100ms"));
    EXPECT_TRUE(reads_enrichment("example"));  // bare words read the name too
    EXPECT_FALSE(reads_enrichment(""));
    EXPECT_FALSE(reads_enrichment("port:443 and proto:tcp and not state:closed"));
    EXPECT_FALSE(reads_enrichment("app:tls and sni:/example/ and bytes>10k"));
    EXPECT_FALSE(reads_enrichment("service:https"));
}

}  // namespace
}  // namespace sockeye::filter
