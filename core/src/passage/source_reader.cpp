#include "cite/passage/source_reader.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/container_extractor.hpp"
#include "cite/passage/corpus_reader.hpp"
#include "cite/passage/html_extractor.hpp"
#include "cite/passage/paragraph_splitter.hpp"
#include "cite/passage/pdf_extractor.hpp"
#include "cite/passage/source_text.hpp"
#include "cite/passage/text_decoding.hpp"

#include <algorithm>
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
        SourceContent content;
        content.kind = "text";
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        // UTF-8 is read as it is: byte ranges point into the file. Another encoding is
        // converted, and the ranges point into the converted text (docs/sources.md says why).
        DecodedText decoded = decode_text(bytes);
        const bool as_is = decoded.found_by == "utf-8";
        if (as_is) {
            check_text(bytes);
        } else {
            content.layer = std::move(decoded.utf8);
            content.extractor = std::string(decoded_text_extractor);
        }
        const std::string_view text = as_is ? std::string_view(bytes) : std::string_view(content.layer);
        DocumentMeta meta;
        if (const DocumentMeta* entry = file.catalog ? file.catalog->find(file.source) : nullptr) meta = *entry;
        if (meta.title.empty()) meta.title = derive_title(text);
        content.documents.push_back(
            {file.source, std::move(meta), paragraph_passages(text, utf8_bom_length(text), file.source, {}, true)});
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

// Fields the catalog names replace what the file itself says.
void apply_catalog(DocumentMeta& meta, const SourceFile& file) {
    const DocumentMeta* entry = file.catalog ? file.catalog->find(file.source) : nullptr;
    if (!entry) return;
    for (auto field : {&DocumentMeta::title, &DocumentMeta::publisher, &DocumentMeta::container_title,
                       &DocumentMeta::date, &DocumentMeta::url, &DocumentMeta::doi})
        if (!(entry->*field).empty()) meta.*field = entry->*field;
    if (!entry->authors.empty()) meta.authors = entry->authors;
}

class HtmlReader final : public SourceReader {
  public:
    [[nodiscard]] std::string_view kind() const override { return "html"; }

    [[nodiscard]] SourceContent read(const SourceFile& file) const override {
        const std::string bytes = read_file_bytes(file.path);
        SourceContent content;
        content.kind = "html";
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        const DecodedText decoded = decode_text(bytes, declared_html_charset(bytes));
        HtmlPage page = extract_html(decoded.utf8);
        if (page.paragraphs.empty()) throw CorpusError("no main text found in the web page");
        content.layer = std::move(page.text);
        content.extractor = std::string(html_extractor_version);
        DocumentMeta meta = std::move(page.meta);
        if (meta.authors.empty() && !page.byline.empty()) {
            std::string name = page.byline;
            if (name.size() > 3 && (name.starts_with("By ") || name.starts_with("by ") || name.starts_with("BY ")))
                name.erase(0, 3);
            meta.authors.push_back(name);
        }
        apply_catalog(meta, file);
        if (meta.title.empty()) meta.title = derive_title(content.layer);
        std::vector<Passage> passages;
        std::uint32_t ordinal = 0;
        for (const analysis::ByteRange& range : page.paragraphs)
            passages.push_back(Passage{file.source, {}, ++ordinal, 0, range,
                                       content.layer.substr(range.begin, range.size())});
        content.documents.push_back({file.source, std::move(meta), std::move(passages)});
        return content;
    }
};

class PdfReader final : public SourceReader {
  public:
    [[nodiscard]] std::string_view kind() const override { return "pdf"; }

    [[nodiscard]] SourceContent read(const SourceFile& file) const override {
        const std::string bytes = read_file_bytes(file.path);
        SourceContent content;
        content.kind = "pdf";
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        PdfText pdf = extract_pdf(bytes);
        content.layer = std::move(pdf.text);
        content.extractor = std::string(pdf_extractor_version);
        DocumentMeta meta = std::move(pdf.meta);
        apply_catalog(meta, file);
        if (meta.title.empty()) meta.title = derive_title(content.layer);
        std::vector<Passage> passages;
        std::uint32_t ordinal = 0;
        for (const PdfParagraph& para : pdf.paragraphs) {
            Passage passage{file.source, {}, ++ordinal, 0, para.bytes, content.layer.substr(para.bytes.begin, para.bytes.size())};
            passage.page = para.page;
            if (!pdf.page_labels.empty()) passage.page_label = pdf.page_labels[para.page - 1];
            passages.push_back(std::move(passage));
        }
        content.documents.push_back({file.source, std::move(meta), std::move(passages)});
        return content;
    }
};

