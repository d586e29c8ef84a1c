// Fuzz target for the metrics server's request handling: the input is what a
// client sent on the socket (any bytes, up to the server's request limit).
// The answer must always be a complete HTTP/1.1 response — a status line and
// a header block ending in an empty line — and "ok" (the metrics were served)
// only with status 200.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "export/metrics_server.hpp"

namespace {

void check(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string request(reinterpret_cast<const char*>(data), size);
    const std::string metrics = "# TYPE sockeye_up gauge\nsockeye_up 1\n";
    bool ok = false;
    const std::string response = sockeye::exports::metrics_http_response(request, metrics, ok);
    check(response.rfind("HTTP/1.1 ", 0) == 0);
    check(response.find("\r\n\r\n") != std::string::npos);
    check(!ok || response.rfind("HTTP/1.1 200", 0) == 0);
    return 0;
}
