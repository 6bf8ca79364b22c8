// `extrema report`: the page is self-contained, holds four players and the figures, and every
// figure equals what `extrema eval --json` prints for the files the report kept; and, in headless
// Chromium (label "browser"), the page renders without errors, its images and players decode, and
// a screenshot is not blank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <vector>

#include <nlohmann/json.hpp>
#include "audio/sound_file.h"
#include "cli_runner.h"
#include "headless_chromium.h"

namespace extrema::test {
namespace {

namespace fs = std::filesystem;

const std::string kSpeech = "/usr/share/sounds/alsa/Front_Center.wav";
// The systems compared with the input, and the file each decodes to in --keep-dir.
const std::vector<std::string> kSystems = {"extrema", "svd", "compressed"};
const std::vector<std::string> kPanels = {"input", "extrema", "svd", "compressed", "extrema-error"};
const std::vector<std::string> kFigureFields = {"stoi", "segsnr_db", "snr_db", "lsd_db",
                                                "delay_samples"};

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    return s;
}

std::string unescape_html(std::string s) {
    const std::pair<const char*, const char*> entities[] = {
        {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}};
    for (const auto& [from, to] : entities) {
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
            s.replace(at, std::strlen(from), to);
        }
    }
    return s;
}

// The opening tag of the element with id `id` ("" if absent).
std::string tag_with_id(const std::string& html, const std::string& id) {
    const auto at = html.find("id=\"" + id + "\"");
    if (at == std::string::npos) return {};
    const auto open = html.rfind('<', at);
    return html.substr(open, html.find('>', at) - open + 1);
}

// The text directly inside the element with id `id`.
std::string text_of(const std::string& html, const std::string& id) {
    const auto at = html.find("id=\"" + id + "\"");
    if (at == std::string::npos) return "<missing #" + id + ">";
    const auto start = html.find('>', at) + 1;
    return unescape_html(html.substr(start, html.find('<', start) - start));
}

std::string attribute(const std::string& tag, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(tag, m, std::regex(" " + name + "=\"([^\"]*)\""))) return {};
    return unescape_html(m[1].str());
}

// {"a":1,"b":2.5} -> {a: "1", b: "2.5"}: each value of eval's or info's object as nlohmann-json
// writes it, the text the page must show.
std::map<std::string, std::string> json_numbers(const std::string& json) {
    std::map<std::string, std::string> fields;
    const nlohmann::json object = nlohmann::json::parse(json);
    for (const auto& [key, value] : object.items()) fields[key] = value.dump();
    return fields;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// The page with every data: URI's payload removed: what is left is markup, CSS and text.
// (A loop, not std::regex: libstdc++'s regex recurses per character and overflows the stack on a
// payload of hundreds of kilobytes.)
std::string without_data_payloads(const std::string& html) {
    std::string out;
    std::size_t at = 0;
    for (auto data = html.find(";base64,"); data != std::string::npos;
         data = html.find(";base64,", at)) {
        out.append(html, at, data - at);
        at = html.find_first_of("\"'", data);
        if (at == std::string::npos) return out;
    }
    return out + html.substr(at);
}

// The command that produced the file eval compares for system `key`.
std::string eval_command(const fs::path& dir, const std::string& key) {
    const std::string xtr = key == "extrema" ? " --xtr " + (dir / "extrema.xtr").string() : "";
    return "eval --json " + kSpeech + " " + (dir / (key + ".wav")).string() + xtr;
}

// Every figure of the page (its cells, as text) equals eval's output for the same files.
void expect_figures_equal_eval(const std::string& html, const fs::path& keep) {
    for (const std::string& key : kSystems) {
        const CliResult eval = run_cli(eval_command(keep, key));
        ASSERT_EQ(eval.exit_code, 0) << eval.output;
        const std::string json = trim(eval.output);
        EXPECT_EQ(attribute(tag_with_id(html, "figures-" + key), "data-eval-json"), json) << key;
        const auto fields = json_numbers(json);
        ASSERT_EQ(fields.size(), key == "extrema" ? 7u : 6u) << json;  // with "mos"
        for (const std::string& field : kFigureFields) {
            EXPECT_EQ(text_of(html, key + "-" + field), fields.at(field)) << key << " " << field;
        }
        if (key == "extrema") {
            EXPECT_EQ(text_of(html, "extrema-kbps"), fields.at("kbps"));
        }
    }
    const CliResult info = run_cli("info --json " + (keep / "svd.xsvd").string());
    ASSERT_EQ(info.exit_code, 0) << info.output;
    const auto fields = json_numbers(info.output);
    EXPECT_EQ(text_of(html, "svd-kbps"), fields.at("kbps"));
    EXPECT_EQ(text_of(html, "svd-bytes"), fields.at("bytes"));
    EXPECT_EQ(text_of(html, "extrema-bytes"), std::to_string(fs::file_size(keep / "extrema.xtr")));
}

// One report of the speech prompt, made once for all tests of this process.
class Report {
  public:
    static const Report& get() {
        static const Report report;
        return report;
    }
    fs::path html_path() const { return dir_ / "report.html"; }
    fs::path keep() const { return dir_ / "keep"; }
    const std::string& html() const { return html_; }
    const CliResult& result() const { return result_; }

  private:
    Report() : dir_(temp_.path()) {
        result_ = run_cli("report " + kSpeech + " -o " + html_path().string() + " --keep-dir " +
                          keep().string());
        // A failed run leaves no page: the first test shows why (result().output).
        if (result_.exit_code == 0) html_ = read_text(html_path());
    }
    TempDir temp_;
    fs::path dir_;
    CliResult result_;
    std::string html_;
};

std::vector<float> tone_with_noise(std::size_t frames, int channels, double rate_hz) {
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 0.02f);
    std::vector<float> s(frames * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < frames; ++i) {
        // A 4 Hz "syllable" envelope over a 220 Hz tone: loud and quiet stretches, like speech.
        const double t = static_cast<double>(i) / rate_hz;
        const double level = 0.3 * (0.5 + 0.5 * std::sin(2 * M_PI * 4 * t));
        for (int c = 0; c < channels; ++c) {
            s[i * channels + c] =
                static_cast<float>(level * std::sin(2 * M_PI * 220 * (c + 1) * t)) + noise(rng);
        }
    }
    return s;
}

