#include "net/srtp_session.h"

#include <arpa/inet.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "net/base64.h"
#include "net/rtp_header.h"
#include "net/wire_limits.h"

namespace extrema::net {
namespace {

static_assert(kSrtpTrailerRoomBytes >= SRTP_MAX_TRAILER_LEN, "send buffers too small for SRTP");
static_assert(kSrtpKeyBytes == SRTP_AES_ICM_128_KEY_LEN_WSALT, "AES-CM-128 key + salt is 30 bytes");

// Replay window in packets: 1024 packets (10 s at 10 ms) of reordering are never mistaken for
// a replay; anything older than that is long past the jitter buffer anyway.
constexpr unsigned long kReplayWindowPackets = 1024;

void init_library() {
    // srtp_init() once per process; a function-local static is initialised thread-safely.
    static const srtp_err_status_t status = srtp_init();
    if (status != srtp_err_status_ok) {
        throw SrtpKeyError("cannot initialise libsrtp2 (error " + std::to_string(status) + ")");
    }
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::vector<std::uint8_t>> decode_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int hi = hex_value(text[i]);
        const int lo = hex_value(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    return out;
}

}  // namespace

SrtpKey parse_srtp_key(std::string_view text, std::string_view origin) {
    const std::string where(origin);
    std::string key_text;
    std::istringstream lines{std::string(text)};
    std::string line;
    while (std::getline(lines, line)) {
        const std::string_view t = trim(line);
        if (t.empty() || t.front() == '#') continue;
        if (!key_text.empty()) throw SrtpKeyError(where + ": more than one key line");
        key_text = t;
    }
    std::string_view key_line = key_text;
    if (key_line.empty())
        throw SrtpKeyError(where +
                           ": no key found (expected 60 hex digits or 40 base64 characters)");
    if (key_line.starts_with("inline:")) key_line.remove_prefix(7);

    // Hex digits are base64 characters too: a line of hex digits only is read as hex. (A
    // 40-character base64 key made of hex digits alone has odds of about 1e-19.)
    const bool all_hex =
        std::all_of(key_line.begin(), key_line.end(), [](char c) { return hex_value(c) >= 0; });
    const std::optional<std::vector<std::uint8_t>> decoded =
        all_hex ? decode_hex(key_line) : base64_decode(key_line);
    if (!decoded) throw SrtpKeyError(where + ": key is neither hex nor base64");
    const std::vector<std::uint8_t>& bytes = *decoded;
    if (bytes.size() != kSrtpKeyBytes) {
        throw SrtpKeyError(where + ": key is " + std::to_string(bytes.size()) + " bytes, need " +
                           std::to_string(kSrtpKeyBytes) + " (16-byte master key + 14-byte salt)");
    }
    SrtpKey key{};
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return key;
}

SrtpKey read_srtp_key_file(const std::filesystem::path& path) {
    const std::string where = "SRTP key file '" + path.string() + "'";
    std::ifstream file(path);
    if (!file) throw SrtpKeyError(where + ": cannot open it");
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) throw SrtpKeyError(where + ": read error");
    return parse_srtp_key(text.str(), where);
}

SrtpSession::SrtpSession(const SrtpKey& key, SrtpDirection direction) : direction_(direction) {
    init_library();
    SrtpKey material = key;  // libsrtp2 takes a non-const pointer
    srtp_policy_t policy{};
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
    policy.ssrc.type = direction == SrtpDirection::kSend ? ssrc_any_outbound : ssrc_any_inbound;
    policy.key = material.data();
    policy.window_size = kReplayWindowPackets;
    policy.allow_repeat_tx = 0;  // a repeated index must never be encrypted twice
    policy.next = nullptr;
    const srtp_err_status_t status = srtp_create(&session_, &policy);
    material.fill(0);
    if (status != srtp_err_status_ok) {
        session_ = nullptr;
        throw SrtpKeyError("libsrtp2 refused the key (error " + std::to_string(status) + ")");
    }
}

SrtpSession::~SrtpSession() {
    if (session_ != nullptr) srtp_dealloc(session_);
}

bool SrtpSession::protect(std::span<std::uint8_t> buffer, std::size_t& length_bytes) noexcept {
    if (direction_ != SrtpDirection::kSend || length_bytes < kRtpHeaderBytes ||
        buffer.size() < length_bytes + kSrtpTrailerRoomBytes) {
        return false;
    }
    int length = static_cast<int>(length_bytes);
    if (srtp_protect(session_, buffer.data(), &length) != srtp_err_status_ok) return false;
    length_bytes = static_cast<std::size_t>(length);
    return true;
}

bool SrtpSession::unprotect(std::span<std::uint8_t> buffer, std::size_t& length_bytes,
                            DropReason& why) noexcept {
    if (direction_ != SrtpDirection::kReceive || length_bytes > buffer.size() ||
        length_bytes < kRtpHeaderBytes + kSrtpAuthTagBytes) {
        why = length_bytes < kRtpHeaderBytes ? DropReason::kTruncatedHeader : DropReason::kAuth;
        return false;
    }
    int length = static_cast<int>(length_bytes);
    switch (srtp_unprotect(session_, buffer.data(), &length)) {
        case srtp_err_status_ok:
            length_bytes = static_cast<std::size_t>(length);
            note_stream(ssrc_of(buffer));
            return true;
        case srtp_err_status_auth_fail:
            why = DropReason::kAuth;
            return false;
        case srtp_err_status_replay_fail:
        case srtp_err_status_replay_old:
            why = DropReason::kReplay;
            return false;
        default:
            why = DropReason::kSrtpError;
            return false;
    }
}

namespace {

// The smallest RTCP compound: an RR header with its SSRC.
constexpr std::size_t kMinRtcpBytes = 8;

DropReason rtcp_failure(srtp_err_status_t status) noexcept {
    switch (status) {
        case srtp_err_status_auth_fail:
            return DropReason::kAuth;
        case srtp_err_status_replay_fail:
        case srtp_err_status_replay_old:
            return DropReason::kReplay;
        default:
            return DropReason::kSrtpError;
    }
}

}  // namespace

bool SrtpSession::protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length_bytes) noexcept {
    if (direction_ != SrtpDirection::kSend || length_bytes < kMinRtcpBytes ||
        buffer.size() < length_bytes + kSrtcpTrailerRoomBytes) {
        return false;
    }
    int length = static_cast<int>(length_bytes);
    if (srtp_protect_rtcp(session_, buffer.data(), &length) != srtp_err_status_ok) return false;
    length_bytes = static_cast<std::size_t>(length);
    return true;
}

