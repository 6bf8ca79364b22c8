#include "net/drop_counters.h"

#include <numeric>

namespace extrema::net {

const char* to_string(DropReason reason) noexcept {
    switch (reason) {
        case DropReason::kForeignPeer:
            return "foreign_peer";
        case DropReason::kAuth:
            return "auth";
        case DropReason::kReplay:
            return "replay";
        case DropReason::kSrtpError:
            return "srtp_error";
        case DropReason::kTruncatedHeader:
            return "truncated_header";
        case DropReason::kBadVersion:
            return "bad_version";
        case DropReason::kBadCsrc:
            return "bad_csrc";
        case DropReason::kBadExtension:
            return "bad_extension";
        case DropReason::kBadPadding:
            return "bad_padding";
        case DropReason::kPayloadType:
            return "payload_type";
        case DropReason::kForeignSsrc:
            return "foreign_ssrc";
        case DropReason::kEmptyPayload:
            return "empty_payload";
        case DropReason::kPartialRecord:
            return "partial_record";
        case DropReason::kPayloadTooLong:
            return "payload_too_long";
        case DropReason::kMisplacedAnchor:
            return "misplaced_anchor";
        case DropReason::kNoSamples:
            return "no_samples";
        case DropReason::kSampleCap:
            return "sample_cap";
        case DropReason::kBadRedundancy:
            return "bad_redundancy";
        case DropReason::kBadComfortNoise:
            return "bad_comfort_noise";
        case DropReason::kCount:
            break;
    }
    return "unknown";
}

std::uint64_t DropCounters::total() const noexcept {
    return std::accumulate(by_reason.begin(), by_reason.end(), std::uint64_t{0});
}

}  // namespace extrema::net