void expect_clean_failure(const CliResult& r, const std::string& names, const fs::path& output) {
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find(names), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(output)) << "left " << output;
    if (!fs::exists(output.parent_path())) return;
    for (const auto& entry : fs::directory_iterator(output.parent_path())) {
        EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
    }
}

// ---- the page as a file ----------------------------------------------------------------------

TEST(ReportPage, WritesThePageAndKeepsTheFiles) {
    const Report& r = Report::get();
    ASSERT_EQ(r.result().exit_code, 0) << r.result().output;
    EXPECT_TRUE(r.html().starts_with("<!DOCTYPE html>"));
    EXPECT_TRUE(trim(r.html()).ends_with("</html>"));
    for (const char* name :
         {"extrema.xtr", "extrema.wav", "svd.xsvd", "svd.wav", "compressed.wav"}) {
        EXPECT_TRUE(fs::exists(r.keep() / name)) << name;
    }
    // A page for 1.4 s of speech: four 137 kB players and four spectrograms, well under 3 MB.
    EXPECT_LT(r.html().size(), 3u << 20);
}

TEST(ReportPage, HasNoExternalReferences) {
    const std::string page = without_data_payloads(Report::get().html());
    EXPECT_EQ(page.find("http"), std::string::npos);
    EXPECT_EQ(page.find("src=\"//"), std::string::npos);
    EXPECT_EQ(page.find("href=\"//"), std::string::npos);
    EXPECT_EQ(page.find("<link"), std::string::npos);
    EXPECT_EQ(page.find("@import"), std::string::npos);
    // One inline script, the A/B switch's: no src, and nothing in it that reaches outside.
    EXPECT_EQ(count_of(page, "<script"), 1u);
    const auto script = page.find("<script>");
    ASSERT_NE(script, std::string::npos) << "the script is inline (no attributes, no src)";
    const std::string code = page.substr(script, page.find("</script>", script) - script);
    for (const char* reach : {"fetch", "XMLHttpRequest", "import", "WebSocket", "console.", "eval(",
                              "location", "localStorage", "document.cookie"}) {
        EXPECT_EQ(code.find(reach), std::string::npos) << reach;
    }
    // Every src and href is a data: URI, and url() only names fragments of the page itself.
    const std::regex reference("(src|href)=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), reference);
         it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE((*it)[2].str().starts_with("data:")) << (*it)[0];
    }
    const std::regex url("url\\(([^)]*)\\)");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), url);
         it != std::sregex_iterator(); ++it) {
        EXPECT_TRUE((*it)[1].str().starts_with("#")) << (*it)[0];
    }
}

