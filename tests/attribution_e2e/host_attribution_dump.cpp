// Prints, for every TCP and UDP socket the kernel lists (optionally only
// those on the given local ports), the process attribution's answer:
//   proto local remote pid name match
// e.g. "tcp 127.0.0.1:40000 127.0.0.1:8080 1234 curl exact". The e2e test
// compares these lines with `ss -tanp` / `ss -uanp` for the same sockets.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "host/attributor.hpp"
#include "host/sock_diag.hpp"

namespace {

using sockeye::host::SocketEntry;
using sockeye::host::SocketTuple;

std::string endpoint(const sockeye::core::IpAddress& ip, std::uint16_t port) {
    std::string a = sockeye::host::is_any_address(ip) ? "*" : ip.to_string();
    if (ip.is_v6() && a != "*") a = "[" + a + "]";
    return a + ":" + std::to_string(port);
}

std::set<std::uint16_t> parse_ports(const char* list) {
    std::set<std::uint16_t> ports;
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) {
        const long v = std::strtol(item.c_str(), nullptr, 10);
        if (v > 0 && v < 65536) ports.insert(static_cast<std::uint16_t>(v));
    }
    return ports;
}

}  // namespace

int main(int argc, char** argv) {
    std::set<std::uint16_t> ports;
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::string(argv[i]) == "--ports") ports = parse_ports(argv[i + 1]);
    }
    sockeye::host::SockDiag diag;
    if (!diag.valid()) {
        std::fprintf(stderr, "sock_diag unavailable\n");
        return 1;
    }
    std::vector<SocketEntry> sockets;
    diag.dump(sockeye::host::kProtoTcp, sockeye::host::kAllStates, sockets);
    diag.dump(sockeye::host::kProtoUdp, sockeye::host::kAllStates, sockets);

    sockeye::host::ProcessAttributor attributor;
    attributor.start();
    std::vector<SocketTuple> tuples;
    for (const SocketEntry& s : sockets) {
        if (s.inode == 0) continue;  // TIME_WAIT and orphans: no owner to compare
        if (!ports.empty() && ports.count(s.local_port) == 0) continue;
        tuples.push_back(SocketTuple{s.ip_proto, s.local_ip, s.local_port, s.remote_ip, s.remote_port});
        attributor.request(tuples.back());
    }
    attributor.wait_idle(std::chrono::seconds(5));
    for (const SocketTuple& t : tuples) {
        sockeye::host::Attribution a = attributor.lookup(t);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (a.reason == sockeye::snapshot::UnattributedReason::pending &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
            a = attributor.lookup(t);
        }
        const std::string pid = a.process ? std::to_string(a.process->pid) : "-";
        const std::string name = a.process ? a.process->name : "-";
        std::printf("%s %s %s %s %s %s\n", t.ip_proto == sockeye::host::kProtoTcp ? "tcp" : "udp",
                    endpoint(t.local_ip, t.local_port).c_str(), endpoint(t.remote_ip, t.remote_port).c_str(),
                    pid.c_str(), name.c_str(),
                    a.process ? std::string(sockeye::snapshot::process_match_name(a.match)).c_str()
                              : std::string(sockeye::snapshot::unattributed_reason_name(a.reason)).c_str());
    }
    attributor.stop();
    return 0;
}
