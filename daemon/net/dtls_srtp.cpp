#include "net/dtls_srtp.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace extrema::net {
namespace {

using namespace std::chrono_literals;

// PSK suites with an ephemeral ECDH exchange only (RFC 5489): forward secrecy for the session.
constexpr const char* kCipherSuites = "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES128-CBC-SHA256";
constexpr const char* kSrtpProfile = "SRTP_AES128_CM_SHA1_80";
constexpr const char* kPskIdentity = "extrema";
// RFC 5764 §4.2 exporter label, and the material for SRTP_AES128_CM_SHA1_80: client key,
// server key, client salt, server salt.
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";
constexpr std::size_t kMasterKeyBytes = 16;
constexpr std::size_t kMasterSaltBytes = 14;
static_assert(kMasterKeyBytes + kMasterSaltBytes == kSrtpKeyBytes);
// Handshake records are far below any path MTU; the memory BIOs cannot ask the socket.
constexpr long kMtuBytes = 1200;

// A server without keys asks the peer for a handshake with this plaintext DTLS 1.2 record:
// a warning alert (close_notify) in epoch 0, which no established session would send.
constexpr std::array<std::uint8_t, 15> kNudge = {21, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0};
constexpr auto kNudgeInterval = 1s;
// A client restarts its handshake at most this often: on a nudge, or while none completes
// (OpenSSL's own retransmission timer backs off to a minute; a receiver that comes up late
// should not wait that long).
constexpr auto kRestartInterval = 2s;

DtlsSrtp* owner_of(SSL* ssl) {
    return static_cast<DtlsSrtp*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
}

std::string openssl_error() {
    const unsigned long code = ERR_get_error();
    if (code == 0) return "unknown error";
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return text.data();
}

// DTLS record header (13 bytes: type, version, epoch, sequence, length) then the handshake
// type: a ClientHello in epoch 0 starts a handshake.
constexpr std::size_t kRecordHeaderBytes = 13;
bool is_client_hello(std::span<const std::uint8_t> d) {
    return d.size() > kRecordHeaderBytes && d[0] == 22 && d[3] == 0 && d[4] == 0 &&
           d[kRecordHeaderBytes] == 1;
}

}  // namespace

// The PSK callbacks find the key through the context's app data.
struct DtlsPskCallbacks {
    static unsigned client(SSL* ssl, const char* /*hint*/, char* identity,
                           unsigned max_identity_bytes, unsigned char* psk,
                           unsigned max_psk_bytes) {
        const SrtpKey& key = owner_of(ssl)->psk_;
        if (std::strlen(kPskIdentity) + 1 > max_identity_bytes || key.size() > max_psk_bytes) {
            return 0;
        }
        std::strcpy(identity, kPskIdentity);
        std::copy(key.begin(), key.end(), psk);
        return static_cast<unsigned>(key.size());
    }
    static unsigned server(SSL* ssl, const char* /*identity*/, unsigned char* psk,
                           unsigned max_psk_bytes) {
        const SrtpKey& key = owner_of(ssl)->psk_;
        if (key.size() > max_psk_bytes) return 0;
        std::copy(key.begin(), key.end(), psk);
        return static_cast<unsigned>(key.size());
    }
};

DtlsSrtp::DtlsSrtp(const SrtpKey& psk, DtlsRole role, Transmit transmit)
    : psk_(psk), role_(role), transmit_(std::move(transmit)) {
    context_ = SSL_CTX_new(DTLS_method());
    if (context_ == nullptr) throw DtlsError("cannot create a DTLS context: " + openssl_error());
    SSL_CTX_set_app_data(context_, this);
    const bool ok = SSL_CTX_set_min_proto_version(context_, DTLS1_2_VERSION) == 1 &&
                    SSL_CTX_set_cipher_list(context_, kCipherSuites) == 1 &&
                    SSL_CTX_set_tlsext_use_srtp(context_, kSrtpProfile) == 0;  // 0 = success
    if (!ok) {
        SSL_CTX_free(context_);
        throw DtlsError("OpenSSL refused the DTLS-SRTP settings: " + openssl_error());
    }
    if (role_ == DtlsRole::kClient) {
        SSL_CTX_set_psk_client_callback(context_, &DtlsPskCallbacks::client);
    } else {
        SSL_CTX_set_psk_server_callback(context_, &DtlsPskCallbacks::server);
        new_handshake();  // waits for a ClientHello
    }
}

DtlsSrtp::~DtlsSrtp() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    SSL_CTX_free(context_);
    psk_.fill(0);
}

void DtlsSrtp::new_handshake() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    ssl_ = SSL_new(context_);
    done_ = false;
    if (ssl_ == nullptr) return;  // out of memory: the next start or ClientHello tries again
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);  // empty means "wait", not end of stream
    SSL_set_bio(ssl_, in, out);
    SSL_set_options(ssl_, SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu(ssl_, kMtuBytes);
    if (role_ == DtlsRole::kClient) {
        SSL_set_connect_state(ssl_);
    } else {
        SSL_set_accept_state(ssl_);
    }
}

