#include "cite/index/schema.hpp"

#include "cite/analysis/quantity.hpp"
#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/source_text.hpp"

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <limits>

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

// nlohmann's dump() throws its own type_error for a string that is not UTF-8; the caller gets
// an IndexError instead, whose message is for the user.
std::string dump_json(const nlohmann::json& value, const char* what) {
    try {
        return value.dump();
    } catch (const nlohmann::json::exception&) {
        throw IndexError(std::string("cannot store the ") + what + ": it holds text that is not valid UTF-8");
    }
}

template <typename F>
auto parse_json(std::string_view data, const char* what, F&& convert) {
    try {
        return convert(nlohmann::json::parse(data));
    } catch (const nlohmann::json::exception& e) {
        throw IndexError(std::string("corrupt ") + what + " in the index: " + e.what());
    }
}

}  // namespace

// The passage record (layout in schema.hpp) is read for every result shown, so it is binary
// rather than JSON: parsing JSON was a tenth of a ranked query's time without quotes.
namespace {

constexpr unsigned char passage_format = 1;
// Format 1 and the page and page label of a paged source's passage (PDF); passages without a
// page are still written in format 1.
constexpr unsigned char paged_passage_format = 2;
// Format 1 and the chapter and chapter title of a passage of a source in chapters (EPUB).
constexpr unsigned char chaptered_passage_format = 3;

void put_number(std::string& out, std::uint64_t n) {
    while (n >= 0x80) {
        out += static_cast<char>((n & 0x7F) | 0x80);
        n >>= 7;
    }
    out += static_cast<char>(n);
}

void put_string(std::string& out, std::string_view s) {
    put_number(out, s.size());
    out += s;
}

// Reads what put_number and put_string wrote, refusing anything they could not have written
// (an overrun, a number too wide or not in its shortest form, a string that is not UTF-8), so
// that a record that reads back writes back byte for byte. Refusals are IndexErrors.
class RecordReader {
  public:
    explicit RecordReader(std::string_view data) : m_data(data) {}

    std::uint64_t number() {
        std::uint64_t n = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (m_at == m_data.size()) fail("it ends inside a number");
            const auto byte = static_cast<unsigned char>(m_data[m_at++]);
            if (shift == 63 && byte > 1) fail("a number is out of range");
            n |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if (byte & 0x80) continue;
            if (byte == 0 && shift > 0) fail("a number is not in its shortest form");
            return n;
        }
        fail("a number is too long");
    }

    template <typename T>
    T number_as() {
        const std::uint64_t n = number();
        if (n > std::numeric_limits<T>::max()) fail("a number is out of range");
        return static_cast<T>(n);
    }

    std::string string() {
        const std::uint64_t size = number();
        if (size > m_data.size() - m_at) fail("a string runs past its end");
        const std::string_view s = m_data.substr(m_at, size);
        if (const auto bad = analysis::find_invalid_utf8(s))
            fail("invalid UTF-8 at byte " + std::to_string(m_at + *bad));
        m_at += size;
        return std::string(s);
    }

    std::uint8_t byte() {
        if (m_at == m_data.size()) fail("it is empty");
        return static_cast<std::uint8_t>(m_data[m_at++]);
    }

    void finish() const {
        if (m_at != m_data.size()) fail("bytes follow its end");
    }

    [[noreturn]] static void fail(const std::string& why) {
        throw IndexError("corrupt passage data in the index: " + why);
    }

  private:
    std::string_view m_data;
    std::size_t m_at = 0;
};

}  // namespace