// DOCX, ODT and EPUB: zip containers of XML (container_extractor.hpp).
class ContainerReader final : public SourceReader {
  public:
    ContainerReader(ContainerKind container, std::string_view kind) : m_container(container), m_kind(kind) {}

    [[nodiscard]] std::string_view kind() const override { return m_kind; }

    [[nodiscard]] SourceContent read(const SourceFile& file) const override {
        const std::string bytes = read_file_bytes(file.path);
        SourceContent content;
        content.kind = std::string(m_kind);
        content.sha256 = sha256_hex(bytes);
        content.bytes = bytes.size();
        ContainerText doc = extract_container(bytes, m_container);
        content.layer = std::move(doc.text);
        content.extractor = std::string(container_extractor_version);
        DocumentMeta meta = std::move(doc.meta);
        apply_catalog(meta, file);
        if (meta.title.empty()) meta.title = derive_title(content.layer);
        std::vector<Passage> passages;
        std::uint32_t ordinal = 0;
        for (std::size_t i = 0; i < doc.paragraphs.size(); ++i) {
            const analysis::ByteRange range = doc.paragraphs[i];
            Passage passage{file.source, {}, ++ordinal, 0, range, content.layer.substr(range.begin, range.size())};
            // EPUB: the chapter, a locator as a PDF's page is (passage.hpp).
            if (i < doc.paragraph_chapters.size()) {
                passage.chapter = doc.paragraph_chapters[i];
                passage.chapter_title = doc.chapter_titles.at(passage.chapter - 1);
            }
            passages.push_back(std::move(passage));
        }
        content.documents.push_back({file.source, std::move(meta), std::move(passages)});
        return content;
    }

  private:
    ContainerKind m_container;
    std::string_view m_kind;
};

bool has_extension(std::string_view name, std::initializer_list<std::string_view> extensions) {
    const std::string lower = analysis::ascii_lower(name);
    return std::any_of(extensions.begin(), extensions.end(), [&](std::string_view e) { return lower.ends_with(e); });
}

}  // namespace

const SourceReader& html_reader() {
    static const HtmlReader reader;
    return reader;
}

const SourceReader& pdf_reader() {
    static const PdfReader reader;
    return reader;
}

const SourceReader& container_reader(ContainerKind kind) {
    static const ContainerReader docx(ContainerKind::docx, "docx");
    static const ContainerReader odt(ContainerKind::odt, "odt");
    static const ContainerReader epub(ContainerKind::epub, "epub");
    switch (kind) {
        case ContainerKind::odt: return odt;
        case ContainerKind::epub: return epub;
        case ContainerKind::docx: break;
    }
    return docx;
}

const SourceReader& text_reader() {
    static const TextReader reader;
    return reader;
}

const SourceReader& jsonl_reader() {
    static const JsonlReader reader;
    return reader;
}

const SourceReader* reader_for(std::string_view file_name, std::string_view head) {
    // Content first: a page saved as .txt is still a page, a web page named .pdf is a page.
    if (looks_like_pdf(head)) return &pdf_reader();
    if (looks_like_html(head)) return &html_reader();
    if (ContainerKind kind{}; container_kind(file_name, head, kind)) return &container_reader(kind);
    if (has_extension(file_name, {".pdf"})) return &pdf_reader();  // damaged: named with its reason
    if (has_extension(file_name, {".html", ".htm", ".xhtml", ".xht", ".shtml"})) return &html_reader();
    if (is_corpus_file_name(file_name)) return &text_reader();
    return nullptr;
}

namespace {

SourceContent read_single_file(const std::filesystem::path& file) {
    const std::string name = file.string();
    if (file.extension() == ".jsonl")
        throw CorpusError("'" + name + "': a JSONL file's records are their own text (their \"text\" fields)");
    const SourceReader* reader = reader_for_file(file);
    if (!reader) throw CorpusError("'" + name + "': not a kind of file the indexer reads");
    try {
        return reader->read(SourceFile{file, file.filename().string(), nullptr});
    } catch (const CorpusError& e) {
        throw CorpusError("'" + name + "': " + e.what());
    }
}

}  // namespace

std::string text_layer(const std::filesystem::path& file) {
    SourceContent content = read_single_file(file);
    if (content.layer.empty()) return read_file_bytes(file);
    return std::move(content.layer);
}

DocumentMeta document_metadata(const std::filesystem::path& file) {
    SourceContent content = read_single_file(file);
    return content.documents.empty() ? DocumentMeta{} : std::move(content.documents.front().meta);
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
