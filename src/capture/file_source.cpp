#include "capture/file_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "capture/capture_time.hpp"

namespace sockeye::capture {
namespace {

bool contains(const char* haystack, const char* needle) {
    return std::strstr(haystack, needle) != nullptr;
}

// libpcap's messages are precise but terse; say what they mean for this file.
// The readers' messages come here too: they report malformed input only.
core::Error explain_open_error(const std::string& path, const char* pcap_error) {
    if (contains(pcap_error, "unknown file format")) {
        return {core::ErrorCode::bad_format, "'" + path + "' is not a pcap or pcapng capture file"};
    }
    if (contains(pcap_error, "truncated dump file") || contains(pcap_error, "truncated pcapng")) {
        return {core::ErrorCode::bad_format, "'" + path + "' is truncated: its file header is incomplete (" +
                                                 pcap_error + ")"};
    }
    return {core::ErrorCode::bad_format, "cannot read capture file '" + path + "': " + pcap_error};
}

core::Result<int> open_fd(const std::string& path) {
    // Standard input is duplicated so closing the source leaves fd 0 alone.
    const int fd = path == "-" ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
                               : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           "cannot open capture file '" + path + "': " + std::strerror(e)};
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        return core::Error{core::ErrorCode::bad_format, "'" + path + "' is a directory, not a capture file"};
    }
    // `-r -` typed at a prompt would wait for a capture from the keyboard.
    if (::isatty(fd) != 0) {
        ::close(fd);
        return core::Error{core::ErrorCode::bad_format,
                           "'" + path + "' is a terminal, not a capture file: pipe one in (tcpdump -w - | sockeye -r -)"};
    }
    return fd;
}

// libpcap reads through stdio; this stream hands it the input, including
// the bytes already looked at, without any seek (pipes cannot). Telling the
// position works (truncation messages say where); seeking does not.
ssize_t cookie_read(void* cookie, char* buffer, std::size_t size) {
    auto* input = static_cast<FdInput*>(cookie);
    const std::size_t n =
        input->read({reinterpret_cast<std::uint8_t*>(buffer), size});  // NOLINT: stdio's buffer
    if (n == 0 && !input->error().empty()) {
        errno = EIO;
        return -1;
    }
    return static_cast<ssize_t>(n);
}

// off_t, not glibc's off64_t: musl's cookie_seek_function_t takes off_t, and
// on the 64-bit targets glibc's off64_t is the same type.
int cookie_seek(void* cookie, off_t* offset, int whence) {
    if (whence != SEEK_CUR || *offset != 0) {
        errno = ESPIPE;
        return -1;
    }
    *offset = static_cast<off_t>(static_cast<FdInput*>(cookie)->position());
    return 0;
}

int cookie_close(void* cookie) {
    delete static_cast<FdInput*>(cookie);  // NOLINT: the stream owns the input
    return 0;
}

std::FILE* stream_over(std::unique_ptr<FdInput> input) {
    const cookie_io_functions_t io{cookie_read, nullptr, cookie_seek, cookie_close};
    std::FILE* file = ::fopencookie(input.get(), "r", io);
    if (file != nullptr) input.release();  // NOLINT: owned by `file` now
    return file;
}

}  // namespace

FileSource::~FileSource() = default;

core::Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path,
                                                           const std::string& filter) {
    const auto fd = open_fd(path);
    if (!fd) return fd.error();
    std::unique_ptr<FileSource> source(new FileSource(path));
    auto input = std::make_unique<FdInput>(*fd, &source->stop_);
    // Sniffed, not sought: the first block type says pcapng; the pcap reader
    // judges everything else (pcap in either byte order and resolution, or
    // junk) as libpcap would.
    const auto magic = input->peek(4);
    if (magic.empty()) {
        if (input->error().empty()) {
            return core::Error{core::ErrorCode::bad_format, "'" + path + "' is empty, not a capture file"};
        }
        return core::Error{core::ErrorCode::io, "cannot read capture file '" + path + "': " + input->error()};
    }
    const bool pcapng = magic.size() == 4 && magic[0] == 0x0A && magic[1] == 0x0D &&
                        magic[2] == 0x0D && magic[3] == 0x0A;
    auto opened = pcapng ? source->open_pcapng(std::move(input), filter)
                         : source->open_pcap(std::move(input), filter);
    if (!opened) return std::move(opened).error();
    return source;
}