TEST(ReportPage, KeepsTheCompressorOutOfTheCodecTable) {
    const std::string& html = Report::get().html();
    const auto effects = html.find("<h3>Effects</h3>");
    ASSERT_NE(effects, std::string::npos);
    const auto codec_table_end = html.find("</table>");
    EXPECT_LT(html.find("id=\"figures-svd\""), codec_table_end);
    EXPECT_GT(html.find("id=\"figures-compressed\""), effects);
    EXPECT_EQ(html.find("id=\"figures-extrema-error\""), std::string::npos) << "no figures";
}

// One point per codec in the bitrate-quality chart, with the table's kbps and eval's MOS.
void expect_chart_matches_figures(const std::string& html, const fs::path& keep) {
    EXPECT_EQ(count_of(html, "class=\"rq-point\""), 2u) << "extrema and svd; not the effect";
    EXPECT_EQ(html.find("id=\"rq-compressed\""), std::string::npos);
    EXPECT_EQ(html.find("id=\"rq-input\""), std::string::npos);
    for (const std::string key : {"extrema", "svd"}) {
        const CliResult eval = run_cli(eval_command(keep, key));
        ASSERT_EQ(eval.exit_code, 0) << eval.output;
        const auto fields = json_numbers(trim(eval.output));
        const std::string point = tag_with_id(html, "rq-" + key);
        ASSERT_FALSE(point.empty()) << key;
        EXPECT_EQ(attribute(point, "data-kbps"), text_of(html, key + "-kbps")) << key;
        EXPECT_EQ(attribute(point, "data-mos"), fields.at("mos")) << key;
    }
}

TEST(ReportPage, ChartsBitrateAgainstMosForEachCodec) {
    const Report& r = Report::get();
    expect_chart_matches_figures(r.html(), r.keep());
}

TEST(ReportPage, ShowsTheErrorSignalAsInputMinusExtrema) {
    const Report& r = Report::get();
    const auto input = audio::read_sound_file(kSpeech);
    const auto decoded = audio::read_sound_file(r.keep() / "extrema.wav");
    ASSERT_EQ(input.samples.size(), decoded.samples.size());
    double error_peak = 0.0;
    for (std::size_t i = 0; i < input.samples.size(); ++i) {
        error_peak = std::max(error_peak, std::abs(double(input.samples[i] - decoded.samples[i])));
    }
    EXPECT_GT(error_peak, 0.0);
    const std::string& html = r.html();
    EXPECT_FALSE(tag_with_id(html, "spectrogram-extrema-error").empty());
    EXPECT_FALSE(tag_with_id(html, "waveform-extrema-error").empty());
}

TEST(ReportPage, HasAPlayerPerPanelAndEveryFigure) {
    const std::string& html = Report::get().html();
    EXPECT_EQ(count_of(html, "<audio controls"), 5u);
    EXPECT_EQ(count_of(html, "src=\"data:audio/wav;base64,UklGR"), 5u) << "RIFF WAV data";
    for (const std::string& key : kPanels) {
        EXPECT_FALSE(tag_with_id(html, "player-" + key).empty()) << key;
        EXPECT_EQ(attribute(tag_with_id(html, "player-" + key), "data-seconds"), "1.428") << key;
        EXPECT_FALSE(tag_with_id(html, "waveform-" + key).empty()) << key;
        EXPECT_FALSE(tag_with_id(html, "spectrogram-" + key).empty()) << key;
    }
    // "iVBORw0KGgo" is the PNG signature in base64.
    EXPECT_EQ(count_of(html, "data:image/png;base64,iVBORw0KGgo"), 5u) << "five PNG spectrograms";
    EXPECT_NE(html.find("id=\"zoom\""), std::string::npos);
    EXPECT_NE(html.find("class=\"extremum\""), std::string::npos) << "segment boundaries";
}

TEST(ReportPage, FiguresEqualEvalJsonForTheKeptFiles) {
    const Report& r = Report::get();
    ASSERT_EQ(r.result().exit_code, 0) << r.result().output;
    expect_figures_equal_eval(r.html(), r.keep());
}