bool SrtpSession::unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length_bytes,
                                 DropReason& why) noexcept {
    if (direction_ != SrtpDirection::kReceive || length_bytes > buffer.size() ||
        length_bytes < kMinRtcpBytes + kSrtcpTrailerBytes) {
        why = DropReason::kAuth;
        return false;
    }
    int length = static_cast<int>(length_bytes);
    const srtp_err_status_t status = srtp_unprotect_rtcp(session_, buffer.data(), &length);
    if (status != srtp_err_status_ok) {
        why = rtcp_failure(status);
        return false;
    }
    length_bytes = static_cast<std::size_t>(length);
    return true;
}

void SrtpSession::note_stream(std::uint32_t ssrc) noexcept {
    ++use_clock_;
    const auto held = std::span(streams_).first(stream_count_);
    const auto found =
        std::find_if(held.begin(), held.end(), [&](const Stream& s) { return s.ssrc == ssrc; });
    if (found != held.end()) {
        found->last_used = use_clock_;
        return;
    }
    if (stream_count_ == streams_.size()) {
        const auto oldest = std::min_element(
            held.begin(), held.end(),
            [](const Stream& a, const Stream& b) { return a.last_used < b.last_used; });
        drop_stream(static_cast<std::size_t>(oldest - held.begin()));
    }
    streams_[stream_count_++] = Stream{ssrc, use_clock_};
}

void SrtpSession::drop_stream(std::size_t index) noexcept {
    // libsrtp2 takes the SSRC in network byte order here.
    (void)srtp_remove_stream(session_, htonl(streams_[index].ssrc));
    streams_[index] = streams_[--stream_count_];
    ++streams_removed_;
}

void SrtpSession::remove_stream(std::uint32_t ssrc) noexcept {
    for (std::size_t i = 0; i < stream_count_; ++i) {
        if (streams_[i].ssrc == ssrc) {
            drop_stream(i);
            return;
        }
    }
}

bool SrtpSession::has_stream(std::uint32_t ssrc) const noexcept {
    std::uint32_t roc = 0;
    return srtp_get_stream_roc(session_, ssrc, &roc) == srtp_err_status_ok;
}

}  // namespace extrema::net