core::Result<void> FileSource::install_offline_filter(const std::string& filter, int link_type) {
    if (filter.empty()) return {};
    auto compiled = OfflineFilter::compile(filter, link_type);
    if (!compiled) return std::move(compiled).error();
    filter_ = std::move(compiled).value();
    return {};
}

core::Result<void> FileSource::open_pcap(std::unique_ptr<FdInput> input, const std::string& filter) {
    if (!PcapReader::reads_like_libpcap(input->peek(kPcapFileHeaderBytes))) {
        return open_libpcap(std::move(input), filter);
    }
    input_ = std::move(input);
    pcap_ = std::make_unique<PcapReader>(*input_);
    if (pcap_->start() != PcapReader::Status::packet) {
        return explain_open_error(path_, pcap_->error().c_str());
    }
    link_type_ = pcap_->link_type();
    return install_offline_filter(filter, link_type_);
}

core::Result<void> FileSource::open_libpcap(std::unique_ptr<FdInput> input, const std::string& filter) {
    // A regular file goes to libpcap as a plain stdio stream: the cookie
    // stream costs a copy and glibc's generic read path on every record
    // (a fifth of `-r FILE`'s instructions). Pipes need the cookie.
    std::FILE* file = nullptr;
    if (const int fd = input->release_rewound(); fd >= 0) {
        file = ::fdopen(fd, "r");
        if (file == nullptr) ::close(fd);
    } else {
        file = stream_over(std::move(input));
    }
    if (file == nullptr) {
        const int e = errno;
        return core::Error{core::error_code_for_errno(e),
                           "cannot read capture file '" + path_ + "': " + std::strerror(e)};
    }
    // One read() per MiB from a file (over the cookie, the input already
    // reads a MiB at a time and this only spares libpcap a call per record).
    std::setvbuf(file, nullptr, _IOFBF, std::size_t{1} << 20);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    handle_.reset(pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf));
    if (!handle_) {
        std::fclose(file);  // libpcap closes it only on success (pcap_close)
        return explain_open_error(path_, errbuf);
    }
    link_type_ = pcap_datalink(handle_.get());
    return apply_filter(handle_.get(), filter);
}

core::Result<void> FileSource::open_pcapng(std::unique_ptr<FdInput> input, const std::string& filter) {
    input_ = std::move(input);
    pcapng_ = std::make_unique<PcapngReader>(*input_);
    switch (pcapng_->start()) {
        case PcapngReader::Status::packet:
        case PcapngReader::Status::end:  // no interface, so no packets: an empty capture
            break;
        case PcapngReader::Status::truncated:
            return core::Error{core::ErrorCode::bad_format,
                               "'" + path_ + "' is truncated: its file header is incomplete (" +
                                   pcapng_->error() + ")"};
        case PcapngReader::Status::error:
            return core::Error{core::ErrorCode::bad_format,
                               pcapng_->block_offset() == 0
                                   ? "'" + path_ + "' is not a pcap or pcapng capture file (" +
                                         pcapng_->error() + ")"
                                   : "cannot read capture file '" + path_ + "': " + pcapng_->error()};
    }
    link_type_ = pcapng_->first_link_type() < 0
                     ? -1
                     : dlt_of_linktype(static_cast<std::uint32_t>(pcapng_->first_link_type()));
    // Without an interface there is nothing to filter; Ethernet checks the syntax.
    return install_offline_filter(filter, link_type_ >= 0 ? link_type_ : DLT_EN10MB);
}

void FileSource::interrupt() {
    stop_.store(true);
    if (handle_) pcap_breakloop(handle_.get());
}

NextStatus FileSource::next(core::RawFrame& out) {
    if (pcap_) return next_pcap(out);
    return pcapng_ ? next_pcapng(out) : next_libpcap(out);
}

NextStatus FileSource::next_batch(std::span<core::RawFrame> out, std::size_t& count) {
    count = 0;
    const NextStatus status = next(out[0]);
    if (status != NextStatus::frame) return status;
    count = 1;
    // A filter may skip records past the buffer; pcapng and libpcap hand
    // out one frame at a time.
    if (!pcap_ || filter_) return status;
    while (count < out.size() && pcap_->next_is_buffered() &&
           next_pcap(out[count]) == NextStatus::frame) {
        ++count;
    }
    return status;
}