TEST(ReportPage, KeptFilesAreWhatTheIndividualCommandsWrite) {
    const Report& r = Report::get();
    TempDir dir;
    const auto same = [](const fs::path& a, const fs::path& b) {
        return audio::read_whole_file(a) == audio::read_whole_file(b);
    };
    ASSERT_EQ(run_cli("encode " + kSpeech + " " + (dir / "a.xtr").string()).exit_code, 0);
    ASSERT_EQ(
        run_cli("decode " + (dir / "a.xtr").string() + " " + (dir / "a.wav").string()).exit_code,
        0);
    ASSERT_EQ(
        run_cli("svd encode " + kSpeech + " " + (dir / "a.xsvd").string() + " --rank 16").exit_code,
        0);
    ASSERT_EQ(run_cli("svd decode " + (dir / "a.xsvd").string() + " " + (dir / "s.wav").string())
                  .exit_code,
              0);
    ASSERT_EQ(run_cli("compress " + kSpeech + " " + (dir / "c.wav").string()).exit_code, 0);
    EXPECT_TRUE(same(dir / "a.xtr", r.keep() / "extrema.xtr"));
    EXPECT_TRUE(same(dir / "a.wav", r.keep() / "extrema.wav"));
    EXPECT_TRUE(same(dir / "a.xsvd", r.keep() / "svd.xsvd"));
    EXPECT_TRUE(same(dir / "s.wav", r.keep() / "svd.wav"));
    EXPECT_TRUE(same(dir / "c.wav", r.keep() / "compressed.wav"));
}

TEST(ReportPage, OptionsReachEachSystem) {
    TempDir dir;
    const auto page = dir / "r.html";
    const CliResult r = run_cli("report " + kSpeech + " -o " + page.string() + " --keep-dir " +
                                (dir / "k").string() +
                                " --threshold 400 --lowpass 4000 --rank 8 --ratio inf "
                                "--threshold-db -30 --zoom-ms 5 --zoom-at-s 0.9");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string html = read_text(page);
    EXPECT_NE(html.find("threshold 400 LSB, low-pass 4000 Hz"), std::string::npos);
    EXPECT_NE(html.find("rank 8,"), std::string::npos);
    EXPECT_NE(html.find("ratio ∞:1 (limiter)"), std::string::npos);
    EXPECT_NE(html.find("5 ms from 0.900 s"), std::string::npos);
    const CliResult info = run_cli("info --json " + (dir / "k" / "svd.xsvd").string());
    EXPECT_EQ(json_numbers(info.output).at("rank"), "8") << info.output;
    expect_figures_equal_eval(html, dir / "k");
}

