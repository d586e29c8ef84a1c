// Runs the DPI detector over a capture file and prints, per TCP/UDP flow,
// what it extracted as one JSON object per line. Drives dpi::Detector
// directly (capture::FileSource + decode::Decoder + a 5-tuple map standing
// in for the flow table's slots), so the real-traffic test checks DPI alone.
//
// usage: dpi_pcap_probe FILE
//        dpi_pcap_probe --bench FILE   (detector cost per packet, frames in memory)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "capture/file_source.hpp"
#include "decode/decoder.hpp"
#include "dpi/detector.hpp"

namespace {

using Endpoint = std::pair<sockeye::core::IpAddress, std::uint16_t>;
using Key = std::tuple<int, Endpoint, Endpoint>;  // transport, lower endpoint, higher endpoint

struct Flow {
    std::uint32_t slot = 0;
    Endpoint initiator;
    Endpoint responder;
    bool tcp = true;
    std::shared_ptr<const sockeye::snapshot::AppInfo> info;
};

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", u);
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

void print_flow(const Flow& f, const sockeye::dpi::Detector& detector) {
    std::string line = "{\"transport\":" + quoted(f.tcp ? "TCP" : "UDP");
    line += ",\"client\":" + quoted(f.initiator.first.to_string());
    line += ",\"client_port\":" + std::to_string(f.initiator.second);
    line += ",\"server\":" + quoted(f.responder.first.to_string());
    line += ",\"server_port\":" + std::to_string(f.responder.second);
    if (f.info) {
        line += ",\"protocol\":" + quoted(f.info->protocol);
        line += ",\"domain\":" + quoted(f.info->domain);
        line += ",\"fields\":{";
        bool first = true;
        for (const auto& field : f.info->fields) {
            if (!first) line += ",";
            first = false;
            line += quoted(field.name) + ":";
            switch (field.kind) {
                case sockeye::snapshot::AppField::Kind::text: line += quoted(field.text); break;
                case sockeye::snapshot::AppField::Kind::number:
                    line += std::to_string(field.number);
                    break;
                case sockeye::snapshot::AppField::Kind::list: {
                    line += "[";
                    for (std::size_t i = 0; i < field.list.size(); ++i)
                        line += (i ? "," : "") + quoted(field.list[i]);
                    line += "]";
                    break;
                }
            }
        }
        line += "}";
    }
    const auto names = detector.names_for(f.responder.first);
    line += ",\"server_names\":[";
    for (std::size_t i = 0; i < names.size(); ++i) line += (i ? "," : "") + quoted(names[i]);
    line += "]}";
    std::puts(line.c_str());
}

// Loads every frame, decodes it and assigns its flow first, then times only
// Detector::inspect over the whole capture: what DPI adds per packet.
int bench(sockeye::capture::FileSource& source) {
    struct Item {
        std::size_t offset;
        std::size_t size;
        std::int64_t ts_ns;
        std::uint32_t wire_len;
        sockeye::dpi::FlowRef ref;
    };
    std::vector<std::uint8_t> storage;
    std::vector<Item> items;
    std::map<Key, std::pair<std::uint32_t, Endpoint>> flows;
    const sockeye::decode::Decoder decoder(source.link_type());
    sockeye::core::RawFrame raw;
    sockeye::decode::DecodedFrame frame;
    for (std::uint64_t n = 0; n < 20'000'000; ++n) {
        if (source.next(raw) != sockeye::capture::NextStatus::frame) break;
        decoder.decode(raw, frame);
        const Endpoint src{frame.src_ip, frame.src_port};
        const Endpoint dst{frame.dst_ip, frame.dst_port};
        const Key key{static_cast<int>(frame.transport), std::min(src, dst), std::max(src, dst)};
        auto it = flows.try_emplace(key, static_cast<std::uint32_t>(flows.size()), src).first;
        items.push_back({storage.size(), raw.bytes.size(), raw.ts_ns, raw.wire_len,
                         {it->second.first, it->second.first + 1u, src == it->second.second}});
        storage.insert(storage.end(), raw.bytes.begin(), raw.bytes.end());
    }
    // Decode into one reused frame, as the engine does, and time decode
    // alone against decode + inspect: the difference is what DPI costs.
    const auto run = [&](bool with_dpi, sockeye::dpi::Detector& detector, std::size_t& changed) {
        sockeye::decode::DecodedFrame f;
        const auto t0 = std::chrono::steady_clock::now();
        for (const auto& item : items) {
            sockeye::core::RawFrame r;
            r.ts_ns = item.ts_ns;
            r.wire_len = item.wire_len;
            r.bytes = std::span<const std::uint8_t>(storage.data() + item.offset, item.size);
            decoder.decode(r, f);
            if (with_dpi) changed += detector.inspect(item.ref, f) != nullptr;
        }
        const std::chrono::duration<double, std::nano> dt = std::chrono::steady_clock::now() - t0;
        return dt.count();
    };
    double best = 1e30;
    double best_decode = 1e30;
    for (int rep = 0; rep < 5; ++rep) {
        sockeye::dpi::DetectorConfig cfg;
        cfg.max_flows = flows.size() + 1;
        sockeye::dpi::Detector detector(cfg);
        std::size_t changed = 0;
        best_decode = std::min(best_decode, run(false, detector, changed));
        best = std::min(best, run(true, detector, changed));
        if (rep == 0) {
            const auto& s = detector.stats();
            std::printf("packets %zu flows %zu inspected %llu classified %llu gave_up %llu updates %zu\n",
                        items.size(), flows.size(),
                        static_cast<unsigned long long>(s.inspected_packets),
                        static_cast<unsigned long long>(s.classified_flows),
                        static_cast<unsigned long long>(s.gave_up_flows), changed);
        }
    }
    const auto n = static_cast<double>(items.size());
    std::printf("decode only: %.1f ns/packet; decode + DPI: %.1f ns/packet (%.1f M packets/s)\n",
                best_decode / n, best / n, n * 1e3 / best);
    std::printf("DPI: %.1f ns/packet (best of 5)\n", (best - best_decode) / n);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool bench_mode = argc == 3 && std::strcmp(argv[1], "--bench") == 0;
    if (argc != 2 && !bench_mode) {
        std::fprintf(stderr, "usage: dpi_pcap_probe [--bench] FILE\n");
        return 2;
    }
    auto opened = sockeye::capture::FileSource::open(argv[argc - 1], "");
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    const auto source = std::move(opened).value();
    if (bench_mode) return bench(*source);
    const sockeye::decode::Decoder decoder(source->link_type());
    sockeye::dpi::Detector detector;
    std::map<Key, Flow> flows;
    sockeye::core::RawFrame raw;
    sockeye::decode::DecodedFrame frame;
    for (std::uint64_t n = 0; n < 10'000'000; ++n) {  // bounded: test captures are small
        if (source->next(raw) != sockeye::capture::NextStatus::frame) break;
        decoder.decode(raw, frame);
        const bool tcp = frame.transport == sockeye::decode::Transport::tcp;
        if (!tcp && frame.transport != sockeye::decode::Transport::udp) continue;
        const Endpoint src{frame.src_ip, frame.src_port};
        const Endpoint dst{frame.dst_ip, frame.dst_port};
        const Key key{tcp ? 6 : 17, std::min(src, dst), std::max(src, dst)};
        auto it = flows.find(key);
        if (it == flows.end()) {
            Flow f;
            f.slot = static_cast<std::uint32_t>(flows.size());
            // A SYN-ACK seen first means the other side initiated.
            const bool synack = tcp && (frame.tcp.flags & 0x12) == 0x12;
            f.initiator = synack ? dst : src;
            f.responder = synack ? src : dst;
            f.tcp = tcp;
            it = flows.emplace(key, f).first;
        }
        Flow& f = it->second;
        const sockeye::dpi::FlowRef ref{f.slot, f.slot + 1u, src == f.initiator};
        if (auto info = detector.inspect(ref, frame)) f.info = std::move(info);
    }
    for (const auto& [key, f] : flows) print_flow(f, detector);
    const auto& s = detector.stats();
    std::fprintf(stderr, "inspected %llu classified %llu gave_up %llu live %llu\n",
                 static_cast<unsigned long long>(s.inspected_packets),
                 static_cast<unsigned long long>(s.classified_flows),
                 static_cast<unsigned long long>(s.gave_up_flows),
                 static_cast<unsigned long long>(s.live_states));
    return 0;
}
