#include "cite/index/file_signature.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/index/schema.hpp"
#include "cite/passage/source_text.hpp"

#include <algorithm>
#include <charconv>

namespace cite::index {

FileSignature FileSignature::current(std::string sha256, std::string_view meta_json, std::string extractor) {
    return FileSignature{schema_version, analysis::Analyzer::version, std::move(sha256),
                         passage::sha256_hex(meta_json), std::move(extractor)};
}

std::string FileSignature::to_string() const {
    std::string out = "schema=" + std::to_string(schema) + ";analyzer=" + std::to_string(analyzer) +
                      ";sha256=" + sha256 + ";meta=" + meta_sha256;
    // Only when there is one: the signatures of text files stay as earlier versions wrote them.
    if (!extractor.empty()) out += ";extractor=" + extractor;
    return out;
}

FileSignature FileSignature::parse(std::string_view stored) {
    FileSignature s;
    while (!stored.empty()) {
        const std::size_t end = std::min(stored.find(';'), stored.size());
        const std::string_view field = stored.substr(0, end);
        stored.remove_prefix(std::min(end + 1, stored.size()));
        const std::size_t eq = field.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = field.substr(0, eq);
        const std::string_view value = field.substr(eq + 1);
        auto number = [&](int& out) { std::from_chars(value.data(), value.data() + value.size(), out); };
        if (name == "schema") number(s.schema);
        else if (name == "analyzer") number(s.analyzer);
        else if (name == "sha256") s.sha256 = value;
        else if (name == "meta") s.meta_sha256 = value;
        else if (name == "extractor") s.extractor = value;
    }
    return s;
}

}  // namespace cite::index
