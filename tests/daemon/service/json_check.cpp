#include "json_check.h"

#include <cctype>
#include <cstddef>

namespace extrema::service::testing {
namespace {

class Checker {
  public:
    explicit Checker(std::string_view text) : text_(text) {}

    bool document() {
        skip_space();
        if (!value()) return false;
        skip_space();
        return pos_ == text_.size();
    }

  private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return at_end() ? '\0' : text_[pos_]; }
    bool take(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    bool take_word(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    void skip_space() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            ++pos_;
    }
    bool digits() {
        const std::size_t start = pos_;
        while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
        return pos_ > start;
    }

    bool value() {
        switch (peek()) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return take_word("true");
            case 'f':
                return take_word("false");
            case 'n':
                return take_word("null");
            default:
                return number();
        }
    }

    bool object() {
        take('{');
        skip_space();
        if (take('}')) return true;
        for (;;) {
            skip_space();
            if (!string()) return false;
            skip_space();
            if (!take(':')) return false;
            skip_space();
            if (!value()) return false;
            skip_space();
            if (take('}')) return true;
            if (!take(',')) return false;
        }
    }

    bool array() {
        take('[');
        skip_space();
        if (take(']')) return true;
        for (;;) {
            skip_space();
            if (!value()) return false;
            skip_space();
            if (take(']')) return true;
            if (!take(',')) return false;
        }
    }

    bool string() {
        if (!take('"')) return false;
        while (!at_end()) {
            const char c = text_[pos_++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') continue;
            const char escaped = peek();
            ++pos_;
            if (escaped == 'u') {
                for (int i = 0; i < 4; ++i) {
                    if (!std::isxdigit(static_cast<unsigned char>(peek()))) return false;
                    ++pos_;
                }
            } else if (std::string_view("\"\\/bfnrt").find(escaped) == std::string_view::npos) {
                return false;
            }
        }
        return false;
    }

    bool number() {
        take('-');
        if (take('0')) {
            if (std::isdigit(static_cast<unsigned char>(peek()))) return false;  // no leading 0
        } else if (!digits()) {
            return false;
        }
        if (take('.') && !digits()) return false;
        if (take('e') || take('E')) {
            if (!take('+')) take('-');
            if (!digits()) return false;
        }
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

bool is_valid_json(std::string_view text) {
    return Checker(text).document();
}

}  // namespace extrema::service::testing
