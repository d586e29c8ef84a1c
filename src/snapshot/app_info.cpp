#include "snapshot/app_info.hpp"

namespace sockeye::snapshot {
namespace {

AppField& field_for(std::vector<AppField>& fields, std::string_view name, AppField::Kind kind) {
    for (auto& f : fields) {
        if (f.name == name) {
            if (f.kind != kind) f = AppField{std::string(name), kind, {}, 0, {}};
            return f;
        }
    }
    fields.push_back(AppField{std::string(name), kind, {}, 0, {}});
    return fields.back();
}

}  // namespace

void AppInfo::set_text(std::string_view name, std::string_view value) {
    field_for(fields, name, AppField::Kind::text).text = std::string(value);
}

void AppInfo::set_number(std::string_view name, std::int64_t value) {
    field_for(fields, name, AppField::Kind::number).number = value;
}

void AppInfo::set_list(std::string_view name, std::vector<std::string> values) {
    field_for(fields, name, AppField::Kind::list).list = std::move(values);
}

void AppInfo::add_to_list(std::string_view name, std::string_view value, std::size_t max_items) {
    auto& f = field_for(fields, name, AppField::Kind::list);
    if (f.list.size() < max_items) f.list.emplace_back(value);
}

const AppField* AppInfo::find(std::string_view name) const {
    for (const auto& f : fields)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace sockeye::snapshot