TEST(ReportPage, LongInputsGetAShortExcerptInThePlayers) {
    TempDir dir;
    constexpr int kRate = 16000;
    audio::write_sound_file(dir / "long.wav", kRate, 1, tone_with_noise(12 * kRate, 1, kRate));
    const auto page = dir / "r.html";
    const CliResult r = run_cli("report " + (dir / "long.wav").string() + " -o " + page.string() +
                                " --max-audio-s 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string html = read_text(page);
    for (const std::string& key : kPanels) {
        EXPECT_EQ(attribute(tag_with_id(html, "player-" + key), "data-seconds"), "3.000") << key;
    }
    EXPECT_NE(html.find("The first 3.0 s of each signal (of 12.0 s"), std::string::npos);
    // Not a terminal: no progress bar drawn.
    EXPECT_EQ(r.output.find('\r'), std::string::npos) << r.output;
    // Four 3 s players (96 kB of WAV each) and four spectrograms (at most 184 kB of pixels each),
    // a third more as base64, plus markup.
    EXPECT_LT(html.size(), 2u << 20);
    // Without --keep-dir nothing is left behind beside the page.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 2);
}

// On a terminal (a pseudo-terminal from util-linux's script), a long report draws its progress
// and leaves it at 100 % with the time taken, followed by the summary line.
TEST(ReportPage, DrawsAProgressBarOnATerminalAndKeepsItsLastLine) {
    TempDir dir;
    // 10 s at 48 kHz: the samples a bar needs (progress.cpp), in as few seconds as the model
    // (which works at 16 kHz) can take.
    constexpr int kRate = 48000;
    audio::write_sound_file(dir / "long.wav", kRate, 1, tone_with_noise(10 * kRate, 1, kRate));
    const std::string command = "script -qec '" + std::string(EXTREMA_CLI) + " report " +
                                (dir / "long.wav").string() + " -o " + (dir / "r.html").string() +
                                "' /dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    ASSERT_EQ(::pclose(pipe), 0) << out;
    EXPECT_NE(out.find("\rreport ["), std::string::npos) << out;
    EXPECT_NE(out.find("]  25%"), std::string::npos) << out;
    const std::regex last("\\] 100% in [0-9]+\\.[0-9] s\r?\n[^\r\n]*r\\.html: [0-9]+ bytes");
    EXPECT_TRUE(std::regex_search(out, last)) << out;
}

TEST(ReportPage, ShortStereoInputAtAnotherRate) {
    TempDir dir;
    constexpr int kRate = 22050;
    audio::write_sound_file(dir / "st.wav", kRate, 2, tone_with_noise(kRate / 4, 2, kRate));
    const auto page = dir / "r.html";
    const CliResult r = run_cli("report " + (dir / "st.wav").string() + " -o " + page.string() +
                                " --keep-dir " + (dir / "k").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string html = read_text(page);
    EXPECT_NE(html.find("22050 Hz · 2 channels"), std::string::npos);
    // 0.25 s has 12 STFT frames: the default rank 16 is capped to what the blocks allow.
    EXPECT_NE(html.find("rank 12,"), std::string::npos);
    EXPECT_EQ(count_of(html, "<audio controls"), 5u);
    // Too short for STOI: eval refuses the pair, and the page says why instead of the figures.
    const CliResult eval =
        run_cli("eval " + (dir / "st.wav").string() + " " + (dir / "k" / "svd.wav").string());
    EXPECT_EQ(eval.exit_code, 1);
    const std::string reason = text_of(html, "svd-eval-error");
    EXPECT_TRUE(reason.starts_with("not measurable: too little active speech")) << reason;
    EXPECT_NE(eval.output.find(reason.substr(std::strlen("not measurable: "))), std::string::npos)
        << eval.output;
    EXPECT_EQ(tag_with_id(html, "svd-stoi"), "");
    EXPECT_EQ(text_of(html, "svd-bytes"), std::to_string(fs::file_size(dir / "k" / "svd.xsvd")));
}

TEST(ReportPage, ChartsARateQualityBenchResultAcrossSettingsAndCodecs) {
    TempDir dir;
    constexpr int kRate = 22050;
    audio::write_sound_file(dir / "st.wav", kRate, 2, tone_with_noise(kRate / 4, 2, kRate));
    // The shape tools/bench/extrema_rate_quality writes: two rows, one extrema, one peer.
    std::ofstream(dir / "rq.json")
        << R"({"files":["a.wav","b.wav"],"mean":[)"
           R"({"name":"extrema --kbps 32","kbps":30.1,"mos":3.44,"stoi":0.85,"segsnr_db":8.8},)"
           R"({"name":"G.726 32","kbps":32.0,"mos":4.15,"stoi":0.99,"segsnr_db":22.7}]})";
    const auto page = dir / "r.html";
    const std::string report = "report " + (dir / "st.wav").string() + " -o " + page.string();
    const CliResult r = run_cli(report + " --rate-quality " + (dir / "rq.json").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string html = read_text(page);
    EXPECT_FALSE(tag_with_id(html, "bench-rate-quality-chart").empty());
    EXPECT_EQ(attribute(tag_with_id(html, "rq-bench-1"), "data-kbps"), "30.1");
    EXPECT_EQ(attribute(tag_with_id(html, "rq-bench-1"), "data-mos"), "3.44");
    EXPECT_EQ(attribute(tag_with_id(html, "rq-bench-2"), "data-kbps"), "32.0");
    EXPECT_EQ(attribute(tag_with_id(html, "rq-bench-2"), "data-mos"), "4.15");
    EXPECT_EQ(tag_with_id(html, "rq-bench-3"), "");
    EXPECT_NE(html.find("means over 2 speech files"), std::string::npos);
    // Many points: numbered in the chart, named in the list below it.
    EXPECT_NE(html.find("<li>extrema --kbps 32: 30.1 kbps, MOS-LQO 3.44</li><li>G.726 32: 32.0 "
                        "kbps, MOS-LQO 4.15</li></ol>"),
              std::string::npos);

    // Not a bench result: one line naming the file, exit 1, no page, before any work.
    std::ofstream(dir / "bad.json") << R"({"mean":[{"name":"x","kbps":"fast"}]})";
    const auto no_page = dir / "none.html";
    const CliResult bad =
        run_cli("report " + (dir / "st.wav").string() + " -o " + no_page.string() +
                " --rate-quality " + (dir / "bad.json").string());
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_NE(bad.output.find("row 1 of \"mean\" lacks a name, kbps or mos"), std::string::npos)
        << bad.output;
    EXPECT_FALSE(fs::exists(no_page));
}

TEST(ReportPage, BadInputFailsWithOneClearLineAndNoFile) {
    TempDir dir;
    const auto page = dir / "r.html";
    const auto report = [&](const std::string& args) {
        return run_cli("report " + args + " -o " + page.string());
    };
    expect_clean_failure(report((dir / "missing.wav").string()), "missing.wav", page);
    { std::ofstream(dir / "text.wav") << "hello\n"; }
    expect_clean_failure(report((dir / "text.wav").string()), "text.wav", page);
    audio::write_sound_file(dir / "empty.wav", 48000, 1, std::vector<float>{});
    expect_clean_failure(report((dir / "empty.wav").string()), "no audio samples", page);
    expect_clean_failure(report(kSpeech + " --rank 0"), "invalid --rank 0", page);
    expect_clean_failure(report(kSpeech + " --rank 500"), "it must be in 1..135", page);
    expect_clean_failure(report(kSpeech + " --ratio 0.5"), "ratio", page);
    expect_clean_failure(report(kSpeech + " --lowpass 30000"), "invalid extrema option", page);
    expect_clean_failure(report(kSpeech + " --zoom-at-s 9"), "--zoom-at-s 9 is past the end", page);
    expect_clean_failure(report(kSpeech + " --max-input-s 1"), "--max-input-s", page);
    expect_clean_failure(run_cli("report " + kSpeech + " -o " + (dir / "no/such/r.html").string()),
                         "directory does not exist", dir / "no/such/r.html");
    // The error is one line on stderr.
    const CliResult r = report((dir / "missing.wav").string());
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
}

TEST(ReportFiles, InfoDescribesAnXsvdFile) {
    const Report& r = Report::get();
    const CliResult json = run_cli("info --json " + (r.keep() / "svd.xsvd").string());
    ASSERT_EQ(json.exit_code, 0) << json.output;
    const auto f = json_numbers(json.output);
    EXPECT_EQ(f.at("format"), "\"xsvd1\"") << json.output;
    EXPECT_EQ(f.at("rate_hz"), "48000");
    EXPECT_EQ(f.at("channels"), "1");
    EXPECT_EQ(f.at("samples"), "68545");
    EXPECT_EQ(f.at("rank"), "16");
    EXPECT_EQ(f.at("blocks"), "1");
    EXPECT_EQ(f.at("n_fft"), "1024");
    EXPECT_EQ(f.at("hop"), "512");
    EXPECT_EQ(f.at("bytes"), std::to_string(fs::file_size(r.keep() / "svd.xsvd")));
    const double kbps = std::stod(f.at("bytes")) * 8 / (68545.0 / 48000) / 1000;
    EXPECT_NEAR(std::stod(f.at("kbps")), kbps, 0.0005);

    const CliResult human = run_cli("info " + (r.keep() / "svd.xsvd").string());
    ASSERT_EQ(human.exit_code, 0) << human.output;
    for (const char* text :
         {"xsvd v1", "48000 Hz", "1.428 s", "rank:        16", "n_fft 1024", "hop 512", "kbps"}) {
        EXPECT_NE(human.output.find(text), std::string::npos) << text << "\n" << human.output;
    }
    // A damaged .xsvd is refused by its own parser, not misread as an .xtr stream.
    TempDir dir;
    auto bytes = audio::read_whole_file(r.keep() / "svd.xsvd");
    bytes.resize(100);
    audio::write_file_atomically(dir / "cut.xsvd", bytes);
    const CliResult cut = run_cli("info " + (dir / "cut.xsvd").string());
    EXPECT_EQ(cut.exit_code, 1);
    EXPECT_NE(cut.output.find("not a valid .xsvd file"), std::string::npos) << cut.output;
}

// ---- the page in a browser (label "browser") ----------------------------------------------------

// Awaited in the page after its load event: decodes every embedded image and loads every player's
// metadata, and names what came out (no quotes or backslashes in the result, for the probe).
const std::string kProbe = R"js((async () => {
  const parts = [];
  const images = [...document.querySelectorAll('image, img')];
  let decoded = 0;
  for (const el of images) {
    const img = new Image();
    img.src = el.getAttribute('href') || el.getAttribute('src');
    try { await img.decode(); if (img.naturalWidth > 0) decoded++; } catch (e) {}
  }
  parts.push('images ' + decoded + '/' + images.length);
  for (const a of document.querySelectorAll('audio')) {
    if (a.readyState < 1) {
      await new Promise((done) => {
        a.addEventListener('loadedmetadata', done, {once: true});
        a.addEventListener('error', done, {once: true});
        a.load();
      });
    }
    parts.push(a.id + ' ' + (a.error ? 'error' : a.duration.toFixed(3)));
  }
  return parts.join(';');
})())js";

