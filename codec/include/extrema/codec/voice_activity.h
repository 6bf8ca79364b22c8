#pragma once
// Voice-activity detection for discontinuous transmission (DTX): is this 10 ms frame speech, or
// the background noise between words?
//
// Energy against an adaptive noise floor, so it does not depend on the talker's level:
//  - Each frame's mean square (dBov: 0 dB is a full-scale square wave, the RFC 3389 reference).
//  - The noise floor is the quietest frame of the last floor_window_ms (minimum statistics over
//    sub-windows: it falls at once with the noise and rises within the window when the noise
//    gets louder). Speech has pauses between syllables far shorter than the window, so the floor
//    stays on the noise while someone talks.
//  - A frame is speech when it is onset_db above the floor. The floor used for that is capped at
//    max_floor_dbov, so a loud stationary sound (a tone, music, a talker who never pauses for the
//    whole window) is never taken for background noise.
//  - Hangover: hangover_ms of frames after the last speech frame still count as active, so word
//    endings and short pauses are sent, not cut.
//  - Until the window has filled, the floor is held no higher than initial_floor_dbov: a stream
//    that starts with speech is sent from its first frame (a stream that starts with noise is
//    sent for one window, then gated).
//
// Pure and real-time safe: no allocation after construction, deterministic.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "extrema/codec/sample_rate.h"

namespace extrema::codec {

struct VoiceActivityConfig {
    // Stream rate: converts the ms settings to samples.
    double sample_rate_hz = kDefaultSampleRateHz;
    // Analysis frame. 10 ms: the usual VAD frame (G.729 Annex B), short next to a syllable.
    double frame_ms = 10.0;
    // Frames still active after the last speech frame. 200 ms bridges the gaps inside words and
    // keeps the decaying end of a word, the usual VAD hangover for voice.
    double hangover_ms = 200.0;
    // A frame this far above the noise floor is speech. 9 dB: a 10 ms frame of white noise
    // stays within a few dB of its mean, so noise alone never reaches it, while a quiet talker
    // at -40 dBFS over a -56 dBFS floor is 16 dB above.
    double onset_db = 9.0;
    // Span of the noise-floor minimum. 1.6 s: longer than any pause-free run of speech, short
    // enough to follow a noise that changes.
    double floor_window_ms = 1600.0;
    // The floor a frame is compared with is at most this: frames above max_floor + onset
    // (-26 dBov) are always speech, however stationary.
    double max_floor_dbov = -35.0;
    // The floor before a whole window has been seen: low, so that early speech is sent.
    double initial_floor_dbov = -70.0;
};

// One analysed frame.
struct VoiceFrame {
    std::uint64_t index = 0;   // frames of the stream since its start: samples index*frame..
    bool speech = false;       // above the floor by onset_db
    bool active = false;       // speech, or within the hangover after speech
    double mean_square = 0.0;  // of the normalised samples
    double level_dbov = 0.0;   // 10 log10(mean_square), at least kMinLevelDbov
};

class VoiceActivityDetector {
  public:
    static constexpr double kMinLevelDbov = -127.0;  // RFC 3389's quietest level
    static constexpr std::size_t kFloorSubWindows = 8;

    // Throws std::invalid_argument for a config out of range.
    explicit VoiceActivityDetector(const VoiceActivityConfig& config);

    // Analyses the next samples of the stream (normalised). Writes one VoiceFrame per frame
    // completed to `frames` and returns how many; `frames` must hold
    // max_frames_for(samples.size()) (extra frames are analysed but not reported).
    std::size_t push(std::span<const float> samples, std::span<VoiceFrame> frames) noexcept;
    std::size_t max_frames_for(std::size_t samples) const noexcept {
        return samples / frame_samples_ + 1;
    }

    void reset() noexcept;

    std::size_t frame_samples() const noexcept { return frame_samples_; }
    // Current noise floor (dBov) and whether the last frame was active.
    double floor_dbov() const noexcept;
    bool active() const noexcept { return hangover_left_ > 0; }
    const VoiceActivityConfig& config() const noexcept { return config_; }

  private:
    VoiceFrame close_frame() noexcept;

    VoiceActivityConfig config_;
    std::size_t frame_samples_ = 0;
    std::size_t sub_window_frames_ = 0;
    std::size_t hangover_frames_ = 0;
    double onset_ratio_ = 0.0;    // onset_db as a power ratio
    double max_floor_ = 0.0;      // max_floor_dbov as a mean square
    double initial_floor_ = 0.0;  // initial_floor_dbov as a mean square

    double sum_squares_ = 0.0;  // of the frame in progress
    std::size_t in_frame_ = 0;
    std::uint64_t frame_index_ = 0;
    std::array<double, kFloorSubWindows> sub_minima_{};
    std::size_t sub_next_ = 0;       // the sub-window being filled
    std::size_t sub_frames_ = 0;     // frames in it so far
    double sub_current_ = 0.0;       // its minimum so far
    std::size_t windows_seen_ = 0;   // full sub-windows since the start (saturates)
    std::size_t hangover_left_ = 0;  // active frames still due
};

}  // namespace extrema::codec
