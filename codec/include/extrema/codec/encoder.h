#pragma once
// Streaming extrema encoder (SPEC §3): samples in blocks of any size, records out as segments
// close. The records depend only on the samples, never on how they were split into blocks.
// No allocation after construction; every buffer is sized by the segment cap.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/curve_matcher.h"
#include "extrema/codec/lowpass.h"
#include "extrema/codec/rate_controller.h"
#include "extrema/codec/rd_segmenter.h"
#include "extrema/codec/record.h"

namespace extrema::codec {

enum class Segmentation {
    // Cut at the waveform's peaks: a segment runs from one extremum to the next, an extremum being
    // confirmed once the signal has moved back more than the threshold. A run that stays within
    // the threshold of the last extremum for `still_hold_ms` becomes silence. Default: it cuts
    // where the seed meant to cut, with far fewer records (docs/quality.md).
    kPeaks,
    // The seed's rule: each sample's step from the previous one is up, down or still by the
    // threshold, and a segment closes whenever that direction changes.
    kSeedSteps,
    // Rate-distortion: the boundaries of each window of max_segment_ms (20 ms without a cap) are
    // chosen jointly by dynamic programming, for the least error per record spent
    // (rd_segmenter.h). Adds one window of latency.
    kRd,
};

struct EncoderConfig {
    double sample_rate_hz = 44100.0;  // rate of the samples pushed (the seed's rate)
    double threshold_lsb = 50.0;      // hysteresis on the int16 scale: the seed's 50/32767
    double lowpass_hz = 0.0;          // pre-filter cutoff; 0 = off (the seed has none)
    double max_segment_ms = 0.0;      // latency cap on one record; 0 = none (files)
    double still_hold_ms = 2.0;       // kPeaks: flat this long after an extremum = silence
    Segmentation segmentation = Segmentation::kPeaks;
    // Payload rate the threshold is steered to (RateController); 0 = off: threshold_lsb holds.
    double target_kbps = 0.0;
    // Frame length: the open segment closes at every multiple of it from the stream's first
    // sample, so a live sender's packets of the same length each hold whole records and leave on
    // time. 0 = no frames (files). At most kMaxFrameMs.
    double frame_ms = 0.0;
};

// Longest frame_ms: as long as the longest packet a link sends.
inline constexpr double kMaxFrameMs = 1000.0;

class Encoder {
  public:
    // Throws std::invalid_argument for a config out of range.
    explicit Encoder(const EncoderConfig& config, const CurveBank& bank = CurveBank::standard());

    // Appends the records that close within these samples to `out` (no allocation when `out` has
    // capacity). Float samples are normalised to [-1, 1]; int16 samples are taken as they are.
    void push(std::span<const float> samples, std::vector<Record>& out);
    void push(std::span<const std::int16_t> samples, std::vector<Record>& out);
    // Closes the open segment: after flush() every pushed sample is covered by a record.
    void flush(std::vector<Record>& out);

    // Samples pushed but not yet covered by a record (the encoder's current latency).
    std::uint64_t pending_samples() const noexcept;
    const EncoderConfig& config() const noexcept { return config_; }
    // Longest a record may be, in samples (u16 limit and max_segment_ms).
    std::uint32_t segment_cap() const noexcept { return cap_; }

