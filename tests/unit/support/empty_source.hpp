// A packet source with no frames, for tests that open exports or a
// pipeline and feed them by hand.
#pragma once

#include <string>

#include "capture/packet_source.hpp"

namespace sockeye::test {

class EmptySource final : public capture::PacketSource {
public:
    capture::NextStatus next(core::RawFrame&) override { return capture::NextStatus::end; }
    [[nodiscard]] int link_type() const override { return 1; }
    [[nodiscard]] const std::string& error() const override { return text_; }
    [[nodiscard]] const std::string& name() const override { return text_; }

private:
    std::string text_;
};

}  // namespace sockeye::test
