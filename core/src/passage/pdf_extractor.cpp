#include "cite/passage/pdf_extractor.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace cite::passage {

namespace {

std::string utf8_of(const poppler::ustring& s) {
    const poppler::byte_array bytes = s.to_utf8();
    return std::string(bytes.begin(), bytes.end());
}

// Poppler reports syntax errors of damaged files on stderr; the indexer names the file and its
// reason itself.
void ignore_poppler_message(const std::string&, void*) {}

void silence_poppler() {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(ignore_poppler_message, nullptr); });
}

std::string trim(std::string_view s) {
    const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    const auto first = std::find_if(s.begin(), s.end(), not_space);
    const auto last = std::find_if(s.rbegin(), s.rend(), not_space).base();
    return first < last ? std::string(first, last) : std::string();
}

// Control characters other than '\n' (and the form feeds that separate pages in the layer)
// are dropped; so is a byte sequence that is not UTF-8 (poppler's output should not have any).
std::string clean_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\t') continue;
        out += c == '\t' ? ' ' : c;
    }
    if (analysis::find_invalid_utf8(out)) out = analysis::escape_invalid_utf8(out);
    return out;
}

/// A page's blocks (separated by blank lines in poppler's output), each a list of lines.
using Block = std::vector<std::string>;

std::vector<Block> page_blocks(std::string_view text) {
    std::vector<Block> blocks;
    Block current;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        std::string line = trim(text.substr(pos, nl - pos));
        if (line.empty()) {
            if (!current.empty()) blocks.push_back(std::move(current));
            current.clear();
        } else {
            current.push_back(std::move(line));
        }
        pos = nl + 1;
    }
    if (!current.empty()) blocks.push_back(std::move(current));
    return blocks;
}

// What a running header or footer has in common from page to page: its words with every
// number replaced ("Page 3 of 14" and "Page 4 of 14" are the same line).
std::string running_key(const Block& block) {
    std::string key;
    for (const std::string& line : block) {
        if (!key.empty()) key += ' ';
        bool in_number = false;
        for (char c : line) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isdigit(u)) {
                if (!in_number) key += '#';
                in_number = true;
                continue;
            }
            in_number = false;
            key += static_cast<char>(std::tolower(u));
        }
    }
    return key;
}

bool is_roman(std::string_view s) {
    return !s.empty() && s.size() <= 8 &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::string_view("ivxlcdmIVXLCDM").find(c) != std::string_view::npos; });
}

// A block that is only a page number: "12", "- 12 -", "xii", "Page 12", "12/50", "12 of 50".
bool is_page_number(const Block& block) {
    if (block.size() != 1) return false;
    std::string s = analysis::ascii_lower(block.front());
    std::erase_if(s, [](char c) { return c == '-' || c == ' ' || c == '.' || c == '|'; });
    if (s.starts_with("page")) s.erase(0, 4);
    if (is_roman(s)) return true;
    std::size_t digits = 0;
    for (char c : s) {
        if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
        else if (c != '/' && c != 'o' && c != 'f') return false;
    }
    return digits > 0 && digits <= 6;
}

// How many blocks at each end of a page may be running headers or footers.
constexpr std::size_t edge_blocks = 2;

template <typename OnEdge>
void for_each_edge_block(const std::vector<Block>& blocks, OnEdge&& on_edge) {
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (i < edge_blocks || i + edge_blocks >= blocks.size()) on_edge(i);
}

// Running headers and footers: an edge block whose key recurs at the edge of at least half the
// pages (and of three); page numbers alone at an edge are dropped on any document of two pages
// or more.
std::vector<std::vector<bool>> running_blocks(const std::vector<std::vector<Block>>& pages) {
    std::map<std::string, std::size_t> pages_with;
    for (const auto& blocks : pages) {
        std::set<std::string> seen;
        for_each_edge_block(blocks, [&](std::size_t i) { seen.insert(running_key(blocks[i])); });
        for (const std::string& key : seen) ++pages_with[key];
    }
    const std::size_t threshold = std::max<std::size_t>(3, (pages.size() + 1) / 2);
    std::vector<std::vector<bool>> drop(pages.size());
    for (std::size_t p = 0; p < pages.size(); ++p) {
        drop[p].assign(pages[p].size(), false);
        for_each_edge_block(pages[p], [&](std::size_t i) {
            const Block& block = pages[p][i];
            if ((pages.size() >= 2 && is_page_number(block)) || pages_with[running_key(block)] >= threshold)
                drop[p][i] = true;
        });
    }
    return drop;
}

// The lines of a block as one paragraph: joined by a space, or directly after a line that
// ends in a hyphen joined to a letter ("self-" + "evident"), which poppler left as a hyphen.
std::string join_lines(const Block& block) {
    std::string out;
    for (const std::string& line : block) {
        if (!out.empty()) {
            const bool hyphen = out.size() >= 2 && out.back() == '-' &&
                                std::isalpha(static_cast<unsigned char>(out[out.size() - 2]));
            if (!hyphen) out += ' ';
        }
        out += line;
    }
    return out;
}

