#include "extrema/report/json_fields.h"

#include <stdexcept>

namespace extrema::report {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \n\t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \n\t") - first + 1);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> json_fields(std::string_view json) {
    json = trim(json);
    if (json.size() < 2 || json.front() != '{' || json.back() != '}') {
        throw std::invalid_argument("json_fields: not an object");
    }
    std::vector<std::pair<std::string, std::string>> fields;
    std::string_view body = trim(json.substr(1, json.size() - 2));
    while (!body.empty()) {
        const auto comma = body.find(',');
        const std::string_view member = trim(body.substr(0, comma));
        const auto colon = member.find(':');
        const std::string_view key = trim(member.substr(0, colon));
        if (colon == std::string_view::npos || key.size() < 2 || key.front() != '"' ||
            key.back() != '"') {
            throw std::invalid_argument("json_fields: bad member");
        }
        const std::string_view value = trim(member.substr(colon + 1));
        if (value.empty() || value.front() == '"' || value.front() == '{' || value.front() == '[') {
            throw std::invalid_argument("json_fields: only numbers and null are expected");
        }
        fields.emplace_back(std::string(key.substr(1, key.size() - 2)), std::string(value));
        body = comma == std::string_view::npos ? std::string_view{} : body.substr(comma + 1);
    }
    return fields;
}

std::string json_field(const std::vector<std::pair<std::string, std::string>>& fields,
                       std::string_view key) {
    for (const auto& [k, v] : fields) {
        if (k == key) return v;
    }
    return {};
}

}  // namespace extrema::report