  private:
    enum class Mode { kStill, kUp, kDown };
    // push() for either sample type: `convert` takes a sample to the int16 scale.
    template <typename Sample, typename Convert>
    void push_converted(std::span<const Sample> samples, Convert convert, std::vector<Record>& out);
    void push_block(float* samples, std::size_t count,
                    std::vector<Record>& out);  // samples: a scratch chunk
    // Splits the block at frame boundaries and closes the open segment at each.
    void segment_block(const float* samples, std::size_t count, std::vector<Record>& out);
    void segment_run(const float* samples, std::size_t count, std::vector<Record>& out);
    // Covers every sample pushed so far with records (flush() and frame ends).
    void close_open(std::vector<Record>& out);
    void push_peaks(float s, std::vector<Record>& out);
    void push_seed(float s, std::vector<Record>& out);
    std::size_t scan_still(const float* samples, std::size_t count) noexcept;
    template <bool kUp>
    std::size_t scan_moving(const float* samples, std::size_t count) noexcept;
    // Why a moving segment closes: at a confirmed extremum (the swing bank may hold it for a
    // swing), before a flat run or the stream's end (it may complete a held one), or at the cap.
    enum class Close { kExtremum, kFlat, kCap };
    void emit_curve(std::size_t count, std::vector<Record>& out, Close close);
    // Swing bank: the held half-cycle as a record of its own, or with the segment of `count`
    // samples ending at `end` as one swing record when that fits well enough (returns true).
    void emit_held(std::vector<Record>& out);
    bool merge_held(std::size_t count, float end, std::vector<Record>& out);
    // Sets the ids of the curve records emitted since the last call (before push() or flush()
    // returns, or when the batch is full).
    void choose_curves(std::vector<Record>& out) noexcept;
    void emit_silence(std::vector<Record>& out);
    void note_record() noexcept;  // counts a record for the rate controller

    EncoderConfig config_;
    CurveMatcher matcher_;
    const CurveBank* bank_;
    bool swing_bank_ = false;  // ids past the monotone part are swings (swing_bank.h)
    bool swing_ = false;       // and consecutive half-cycles may merge (kPeaks only)
    // The half-cycle awaiting the next one (swing_): held_ samples from held_from_ to its
    // extremum held_peak_; pos_ is already held_end_, as if it were recorded on its own.
    std::uint32_t held_ = 0;
    float held_from_ = 0.0f;
    float held_peak_ = 0.0f;
    std::int16_t held_end_ = 0;
    CurveMatcher::Target held_target_;
    std::vector<float> held_samples_;  // its samples; cap_, allocated once
    // Curve records awaiting their id: searching a batch back to back lets the CPU overlap them.
    struct Pending {
        std::size_t record = 0;  // index in the caller's output
        CurveMatcher::Target target;
    };
    std::array<Pending, 64> pending_;
    std::size_t pending_count_ = 0;
    std::optional<Lowpass> lowpass_;
    std::optional<RdSegmenter> rd_;  // Segmentation::kRd: the segmentation is its job
    std::uint32_t cap_ = kMaxCurveSamples;
    std::uint32_t silence_cap_ = kMaxSilenceSamples;  // longest silence record
    std::uint32_t still_hold_ = 0;
    float threshold_ = 0.0f;  // hysteresis in use: threshold_lsb, or the rate controller's

    RateController rate_;
    std::uint32_t until_control_ = 0;  // samples to the rate controller's next control point
    std::uint32_t records_since_ = 0;  // records closed since its last control point

    std::uint32_t frame_ = 0;        // frame_ms in samples; 0 = no frames
    std::uint32_t until_frame_ = 0;  // samples to the next frame end

    Mode mode_ = Mode::kStill;
    std::vector<float> segment_;  // open moving segment, int16 scale; cap_ samples, allocated once
    std::size_t length_ = 0;      // samples in the open moving segment
    // Index in segment_ of the running extremum (kPeaks); -1 right after a forced split, where the
    // segment boundary itself is the extremum.
    std::ptrdiff_t extremum_ = -1;
    float extremum_value_ = 0.0f;
    std::uint32_t silence_ = 0;  // samples in the open still run
    std::int16_t pos_ = 0;       // the decoder's value after the records emitted so far
    float previous_ = 0.0f;      // kSeedSteps: the last sample
    bool started_ = false;       // kSeedSteps: the first sample sets the first direction
};

// Encodes a whole signal (files, tests).
std::vector<Record> encode_all(std::span<const std::int16_t> samples, const EncoderConfig& config,
                               const CurveBank& bank = CurveBank::standard());

}  // namespace extrema::codec