void require_chromium() {
    // Not a skip: the install script installs chromium, so its absence is a broken setup.
    ASSERT_TRUE(fs::exists(chromium_path()))
        << chromium_path() << " is missing: run tools/scripts/install-deps.sh";
}

TEST(ReportBrowser, DumpedDomShowsTheFiguresOfEvalAndTheConsoleStaysQuiet) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    const Report& r = Report::get();
    ASSERT_EQ(r.result().exit_code, 0) << r.result().output;
    const ChromiumRun run =
        run_chromium({"--enable-logging=stderr", "--v=0", "--dump-dom", file_url(r.html_path())});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const std::string& dom = run.out;
    ASSERT_NE(dom.find("id=\"figures\""), std::string::npos) << dom.substr(0, 2000);
    expect_figures_equal_eval(dom, r.keep());
    EXPECT_EQ(count_of(dom, "<audio controls"), 5u);
    // Chromium logs page console messages and uncaught exceptions as ":CONSOLE" lines.
    EXPECT_EQ(run.err.find(":CONSOLE"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("Uncaught"), std::string::npos) << run.err;
}

// Waits for every player's metadata, puts extrema at 0.7 s, switches to svd, then plays svd
// muted, switches to the compressor while it plays, and names what each step left.
const std::string kAbProbe = R"js((async () => {
  const audios = [...document.querySelectorAll('audio')];
  for (const a of audios) {
    if (a.readyState < 1) {
      await new Promise((done) => {
        a.addEventListener('loadedmetadata', done, {once: true});
        a.addEventListener('error', done, {once: true});
        a.load();
      });
    }
  }
  const get = (key) => document.getElementById('player-' + key);
  const button = (key) => document.querySelector('#ab-switch button[data-ab=' + key + ']');
  const pressed = () => [...document.querySelectorAll('#ab-switch button')]
      .filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.ab).join('+');
  const parts = [];
  button('extrema').click();
  get('extrema').currentTime = 0.7;
  button('svd').click();
  parts.push('svd at ' + get('svd').currentTime.toFixed(2) + ' paused ' + get('svd').paused +
             ' pressed ' + pressed());
  get('svd').muted = true;
  try { await get('svd').play(); } catch (e) { parts.push('play refused ' + e.name); }
  await new Promise((done) => setTimeout(done, 300));
  const at = get('svd').currentTime;
  button('compressed').click();
  const moved = get('compressed').currentTime;
  parts.push('compressed ' + (Math.abs(moved - at) < 0.15 && moved > 0.75 ? 'at svd position' :
             'at ' + moved.toFixed(3) + ' vs ' + at.toFixed(3)) + ' playing ' +
             !get('compressed').paused + ' svd paused ' + get('svd').paused +
             ' muted ' + get('compressed').muted + ' pressed ' + pressed());
  get('compressed').pause();
  return parts.join(';');
})())js";

