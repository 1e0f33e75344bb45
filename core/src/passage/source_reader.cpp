#include "cite/passage/source_reader.hpp"

#include "cite/error.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/source_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace cite::passage {

std::vector<Passage> paragraph_passages(std::string_view text, std::size_t start, const std::string& source,
                                        const std::string& record, bool with_lines) {
    std::vector<Passage> passages;
    std::uint32_t ordinal = 0;
    for (const Paragraph& para : split_paragraphs(text, start)) {
        passages.push_back(Passage{source, record, ++ordinal, with_lines ? para.line : 0, para.bytes,
                                   std::string(text.substr(para.bytes.begin, para.bytes.size()))});
    }
    return passages;
}

namespace {

class TextReader final : public SourceReader {
  public:
    [[nodiscard]] std::string_view kind() const override { return "text"; }

    [[nodiscard]] SourceContent read(const SourceFile& file) const override {
        // A text file with a NUL is binary: found in the first block, before the rest is read.
        const std::string bytes = read_text_file_bytes(file.path);
        check_text(bytes);
        SourceContent content;
        content.kind = "text";
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        DocumentMeta meta;
        if (const DocumentMeta* entry = file.catalog ? file.catalog->find(file.source) : nullptr) meta = *entry;
        if (meta.title.empty()) meta.title = derive_title(bytes);
        content.documents.push_back(
            {file.source, std::move(meta), paragraph_passages(bytes, utf8_bom_length(bytes), file.source, {}, true)});
        return content;
    }
};

class JsonlReader final : public SourceReader {
  public:
    [[nodiscard]] std::string_view kind() const override { return "jsonl"; }

    // Bad records are left out and reported; the rest is read.
    [[nodiscard]] SourceContent read(const SourceFile& file) const override {
        const std::string bytes = read_file_bytes(file.path);
        check_byte_order_mark(bytes);  // UTF-16: the whole file, not each line, is refused
        SourceContent content;
        content.kind = "jsonl";
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        read_jsonl(
            bytes,
            [&](JsonlRecord&& record) {
                if (record.meta.title.empty()) record.meta.title = derive_title(record.text);
                content.documents.push_back({file.source + "#" + record.id, std::move(record.meta),
                                             paragraph_passages(record.text, 0, file.source, record.id, false)});
            },
            [&](std::size_t line, const std::string& message) { content.record_errors.push_back({line, message}); });
        return content;
    }
};

}  // namespace

const SourceReader& text_reader() {
    static const TextReader reader;
    return reader;
}

const SourceReader& jsonl_reader() {
    static const JsonlReader reader;
    return reader;
}

const SourceReader* reader_for(std::string_view file_name, std::string_view /*head*/) {
    if (is_corpus_file_name(file_name)) return &text_reader();
    return nullptr;
}

const SourceReader* reader_for_file(const std::filesystem::path& path) {
    constexpr std::size_t head_size = 4096;
    std::string head(head_size, '\0');
    std::ifstream in(path, std::ios::binary);
    if (!in) throw CorpusError("cannot open '" + path.string() + "': " + std::strerror(errno));
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return reader_for(path.filename().string(), head);
}

}  // namespace cite::passage
