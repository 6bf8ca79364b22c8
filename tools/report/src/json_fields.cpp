#include "extrema/report/json_fields.h"

#include <stdexcept>

#include "service/json_text.h"

namespace extrema::report {

std::string json_field(std::string_view json, std::string_view key) {
    if (json.empty()) return {};
    const json::Object object = json::Object::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) throw std::invalid_argument("json_field: not a JSON object");
    const auto it = object.find(std::string(key));
    return it == object.end() ? std::string() : json::one_line(*it);
}

}  // namespace extrema::report
