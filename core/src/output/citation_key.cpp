#include "cite/output/citation_key.hpp"

#include "cite/analysis/analyzer.hpp"
#include "cite/analysis/function_words.hpp"
#include "cite/output/csl_json_sink.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace cite::output {

namespace {

constexpr std::size_t max_word_bytes = 20;

// The words of `text` folded to lower-case ASCII: letters lose their diacritics, apostrophes
// join (Kazakhstan’s -> kazakhstans), ASCII and general punctuation (dashes, quotes, spaces)
// separate words, and what has no ASCII form (another script) is dropped.
std::vector<std::string> ascii_words(std::string_view text) {
    std::string folded;
    try {
        folded = analysis::fold_letters(text);
    } catch (const std::exception&) {
        folded = std::string(text);  // invalid UTF-8: its ASCII letters still make words
    }
    std::vector<std::string> words;
    std::string word;
    const auto flush = [&] {
        if (!word.empty()) words.push_back(word.substr(0, max_word_bytes));
        word.clear();
    };
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char c = folded[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            word += c;
        } else if (c >= 'A' && c <= 'Z') {
            word += static_cast<char>(c - 'A' + 'a');
        } else if (c == '\'') {
            continue;
        } else if (folded.compare(i, 3, "\xE2\x80\x99") == 0) {  // ’ RIGHT SINGLE QUOTATION MARK
            i += 2;
        } else if (static_cast<unsigned char>(c) == 0xE2 && i + 1 < folded.size() &&
                   (static_cast<unsigned char>(folded[i + 1]) & 0xFEU) == 0x80) {
            flush();  // U+2000–U+207F: spaces, dashes, quotation marks, bullets
            i += 2;
        } else if (static_cast<unsigned char>(c) == 0xC2) {
            flush();  // U+0080–U+00BF: no-break space, « », ¶, ·
            i += 1;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            continue;  // a letter of another script (or its continuation bytes): dropped
        } else {
            flush();
        }
    }
    flush();
    return words;
}

std::vector<std::string> content_words(std::string_view text) {
    auto words = ascii_words(text);
    std::erase_if(words, [](const std::string& w) { return analysis::is_function_word(w); });
    return words;
}

// The family name of the first author with a name: the last word, as csl_name reads
// it, or for a one-word (organisation) name that word.
std::string first_author_part(const std::vector<std::string>& authors) {
    for (const auto& author : authors) {
        const auto name = csl_name(author);
        if (name.contains("family")) {
            const auto words = ascii_words(name["family"].get<std::string>());
            if (!words.empty()) return words.back();
        } else {
            const auto words = content_words(name.value("literal", std::string{}));
            if (!words.empty()) return words.front();
        }
    }
    return {};
}

// "b", "c", … "z", "ba", "bb", …: the suffix of the n-th (n >= 1) document sharing a key.
std::string letter_suffix(std::size_t n) {
    std::string out;
    for (;; n /= 26) {
        out.insert(out.begin(), static_cast<char>('a' + n % 26));
        if (n < 26) break;
    }
    return out;
}

}  // namespace

std::string citation_key_base(const passage::DocumentMeta& meta) {
    if (!meta.id.empty()) return meta.id;
    std::vector<std::string> parts;
    // With an author: author-year-word; without: word-word-year, so the key starts with a word.
    auto author = first_author_part(meta.authors);
    const bool has_author = !author.empty();
    if (has_author) parts.push_back(std::move(author));
    std::string year;
    if (const auto date = csl_date_parts(meta.date)) year = std::to_string(date->front());
    if (has_author && !year.empty()) parts.push_back(year);
    const auto title = content_words(meta.title);
    for (std::size_t i = 0; i < title.size() && i < (has_author ? 1U : 2U); ++i) parts.push_back(title[i]);
    if (!has_author && !year.empty()) parts.push_back(year);
    if (parts.empty()) return "source";
    std::string key = parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i) key += "-" + parts[i];
    return key;
}

CitationKeys::CitationKeys(std::vector<std::pair<std::string, passage::DocumentMeta>> documents) {
    std::sort(documents.begin(), documents.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<std::string, std::less<>> taken;
    // Given ids first: a derived key never takes one.
    for (const auto& [document, meta] : documents)
        if (!meta.id.empty() && taken.insert(meta.id).second) m_keys.emplace(document, meta.id);
    std::map<std::string, std::size_t> uses;  // base -> documents given it or a suffixed form
    for (const auto& [document, meta] : documents) {
        if (m_keys.contains(document)) continue;
        const std::string base = citation_key_base(meta);
        std::string key = base;
        std::size_t& n = uses[base];
        while (!taken.insert(key).second) key = base + "-" + letter_suffix(++n);
        m_keys.emplace(document, std::move(key));
    }
}

std::string CitationKeys::key(const std::string& document_key, const passage::DocumentMeta& meta) const {
    const auto it = m_keys.find(document_key);
    return it == m_keys.end() ? citation_key_base(meta) : it->second;
}

}  // namespace cite::output
