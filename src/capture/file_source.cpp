#include "capture/file_source.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sockeye::capture {
namespace {

bool contains(const char* haystack, const char* needle) {
    return std::strstr(haystack, needle) != nullptr;
}

// libpcap's messages are precise but terse; say what they mean for this file.
std::string explain_open_error(const std::string& path, const char* pcap_error) {
    if (contains(pcap_error, "unknown file format")) {
        return "'" + path + "' is not a pcap or pcapng capture file";
    }
    if (contains(pcap_error, "truncated dump file") || contains(pcap_error, "truncated pcapng")) {
        return "'" + path + "' is truncated: its file header is incomplete (" + pcap_error + ")";
    }
    return "cannot read capture file '" + path + "': " + pcap_error;
}

std::string check_readable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return "cannot open capture file '" + path + "': " + std::strerror(errno);
    }
    if (S_ISDIR(st.st_mode)) return "'" + path + "' is a directory, not a capture file";
    if (st.st_size == 0) return "'" + path + "' is empty, not a capture file";
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return "cannot open capture file '" + path + "': " + std::strerror(errno);
    std::fclose(f);
    return {};
}

}  // namespace

FileSource::FileSource(PcapHandle handle, std::string path)
    : handle_(std::move(handle)), path_(std::move(path)), link_type_(pcap_datalink(handle_.get())) {}

std::unique_ptr<FileSource> FileSource::open(const std::string& path, const std::string& filter,
                                             std::string& error) {
    error = check_readable(path);
    if (!error.empty()) return nullptr;

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    PcapHandle handle;
    if (path == "-") {
        handle.reset(pcap_open_offline_with_tstamp_precision(path.c_str(),
                                                             PCAP_TSTAMP_PRECISION_NANO, errbuf));
    } else if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
        // libpcap reads through stdio; the default 4 KiB buffer costs one
        // read() per 4 KiB, a third of the CPU of a `-r FILE --json` run.
        std::setvbuf(file, nullptr, _IOFBF, std::size_t{1} << 20);
        handle.reset(
            pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf));
        if (!handle) std::fclose(file);  // libpcap closes it only on success (pcap_close)
    } else {
        error = "cannot open capture file '" + path + "': " + std::strerror(errno);
        return nullptr;
    }
    if (!handle) {
        error = explain_open_error(path, errbuf);
        return nullptr;
    }
    error = apply_filter(handle.get(), filter);
    if (!error.empty()) return nullptr;
    return std::unique_ptr<FileSource>(new FileSource(std::move(handle), path));
}

NextStatus FileSource::next(core::RawFrame& out) {
    pcap_pkthdr* header = nullptr;
    const std::uint8_t* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &header, &data);
    if (rc == 1) {
        ++frames_read_;
        out = to_raw_frame(*header, data);
        return NextStatus::frame;
    }
    if (rc == PCAP_ERROR_BREAK) return NextStatus::end;
    const char* msg = pcap_geterr(handle_.get());
    if (contains(msg, "truncated")) {
        truncated_ = true;
        long offset = -1;
        if (std::FILE* f = pcap_file(handle_.get())) offset = std::ftell(f);
        error_ = "capture file '" + path_ + "' is truncated after " + std::to_string(frames_read_) +
                 " packets" + (offset >= 0 ? " (at byte " + std::to_string(offset) + ")" : "") +
                 ": " + msg;
    } else {
        error_ = "error reading capture file '" + path_ + "' after " +
                 std::to_string(frames_read_) + " packets: " + msg;
    }
    return NextStatus::error;
}

}  // namespace sockeye::capture
