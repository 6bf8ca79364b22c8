#pragma once
// Optional SRTP (RFC 3711) with libsrtp2, keyed from a pre-shared key file (docs/wire.md):
// AES_CM_128_HMAC_SHA1_80, so every packet is encrypted and carries a 10-byte authentication
// tag, and the receiver's replay window refuses a packet index it has seen before.
//
// One session protects (sender) or unprotects (receiver); a duplex link uses one of each with
// the same key file. The two directions do not share keystream: the SSRC is part of the AES-CM
// IV, and each end draws its own random SSRC. Not thread-safe: one session per thread.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string_view>

#include "net/drop_counters.h"
#include "net/wire_limits.h"

struct srtp_ctx_t_;  // libsrtp2's session, kept out of this header

namespace extrema::net {

// A key file that cannot be used: the message names the file and the reason.
class SrtpKeyError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// 16-byte AES-128 master key followed by the 14-byte master salt (RFC 3711 §8.2; the same
// 30 bytes SDES puts in "inline:" key-params, RFC 4568).
inline constexpr std::size_t kSrtpKeyBytes = 30;
using SrtpKey = std::array<std::uint8_t, kSrtpKeyBytes>;
// Bytes protect() adds: the HMAC-SHA1-80 tag.
inline constexpr std::size_t kSrtpAuthTagBytes = 10;
// What SRTCP adds: the E flag and 31-bit SRTCP index, then the tag.
inline constexpr std::size_t kSrtcpTrailerBytes = 4 + kSrtpAuthTagBytes;
// Room protect_rtcp() needs after a compound: libsrtp2 asks SRTP_MAX_TRAILER_LEN + 4 (the SRTCP
// index word).
inline constexpr std::size_t kSrtcpTrailerRoomBytes = kSrtpTrailerRoomBytes + 4;

// Parses key text: lines that are blank or start with '#' are ignored; exactly one other line
// holds the 30 bytes as 60 hex digits or 40 base64 characters, optionally after "inline:".
// `origin` names the source in error messages. Throws SrtpKeyError.
SrtpKey parse_srtp_key(std::string_view text, std::string_view origin = "SRTP key");
// Reads and parses a key file. Throws SrtpKeyError (unreadable file, no key, bad encoding,
// wrong length).
SrtpKey read_srtp_key_file(const std::filesystem::path& path);

enum class SrtpDirection { kSend, kReceive };

// Most per-SSRC streams a receiving session keeps. libsrtp2 adds one (its replay window and
// keys) for every new SSRC that authenticates and searches them linearly on every packet; a
// link has one sender, and a receiver keeps the last few so that a sender that came back is
// still replay-checked. Beyond the cap the least recently used stream is removed.
inline constexpr std::size_t kMaxSrtpStreams = 8;

class SrtpSession {
  public:
    // Throws SrtpKeyError if libsrtp2 cannot be initialised or refuses the key.
    SrtpSession(const SrtpKey& key, SrtpDirection direction);
    ~SrtpSession();
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;

    // Encrypts and authenticates the RTP packet in buffer[0, length) in place and grows length
    // by the tag. `buffer` must have kSrtpTrailerRoomBytes beyond length. False on failure.
    bool protect(std::span<std::uint8_t> buffer, std::size_t& length_bytes) noexcept;
    // Authenticates, replay-checks and decrypts in place, shrinking length to the RTP packet. On
    // failure returns false and sets `why`: kAuth (tampered, wrong key, or not SRTP), kReplay
    // (index seen before or older than the window), kSrtpError (anything else).
    bool unprotect(std::span<std::uint8_t> buffer, std::size_t& length_bytes,
                   DropReason& why) noexcept;

    // SRTCP (RFC 3711 §3.4), the same way for an RTCP compound: protect adds the 4-byte E flag
    // and SRTCP index and the tag; unprotect checks them (its replay window is per SSRC too).
    // `buffer` must be 32-bit aligned and, to protect, have kSrtcpTrailerRoomBytes beyond length.
    bool protect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length_bytes) noexcept;
    bool unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t& length_bytes,
                        DropReason& why) noexcept;

    // Receiving: drops the stream of `ssrc` (a sender that authenticated but was not taken),
    // so that it costs no memory and no search time. Nothing happens for an unknown SSRC.
    void remove_stream(std::uint32_t ssrc) noexcept;
    // Whether libsrtp2 holds a stream for `ssrc` (asked of libsrtp2 itself, not our table).
    bool has_stream(std::uint32_t ssrc) const noexcept;
    // Streams this receiving session holds, at most kMaxSrtpStreams; and how many it removed.
    std::size_t stream_count() const noexcept { return stream_count_; }
    std::uint64_t streams_removed() const noexcept { return streams_removed_; }

    SrtpDirection direction() const noexcept { return direction_; }

  private:
    struct Stream {
        std::uint32_t ssrc = 0;
        std::uint64_t last_used = 0;  // use_clock_ at its last packet
    };
    void note_stream(std::uint32_t ssrc) noexcept;
    void drop_stream(std::size_t index) noexcept;

    srtp_ctx_t_* session_ = nullptr;
    SrtpDirection direction_;
    std::array<Stream, kMaxSrtpStreams> streams_{};
    std::size_t stream_count_ = 0;
    std::uint64_t use_clock_ = 0;
    std::uint64_t streams_removed_ = 0;
};

}  // namespace extrema::net