std::string pdf_date(std::string_view raw) {
    if (raw.starts_with("D:")) raw.remove_prefix(2);
    const auto digits = [&](std::size_t n) {
        return raw.size() >= n && std::all_of(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(n),
                                              [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    if (digits(8)) return std::string(raw.substr(0, 4)) + "-" + std::string(raw.substr(4, 2)) + "-" + std::string(raw.substr(6, 2));
    if (digits(6)) return std::string(raw.substr(0, 4)) + "-" + std::string(raw.substr(4, 2));
    if (digits(4)) return std::string(raw.substr(0, 4));
    return {};
}

// Author lists: split at ';', and at ',' only when every piece is a full name ("Ann Lee, Bo
// Chen"), not "Lee, Ann".
std::vector<std::string> pdf_authors(const std::string& raw) {
    const auto split = [](const std::string& s, char at) {
        std::vector<std::string> parts;
        std::size_t pos = 0;
        while (pos <= s.size()) {
            const std::size_t end = std::min(s.find(at, pos), s.size());
            if (std::string part = trim(std::string_view(s).substr(pos, end - pos)); !part.empty())
                parts.push_back(std::move(part));
            pos = end + 1;
        }
        return parts;
    };
    std::vector<std::string> names;
    for (std::string& part : split(raw, ';')) {
        std::vector<std::string> pieces = split(part, ',');
        const bool full_names = pieces.size() > 1 && std::all_of(pieces.begin(), pieces.end(), [](const std::string& p) {
                                    return p.find(' ') != std::string::npos;
                                });
        if (full_names) {
            for (std::string& p : pieces) names.push_back(std::move(p));
        } else {
            names.push_back(std::move(part));
        }
    }
    return names;
}

// A title that names the file the PDF was printed from says nothing about the document.
bool is_file_name_title(const std::string& title) {
    const std::string lower = analysis::ascii_lower(title);
    for (std::string_view ext : {".doc", ".docx", ".pdf", ".indd", ".ppt", ".pptx", ".rtf", ".tex", ".dvi"})
        if (lower.ends_with(ext)) return true;
    return lower.starts_with("microsoft word - ") || lower == "untitled" || lower == "title";
}

}  // namespace

bool looks_like_pdf(std::string_view head) {
    return head.substr(0, 1024).find("%PDF-") != std::string_view::npos;
}

PdfText extract_pdf(std::string_view bytes, const PdfLimits& limits) {
    silence_poppler();
    if (bytes.size() > limits.max_bytes)
        throw CorpusError("the PDF is larger than the " + std::to_string(limits.max_bytes >> 20) + " MiB limit");
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) throw CorpusError("not a readable PDF (damaged, truncated or not a PDF)");
    // An empty user password opens most encrypted PDFs (copy protection only).
    if (doc->is_locked() && !doc->unlock("", "")) throw CorpusError("encrypted PDF: it does not open without a password");
    const int page_count = doc->pages();
    if (page_count < 0 || static_cast<std::size_t>(page_count) > limits.max_pages)
        throw CorpusError("the PDF has " + std::to_string(page_count) + " pages, more than the limit of " +
                          std::to_string(limits.max_pages));

    PdfText out;
    out.pages = static_cast<std::size_t>(page_count);
    std::vector<std::vector<Block>> pages(out.pages);
    std::vector<std::string> labels(out.pages);
    bool any_label = false;
    for (int i = 0; i < page_count; ++i) {
        const std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        const auto index = static_cast<std::size_t>(i);
        pages[index] = page_blocks(clean_text(utf8_of(page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout))));
        std::string label = trim(utf8_of(page->label()));
        if (!label.empty() && label != std::to_string(i + 1)) {
            labels[index] = std::move(label);
            any_label = true;
        }
    }
    if (any_label) out.page_labels = std::move(labels);

    const std::vector<std::vector<bool>> drop = running_blocks(pages);
    for (std::size_t p = 0; p < pages.size(); ++p) {
        if (p > 0) out.text += "\n\f\n";
        bool first = true;
        for (std::size_t b = 0; b < pages[p].size(); ++b) {
            if (drop[p][b]) continue;
            if (!first) out.text += "\n\n";
            first = false;
            const std::size_t begin = out.text.size();
            out.text += join_lines(pages[p][b]);
            out.paragraphs.push_back({{begin, out.text.size()}, static_cast<std::uint32_t>(p + 1)});
        }
    }
    if (out.paragraphs.empty()) throw CorpusError("no text layer: scanned? (the PDF has no extractable text)");

    std::string title = trim(utf8_of(doc->get_title()));
    if (!is_file_name_title(title)) out.meta.title = std::move(title);
    out.meta.authors = pdf_authors(trim(utf8_of(doc->get_author())));
    out.meta.date = pdf_date(trim(utf8_of(doc->info_key("CreationDate"))));
    return out;
}

}  // namespace cite::passage