void DtlsSrtp::start(Clock::time_point now) {
    if (role_ != DtlsRole::kClient) return;
    last_start_ = now;
    new_handshake();
    advance();
}

void DtlsSrtp::on_datagram(std::span<const std::uint8_t> datagram, Clock::time_point now) {
    if (std::equal(datagram.begin(), datagram.end(), kNudge.begin(), kNudge.end())) {
        if (role_ == DtlsRole::kClient &&
            (!last_nudged_ || now - *last_nudged_ >= kRestartInterval)) {
            last_nudged_ = now;
            start(now);
        }
        return;
    }
    // A ClientHello other than the one this handshake answers (a retransmission has the same
    // handshake message, only the record number differs): the client restarted. The old keys
    // stay in use until the new handshake completes.
    if (role_ == DtlsRole::kServer && is_client_hello(datagram)) {
        const auto message = datagram.subspan(kRecordHeaderBytes);
        if (ssl_ == nullptr ||
            !std::equal(message.begin(), message.end(), hello_.begin(), hello_.end())) {
            new_handshake();
            hello_.assign(message.begin(), message.end());
        }
    }
    if (ssl_ == nullptr) return;
    BIO_write(SSL_get_rbio(ssl_), datagram.data(), static_cast<int>(datagram.size()));
    advance();
}

void DtlsSrtp::on_tick(Clock::time_point now) {
    if (role_ == DtlsRole::kClient && !done_ &&
        (!last_start_ || now - *last_start_ >= kRestartInterval)) {
        if (last_start_) ++failures_;  // this one did not complete in time
        start(now);
        return;
    }
    if (ssl_ == nullptr || done_) return;
    if (DTLSv1_handle_timeout(ssl_) < 0) {
        ++failures_;  // retransmitted too often: give up this one
        if (role_ == DtlsRole::kServer) new_handshake();
        return;
    }
    flush();
}

void DtlsSrtp::on_srtp_without_keys(Clock::time_point now) {
    if (role_ != DtlsRole::kServer || has_keys()) return;
    if (last_nudge_ && now - *last_nudge_ < kNudgeInterval) return;
    last_nudge_ = now;
    transmit_(kNudge);
}

void DtlsSrtp::advance() {
    if (done_) {
        // After the handshake only alerts (and nothing else) should come: read them so OpenSSL
        // processes them; application data has no use here.
        std::array<std::uint8_t, 256> ignored{};
        while (SSL_read(ssl_, ignored.data(), static_cast<int>(ignored.size())) > 0) {
        }
        ERR_clear_error();
        flush();
        return;
    }
    const int result = SSL_do_handshake(ssl_);
    if (result == 1) {
        done_ = true;
        const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl_);
        std::array<std::uint8_t, 2 * kSrtpKeyBytes> material{};
        const bool exported =
            profile != nullptr && profile->id == SRTP_AES128_CM_SHA1_80 &&
            SSL_export_keying_material(ssl_, material.data(), material.size(), kExporterLabel,
                                       std::strlen(kExporterLabel), nullptr, 0, 0) == 1;
        if (!exported) {
            ++failures_;
            if (role_ == DtlsRole::kServer) new_handshake();
            return;
        }
        const auto key_of = [&](std::size_t key_at, std::size_t salt_at) {
            SrtpKey key{};
            std::copy_n(material.begin() + static_cast<std::ptrdiff_t>(key_at), kMasterKeyBytes,
                        key.begin());
            std::copy_n(material.begin() + static_cast<std::ptrdiff_t>(salt_at), kMasterSaltBytes,
                        key.begin() + kMasterKeyBytes);
            return key;
        };
        const SrtpKey client = key_of(0, 2 * kMasterKeyBytes);
        const SrtpKey server = key_of(kMasterKeyBytes, 2 * kMasterKeyBytes + kMasterSaltBytes);
        material.fill(0);
        fresh_ = role_ == DtlsRole::kClient ? DtlsSrtpKeys{client, server}
                                            : DtlsSrtpKeys{server, client};
        ++sessions_;
        flush();  // the server's last flight
        return;
    }
    const int error = SSL_get_error(ssl_, result);
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        // Wrong key, a replayed or forged flight: this handshake is over. The server waits for
        // the next ClientHello; the client restarts on its timer.
        ERR_clear_error();
        ++failures_;
        flush();  // the alert, if any
        if (role_ == DtlsRole::kServer) new_handshake();
        return;
    }
    flush();
}

void DtlsSrtp::flush() {
    BIO* out = SSL_get_wbio(ssl_);
    std::vector<std::uint8_t> bytes;
    while (const std::size_t pending = BIO_ctrl_pending(out)) {
        bytes.resize(pending);
        const int got = BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
        if (got <= 0) break;
        transmit_(std::span<const std::uint8_t>(bytes.data(), static_cast<std::size_t>(got)));
    }
}

std::optional<DtlsSrtpKeys> DtlsSrtp::take_keys() noexcept {
    std::optional<DtlsSrtpKeys> keys;
    keys.swap(fresh_);
    return keys;
}

}  // namespace extrema::net