TEST(ReportBrowser, AbSwitchKeepsThePositionAndThePlayState) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    const Report& r = Report::get();
    const PageProbe probe = probe_page(file_url(r.html_path()), kAbProbe);
    ASSERT_TRUE(probe.failure.empty()) << probe.failure;
    EXPECT_EQ(probe.value,
              "svd at 0.70 paused true pressed svd;"
              "compressed at svd position playing true svd paused true muted true pressed "
              "compressed");
    EXPECT_TRUE(probe.errors.empty()) << probe.errors.front();
}

TEST(ReportBrowser, ChartInTheDomHasOnePointPerCodec) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    const Report& r = Report::get();
    const ChromiumRun run = run_chromium({"--dump-dom", file_url(r.html_path())});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    expect_chart_matches_figures(run.out, r.keep());
}

TEST(ReportBrowser, EveryImageAndPlayerDecodesWithoutErrorOrRequest) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    const Report& r = Report::get();
    const PageProbe probe = probe_page(file_url(r.html_path()), kProbe);
    ASSERT_TRUE(probe.failure.empty()) << probe.failure;
    EXPECT_EQ(probe.value,
              "images 5/5;player-input 1.428;player-extrema 1.428;player-svd 1.428;"
              "player-compressed 1.428;player-extrema-error 1.428");
    EXPECT_TRUE(probe.errors.empty()) << probe.errors.front();
    // The page itself is the only thing fetched from outside the page.
    for (const std::string& url : probe.requests) {
        EXPECT_TRUE(url == file_url(r.html_path()) || url.starts_with("data:")) << url;
    }
    EXPECT_FALSE(probe.requests.empty());
}

