#pragma once
// Helpers shared by the network tests: RTP datagrams built by hand, a voice-like test signal,
// and the allocation counter that proves the real-time paths do not allocate.
#include <cstdint>
#include <span>
#include <vector>

#include "allocation_counter.h"
#include "extrema/codec/record.h"
#include "net/rtp_header.h"

namespace extrema::net::test {

// Header + packed records.
std::vector<std::uint8_t> make_datagram(const RtpHeader& header,
                                        std::span<const codec::Record> records);

// Two decaying tones with pauses, int16 scale: curves and silences, like speech.
std::vector<std::int16_t> voice_like(std::size_t samples, double rate_hz);

using extrema::test::AllocationCounter;

}  // namespace extrema::net::test