std::string serialize_passage(const passage::Passage& p) {
    assert(p.bytes.end >= p.bytes.begin && p.bytes.size() == p.text.size());  // passage.hpp: text is the range
    std::string out;
    out.reserve(p.text.size() + p.source.size() + p.record.size() + 24);
    assert(p.page == 0 || p.chapter == 0);  // no reader gives a passage both
    out += static_cast<char>(p.page != 0      ? paged_passage_format
                             : p.chapter != 0 ? chaptered_passage_format
                                              : passage_format);
    put_number(out, p.ordinal);
    put_number(out, p.line);
    put_number(out, p.bytes.begin);
    put_number(out, p.bytes.size());
    put_string(out, p.source);
    put_string(out, p.record);
    put_string(out, p.text);
    if (p.page != 0) {
        put_number(out, p.page);
        put_string(out, p.page_label);
    } else if (p.chapter != 0) {
        put_number(out, p.chapter);
        put_string(out, p.chapter_title);
    }
    return out;
}

passage::Passage parse_passage(std::string_view data) {
    RecordReader in(data);
    const std::uint8_t format = in.byte();
    if (format != passage_format && format != paged_passage_format && format != chaptered_passage_format) {
        // Schema 2 stored JSON; the writer keeps the schema version at the oldest of its
        // files (index_writer.cpp), so only a damaged database gets here with one.
        if (format == '{') RecordReader::fail("a JSON record of an older schema; re-run the indexer");
        RecordReader::fail("unknown format " + std::to_string(format));
    }
    passage::Passage p;
    p.ordinal = in.number_as<std::uint32_t>();
    p.line = in.number_as<std::uint32_t>();
    p.bytes.begin = in.number_as<std::size_t>();
    const auto size = in.number_as<std::size_t>();
    if (size > std::numeric_limits<std::size_t>::max() - p.bytes.begin)
        RecordReader::fail("the byte range is out of range");
    p.bytes.end = p.bytes.begin + size;
    p.source = in.string();
    p.record = in.string();
    p.text = in.string();
    if (format == paged_passage_format) {
        p.page = in.number_as<std::uint32_t>();
        p.page_label = in.string();
        // Pages count from 1; a passage without one is written in the plain format.
        if (p.page == 0) RecordReader::fail("a paged record names page 0");
    } else if (format == chaptered_passage_format) {
        p.chapter = in.number_as<std::uint32_t>();
        p.chapter_title = in.string();
        if (p.chapter == 0) RecordReader::fail("a chaptered record names chapter 0");
    }
    in.finish();
    if (p.text.size() != size) RecordReader::fail("its text is not as long as its byte range");
    return p;
}

std::string serialize_file_record(const FileRecord& r) {
    // The indexer skips such files before they get here (index_writer.cpp); say which part it is.
    for (const auto& [field, path] : {std::pair{"path", &r.source}, std::pair{"corpus root", &r.root}})
        if (const auto bad = analysis::find_invalid_utf8(*path))
            throw IndexError(std::string("cannot store the file record: invalid UTF-8 in its ") + field + " '" +
                             analysis::escape_invalid_utf8(*path) + "' at byte offset " + std::to_string(*bad));
    nlohmann::json j{{"source", r.source},       {"root", r.root},    {"kind", r.kind},
                     {"sha256", r.sha256},       {"bytes", r.bytes},  {"passages", r.passages},
                     {"documents", r.documents}, {"signature", r.signature}};
    // Only for sources with a derived text layer: other records stay as earlier versions wrote them.
    if (!r.layer_sha256.empty()) j["layer_sha256"] = r.layer_sha256;
    if (!r.extractor.empty()) j["extractor"] = r.extractor;
    return dump_json(j, "file record");
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
        r.layer_sha256 = j.value("layer_sha256", std::string());
        r.extractor = j.value("extractor", std::string());
        return r;
    });
}

std::string serialize_alias_groups(const std::vector<passage::AliasGroup>& groups) {
    return dump_json(nlohmann::json(groups), "alias groups");
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
    return dump_json(nlohmann::json(m), "document record");
}

passage::DocumentMeta parse_document_meta(std::string_view data) {
    return parse_json(data, "document record",
                      [](const nlohmann::json& j) { return j.get<passage::DocumentMeta>(); });
}

}  // namespace cite::index