TEST(ReportBrowser, TheErrorChecksCatchABrokenPage) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    TempDir dir;
    std::ofstream(dir / "broken.html")
        << "<!DOCTYPE html><html><body><p>x</p><script>no_such_function();</script>"
           "<img src=\"data:image/png;base64,AAAA\"></body></html>";
    const PageProbe probe = probe_page(file_url(dir / "broken.html"), kProbe);
    ASSERT_TRUE(probe.failure.empty()) << probe.failure;
    EXPECT_FALSE(probe.errors.empty());
    EXPECT_EQ(probe.value, "images 0/1");
    const ChromiumRun run = run_chromium(
        {"--enable-logging=stderr", "--v=0", "--dump-dom", file_url(dir / "broken.html")});
    EXPECT_NE(run.err.find(":CONSOLE"), std::string::npos) << run.err;
}

// Width and height from a PNG's IHDR chunk (0, 0 if it is not a PNG).
std::pair<std::uint32_t, std::uint32_t> png_size(const std::vector<std::uint8_t>& png) {
    static const std::uint8_t kSignature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (png.size() < 24 || !std::equal(std::begin(kSignature), std::end(kSignature), png.begin()) ||
        std::string(png.begin() + 12, png.begin() + 16) != "IHDR") {
        return {0, 0};
    }
    const auto be32 = [&](std::size_t at) {
        return std::uint32_t{png[at]} << 24 | std::uint32_t{png[at + 1]} << 16 |
               std::uint32_t{png[at + 2]} << 8 | png[at + 3];
    };
    return {be32(16), be32(20)};
}

TEST(ReportBrowser, ScreenshotIsNotBlank) {
    ASSERT_NO_FATAL_FAILURE(require_chromium());
    const Report& r = Report::get();
    TempDir dir;
    std::ofstream(dir / "blank.html") << "<!DOCTYPE html><html><body></body></html>";
    const auto shoot = [&](const fs::path& page, const fs::path& png) {
        const ChromiumRun run = run_chromium(
            {"--window-size=1280,2000", "--screenshot=" + png.string(), file_url(page)});
        EXPECT_EQ(run.exit_code, 0) << run.err;
        return fs::exists(png) ? audio::read_whole_file(png) : std::vector<std::uint8_t>{};
    };
    const auto blank = shoot(dir / "blank.html", dir / "blank.png");
    const auto page = shoot(r.html_path(), dir / "page.png");
    EXPECT_EQ(png_size(page), (std::pair<std::uint32_t, std::uint32_t>{1280, 2000}));
    EXPECT_EQ(png_size(blank), png_size(page));
    // A blank page compresses to a few kB; text, plots and spectrograms do not.
    EXPECT_GT(page.size(), 20 * blank.size()) << page.size() << " vs blank " << blank.size();
}

}  // namespace
}  // namespace extrema::test