NextStatus FileSource::fail_truncated(std::uint64_t offset, const std::string& detail) {
    truncated_ = true;
    error_ = "capture file '" + path_ + "' is truncated after " + std::to_string(frames_read_) +
             " packets (at byte " + std::to_string(offset) + "): " + detail;
    return NextStatus::error;
}

NextStatus FileSource::next_pcap(core::RawFrame& out) {
    for (;;) {
        if (stop_.load(std::memory_order_relaxed)) return NextStatus::end;
        const PcapReader::Status status = pcap_->next(out);
        if (status != PcapReader::Status::packet) [[unlikely]] {
            if (status == PcapReader::Status::end || stop_.load()) return NextStatus::end;
            if (status == PcapReader::Status::truncated) {
                return fail_truncated(input_->position(), pcap_->error());
            }
            error_ = "error reading capture file '" + path_ + "' after " +
                     std::to_string(frames_read_) + " packets: " + pcap_->error();
            return NextStatus::error;
        }
        out.interface_id = 0;
        out.link_type = link_type_;
        out.comment = {};
        if (filter_ && !filter_->matches(out)) continue;
        ++frames_read_;
        return NextStatus::frame;
    }
}

NextStatus FileSource::next_libpcap(core::RawFrame& out) {
    pcap_pkthdr* header = nullptr;
    const std::uint8_t* data = nullptr;
    const int rc = pcap_next_ex(handle_.get(), &header, &data);
    if (rc == 1) {
        ++frames_read_;
        out = to_raw_frame(*header, data);
        // Classic pcap stores seconds as unsigned 32 bits (up to 2106);
        // libpcap reads them as signed and makes 2038 and later negative.
        const auto seconds = static_cast<std::uint32_t>(header->ts.tv_sec);
        out.ts_ns = capture_time_ns(seconds, header->ts.tv_usec);
        out.link_type = link_type_;
        return NextStatus::frame;
    }
    if (rc == PCAP_ERROR_BREAK || stop_.load()) return NextStatus::end;
    const char* msg = pcap_geterr(handle_.get());
    if (contains(msg, "truncated")) {
        long offset = -1;
        if (std::FILE* f = pcap_file(handle_.get())) offset = std::ftell(f);
        if (offset >= 0) return fail_truncated(static_cast<std::uint64_t>(offset), msg);
        truncated_ = true;
        error_ = "capture file '" + path_ + "' is truncated after " +
                 std::to_string(frames_read_) + " packets: " + msg;
        return NextStatus::error;
    }
    error_ = "error reading capture file '" + path_ + "' after " + std::to_string(frames_read_) +
             " packets: " + msg;
    return NextStatus::error;
}

NextStatus FileSource::next_pcapng(core::RawFrame& out) {
    PcapngPacket packet;
    for (;;) {
        if (stop_.load()) return NextStatus::end;
        switch (pcapng_->next(packet)) {
            case PcapngReader::Status::packet: break;
            case PcapngReader::Status::end: return NextStatus::end;
            case PcapngReader::Status::truncated:
                if (stop_.load()) return NextStatus::end;
                return fail_truncated(pcapng_->block_offset(), pcapng_->error());
            case PcapngReader::Status::error:
                if (stop_.load()) return NextStatus::end;
                error_ = "error reading capture file '" + path_ + "' after " +
                         std::to_string(frames_read_) + " packets: " + pcapng_->error();
                return NextStatus::error;
        }
        out.ts_ns = packet.ts_ns;
        out.wire_len = packet.wire_len;
        out.bytes = packet.bytes;
        out.interface_id = static_cast<std::uint16_t>(std::min<std::uint32_t>(packet.interface_id, 0xFFFF));
        out.link_type = dlt_of_linktype(static_cast<std::uint32_t>(packet.link_type));
        out.comment = packet.comment;
        if (filter_ && !filter_->matches(out)) continue;
        ++frames_read_;
        return NextStatus::frame;
    }
}

}  // namespace sockeye::capture
