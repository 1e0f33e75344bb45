#include "cite/output/source_link.hpp"

#include <vector>

namespace cite::output {

namespace {

bool is_explicit_char(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '!': case '$': case '\'': case '(': case ')': case '*': case '+': case '.':
    case '/': case ':': case ';': case '=': case '?': case '@': case '_': case '~':
        return true;
    default:
        return false;
    }
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(static_cast<unsigned char>(text[i]))) ++i;
        const std::size_t begin = i;
        while (i < text.size() && !is_space(static_cast<unsigned char>(text[i]))) ++i;
        if (i > begin) words.push_back(text.substr(begin, i - begin));
    }
    return words;
}

std::string joined(const std::vector<std::string_view>& words, std::size_t begin, std::size_t end) {
    std::string out;
    for (std::size_t k = begin; k < end; ++k) {
        if (!out.empty()) out += ' ';
        out += words[k];
    }
    return out;
}

std::size_t code_points(std::string_view text) {
    std::size_t n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

}  // namespace

std::string percent_encode_text_directive(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_explicit_char(c)) {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

TextDirective text_directive(std::string_view quote, std::string_view prefix, std::string_view suffix, bool repeated) {
    TextDirective d;
    const std::vector<std::string_view> words = words_of(quote);
    const std::string exact = joined(words, 0, words.size());
    if (code_points(exact) > exact_text_max_chars && words.size() > 2 * range_words) {
        d.start = joined(words, 0, range_words);
        d.end = joined(words, words.size() - range_words, words.size());
    } else {
        d.start = exact;
    }
    if (repeated) {
        const std::vector<std::string_view> before = words_of(prefix);
        const std::vector<std::string_view> after = words_of(suffix);
        d.prefix = joined(before, 0, before.size());
        d.suffix = joined(after, 0, after.size());
    }
    return d;
}

std::string to_fragment_directive(const TextDirective& d) {
    std::string out = ":~:text=";
    if (!d.prefix.empty()) out += percent_encode_text_directive(d.prefix) + "-,";
    out += percent_encode_text_directive(d.start);
    if (!d.end.empty()) out += "," + percent_encode_text_directive(d.end);
    if (!d.suffix.empty()) out += ",-" + percent_encode_text_directive(d.suffix);
    return out;
}

std::string with_text_fragment(std::string_view url, const TextDirective& directive) {
    std::string out(url);
    if (out.find('#') == std::string::npos) out += '#';
    return out + to_fragment_directive(directive);
}

std::string with_page(std::string_view url, std::uint32_t page) {
    return std::string(url.substr(0, url.find('#'))) + "#page=" + std::to_string(page);
}

std::string quote_link(const evidence::CitedHit& hit, const evidence::EvidenceSpan& span) {
    const std::string& url = hit.meta.url;
    if (url.empty()) return {};
    if (hit.passage.page != 0) return with_page(url, hit.passage.page);
    if (hit.extractor.rfind("container", 0) == 0) return {};
    if (span.quote.empty()) return {};
    return with_text_fragment(url, text_directive(span.quote, span.prefix, span.suffix, span.repeated));
}

}  // namespace cite::output
