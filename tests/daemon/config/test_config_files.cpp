// The files shipped with the config: docs/config.md holds the generated key reference, and
// config/extremad.toml and config/examples/ parse to what they say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <toml++/toml.h>

#include "config_test_support.h"

namespace extrema::config::test {
namespace {

using ::testing::HasSubstr;

TEST(ConfigDocs, ReferenceIsUpToDate) {
    const std::string document = read_text(source_file("docs/config.md"));
    EXPECT_EQ(update_config_reference(document), document)
        << "docs/config.md is out of date: run `ninja config_docs`";
}

TEST(ConfigDocs, ReferenceListsEveryKeyAndFlag) {
    const std::string reference = render_config_reference_markdown();
    for (const KeySpec& key : config_keys()) {
        EXPECT_THAT(reference, HasSubstr("| `" + key.path() + "` |"));
        EXPECT_THAT(reference, HasSubstr("`" + key.option() + "`"));
    }
}

TEST(ConfigDocs, SighupSectionNamesEveryLiveKey) {
    const std::string document = read_text(source_file("docs/config.md"));
    const auto section = document.find("## What SIGHUP reloads");
    ASSERT_NE(section, std::string::npos);
    const std::string text = document.substr(section);
    for (const std::string& key : reloadable_keys()) {
        EXPECT_THAT(text, HasSubstr("`" + key + "`")) << key;
    }
}

TEST(ConfigExample, SetsEveryKey) {
    const toml::table document = toml::parse_file(source_file("config/extremad.toml").string());
    for (const KeySpec& key : config_keys()) {
        EXPECT_TRUE(document.at_path(key.path())) << key.path() << " missing";
    }
}

TEST(ConfigExample, HoldsTheDefaultsExceptTheLinkItDescribes) {
    const LinkConfig example = load_config(source_file("config/extremad.toml"));
    const ReloadPlan differences = diff_for_reload(LinkConfig{}, example);
    EXPECT_TRUE(differences.reloadable.empty());
    // A complete example needs a peer; it shows a two-way link (documented in the file).
    std::vector<std::string> changed;
    for (const KeyChange& change : differences.needs_restart) changed.push_back(change.key);
    EXPECT_EQ(changed, (std::vector<std::string>{"mode", "network.peer"}));
    EXPECT_EQ(example.mode, pipeline::LinkMode::kDuplex);
}

TEST(ConfigExample, LoopbackSender) {
    const LinkConfig sender = load_config(source_file("config/examples/loopback-sender.toml"));
    EXPECT_EQ(sender.mode, pipeline::LinkMode::kSend);
    EXPECT_EQ(sender.audio.input, pipeline::InputKind::kFile);
    EXPECT_EQ(sender.audio.file_pacing, pipeline::FilePacing::kRealTime);
    EXPECT_EQ(sender.network.peer, "127.0.0.1:5006");
    EXPECT_EQ(sender.network.bind, "127.0.0.1:5004");
}

TEST(ConfigExample, LoopbackReceiver) {
    const LinkConfig receiver = load_config(source_file("config/examples/loopback-receiver.toml"));
    EXPECT_EQ(receiver.mode, pipeline::LinkMode::kReceive);
    EXPECT_EQ(receiver.audio.output, pipeline::OutputKind::kFile);
    EXPECT_EQ(receiver.network.bind, "127.0.0.1:5006");
    EXPECT_EQ(receiver.network.peer, "127.0.0.1:5004");
    EXPECT_FALSE(receiver.receiver.drift_correction);
}

TEST(ConfigExample, ScriptsOverrideTheLoopbackFiles) {
    CLI::App app{"extremad"};
    ConfigOverrides overrides;
    add_config_flags(app, overrides);
    const char* argv[] = {"extremad", "--input-file", "/tmp/speech.wav", "--file-pacing", "fast"};
    app.parse(5, argv);
    const LinkConfig sender =
        load_config(source_file("config/examples/loopback-sender.toml"), overrides);
    EXPECT_EQ(sender.audio.input_file, "/tmp/speech.wav");
    EXPECT_EQ(sender.audio.file_pacing, pipeline::FilePacing::kFast);
}

}  // namespace
}  // namespace extrema::config::test
