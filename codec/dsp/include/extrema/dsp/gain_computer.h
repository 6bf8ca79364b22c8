#pragma once
// The compressor's static curve (Giannoulis, Massberg and Reiss, JAES 2012, eq. 4): output level
// in dB for a steady input level in dB, with the quadratic soft knee of width knee_db centred on
// the threshold. Pure functions, usable from the audio thread.
namespace extrema::dsp {

struct GainCurve {
    double threshold_db = 0.0;  // dBFS where compression starts (centre of the knee)
    double ratio = 1.0;         // input dB change per output dB change above the knee; may be +inf
    double knee_db = 0.0;       // knee width W; 0 is a hard knee
};

// y_G(x): the output level for input level x (both dB). Continuous, with a continuous slope when
// knee_db > 0.
double gain_computer_db(const GainCurve& curve, double level_db) noexcept;

// y_G(x) - x: the gain (<= 0 dB) the curve asks for at level x.
inline double curve_gain_db(const GainCurve& curve, double level_db) noexcept {
    return gain_computer_db(curve, level_db) - level_db;
}

}  // namespace extrema::dsp
