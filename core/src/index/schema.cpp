#include "cite/index/schema.hpp"

#include "cite/analysis/quantity.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace cite::index {

namespace {
// Xapian's glass backend refuses terms and keys over 245 bytes; leave room for prefixes.
constexpr std::size_t max_value_bytes = 200;
}  // namespace

std::string bounded(std::string_view prefix_or_key, std::string_view value) {
    std::string out(prefix_or_key);
    if (value.size() <= max_value_bytes) {
        out += value;
    } else {
        out += value.substr(0, 120);
        out += "#sha256:";
        out += passage::sha256_hex(value);
    }
    return out;
}

std::string quantity_unit_name(std::string_view unit) { return unit.empty() ? std::string("n") : std::string(unit); }

std::string quantity_term(std::string_view unit, double value) {
    return std::string(prefix::quantity) + quantity_unit_name(unit) + ":" + analysis::format_value(value);
}

std::string quantity_value_term(double value) {
    return std::string(prefix::quantity_value) + ":" + analysis::format_value(value);
}

std::string quantity_unit_term(std::string_view unit) {
    return std::string(prefix::quantity_unit) + quantity_unit_name(unit);
}

std::string unique_term(const passage::Passage& p) {
    return bounded(prefix::unique, p.document_key() + "#" + std::to_string(p.ordinal));
}

std::string source_term(std::string_view source) { return bounded(prefix::source, source); }

std::string file_key(std::string_view source) { return bounded(metadata_key::file, source); }

std::string document_key(std::string_view document) {
    return bounded(metadata_key::document, document);
}

std::string corpus_order_value(const passage::Passage& p) {
    // NUL separators sort a source before any longer source that extends it.
    std::string v = p.source;
    v += '\0';
    v += p.record;
    v += '\0';
    v += Xapian::sortable_serialise(p.ordinal);
    return v;
}

namespace {

template <typename F>
auto parse_json(std::string_view data, const char* what, F&& convert) {
    try {
        return convert(nlohmann::json::parse(data));
    } catch (const nlohmann::json::exception& e) {
        throw IndexError(std::string("corrupt ") + what + " in the index: " + e.what());
    }
}

}  // namespace

std::string serialize_passage(const passage::Passage& p) {
    nlohmann::json j{{"source", p.source}, {"para", p.ordinal}, {"line", p.line},
                     {"start_byte", p.bytes.begin}, {"end_byte", p.bytes.end}, {"text", p.text}};
    if (!p.record.empty()) j["record"] = p.record;
    return j.dump();
}

passage::Passage parse_passage(std::string_view data) {
    return parse_json(data, "passage data", [](const nlohmann::json& j) {
        passage::Passage p;
        p.source = j.at("source").get<std::string>();
        p.record = j.value("record", std::string{});
        p.ordinal = j.at("para").get<std::uint32_t>();
        p.line = j.at("line").get<std::uint32_t>();
        p.bytes = {j.at("start_byte").get<std::size_t>(), j.at("end_byte").get<std::size_t>()};
        p.text = j.at("text").get<std::string>();
        return p;
    });
}

std::string serialize_file_record(const FileRecord& r) {
    return nlohmann::json{{"source", r.source},     {"root", r.root},          {"kind", r.kind},
                          {"sha256", r.sha256},     {"bytes", r.bytes},        {"passages", r.passages},
                          {"documents", r.documents}, {"signature", r.signature}}
        .dump();
}

FileRecord parse_file_record(std::string_view data) {
    return parse_json(data, "file record", [](const nlohmann::json& j) {
        FileRecord r;
        r.source = j.at("source").get<std::string>();
        r.root = j.at("root").get<std::string>();
        r.kind = j.at("kind").get<std::string>();
        r.sha256 = j.at("sha256").get<std::string>();
        r.bytes = j.at("bytes").get<std::uint64_t>();
        r.passages = j.at("passages").get<std::uint32_t>();
        r.documents = j.at("documents").get<std::uint32_t>();
        r.signature = j.at("signature").get<std::string>();
        return r;
    });
}

std::string serialize_alias_groups(const std::vector<passage::AliasGroup>& groups) {
    return nlohmann::json(groups).dump();
}

std::vector<passage::AliasGroup> parse_alias_groups(std::string_view data) {
    if (data.empty()) return {};
    return parse_json(data, "alias groups",
                      [](const nlohmann::json& j) { return j.get<std::vector<passage::AliasGroup>>(); });
}

void add_alias_groups(std::vector<passage::AliasGroup>& groups, std::string_view data) {
    for (passage::AliasGroup& g : parse_alias_groups(data))
        if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(std::move(g));
}

std::string serialize_document_meta(const passage::DocumentMeta& m) {
    return nlohmann::json(m).dump();
}

passage::DocumentMeta parse_document_meta(std::string_view data) {
    return parse_json(data, "document record",
                      [](const nlohmann::json& j) { return j.get<passage::DocumentMeta>(); });
}

}  // namespace cite::index
