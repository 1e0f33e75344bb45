#include "cite/index/similarity.hpp"

#include "cite/index/schema.hpp"

#include <algorithm>

namespace cite::index {
namespace {

// splitmix64's finaliser: spreads every input bit over the whole word, so the top bits (the
// bin) and the low bits (the value) of a shingle hash are independent.
constexpr std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31U);
}

constexpr std::uint64_t fnv_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t fnv_prime = 0x100000001b3ULL;

bool is_ascii_word_byte(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Length of a separator that is not ASCII at text[i] (a lead byte >= 0x80): U+00A0 (C2 A0)
// and General Punctuation U+2000-U+206F (E2 80 xx, E2 81 xx: spaces, dashes, curly quotes);
// 0 for any other character.
std::size_t non_ascii_separator(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0U; };
    if (byte(0) == 0xC2 && byte(1) == 0xA0) return 2;
    if (byte(0) == 0xE2 && (byte(1) == 0x80 || byte(1) == 0x81) && (byte(2) & 0xC0U) == 0x80U) return 3;
    return 0;
}

// The low `digits` hex digits of value.
std::string hex(std::uint64_t value, int digits_wanted = 16) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(static_cast<std::size_t>(digits_wanted), '0');
    for (int i = digits_wanted - 1; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = digits[value & 0xFU];
        value >>= 4U;
    }
    return out;
}

std::vector<std::uint64_t> word_hashes(std::string_view text) {
    std::vector<std::uint64_t> out;
    for_each_word_hash(text, [&](std::uint64_t h) { out.push_back(h); });
    return out;
}

}  // namespace

void for_each_word_hash(std::string_view text, const std::function<void(std::uint64_t)>& word) {
    std::uint64_t h = fnv_offset;
    bool in_word = false;
    const auto end_word = [&] {
        if (in_word) word(mix(h));
        h = fnv_offset;
        in_word = false;
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80U) {
            if (is_ascii_word_byte(c)) {
                const auto folded = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
                h = (h ^ folded) * fnv_prime;
                in_word = true;
            } else {
                end_word();
            }
            ++i;
            continue;
        }
        if (const std::size_t n = non_ascii_separator(text, i); n > 0) {
            end_word();
            i += n;
            continue;
        }
        // Any other non-ASCII byte is part of a word (letters of other scripts, accents).
        h = (h ^ c) * fnv_prime;
        in_word = true;
        ++i;
    }
    end_word();
}

std::optional<Signature> document_signature(std::span<const std::string_view> paragraphs) {
    constexpr std::uint32_t empty = 0xFFFFFFFFU;
    Signature sig;
    sig.bins.fill(empty);
    std::array<bool, minhash_bins> filled{};
    std::array<std::uint64_t, shingle_words> window{};
    std::size_t words = 0;
    const auto add_word = [&](std::uint64_t w) {
        window[words % shingle_words] = w;
        ++words;
        if (words < shingle_words) return;
        // The shingle's words oldest first.
        std::uint64_t h = 0;
        for (std::size_t k = 0; k < shingle_words; ++k) h = mix(h ^ window[(words + k) % shingle_words]);
        const auto bin = static_cast<std::size_t>(h >> 57U);  // top 7 bits: one of 128
        const auto value = static_cast<std::uint32_t>(h);
        if (!filled[bin] || value < sig.bins[bin]) sig.bins[bin] = value;
        filled[bin] = true;
    };
    static_assert(minhash_bins == 128, "the bin is the shingle hash's top 7 bits");
    for (const std::string_view p : paragraphs) for_each_word_hash(p, add_word);
    if (words < shingle_words) return std::nullopt;
    // Rotation densification: an empty bin takes the value of the next filled bin to its right
    // (circularly), mixed with the distance, so that two documents agree on it as often as on
    // a filled bin, that is with probability equal to their similarity.
    Signature dense = sig;
    for (std::size_t j = 0; j < minhash_bins; ++j) {
        if (filled[j]) continue;
        for (std::size_t t = 1; t < minhash_bins; ++t) {
            const std::size_t k = (j + t) % minhash_bins;
            if (!filled[k]) continue;
            dense.bins[j] = static_cast<std::uint32_t>(mix(sig.bins[k] ^ (t * 0x9E3779B97F4A7C15ULL)));
            break;
        }
    }
    return dense;
}

double estimated_similarity(const Signature& a, const Signature& b) {
    std::size_t equal = 0;
    for (std::size_t i = 0; i < minhash_bins; ++i) equal += a.bins[i] == b.bins[i] ? 1U : 0U;
    return static_cast<double>(equal) / static_cast<double>(minhash_bins);
}

double passage_similarity(std::string_view a, std::string_view b) {
    const auto units = [](const std::vector<std::uint64_t>& words, bool pairs) {
        std::vector<std::uint64_t> out;
        if (!pairs) out = words;
        else
            for (std::size_t i = 0; i + 1 < words.size(); ++i) out.push_back(mix(words[i] ^ mix(words[i + 1])));
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    };
    const auto wa = word_hashes(a);
    const auto wb = word_hashes(b);
    if (wa.empty() && wb.empty()) return 1.0;
    const bool pairs = wa.size() >= 2 && wb.size() >= 2;
    const auto sa = units(wa, pairs);
    const auto sb = units(wb, pairs);
    std::vector<std::uint64_t> common;
    std::set_intersection(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(common));
    const std::size_t joined = sa.size() + sb.size() - common.size();
    return joined == 0 ? 0.0 : static_cast<double>(common.size()) / static_cast<double>(joined);
}

std::vector<std::string> band_terms(const Signature& signature) {
    std::vector<std::string> terms;
    terms.reserve(lsh_bands);
    for (std::size_t band = 0; band < lsh_bands; ++band) {
        std::uint64_t h = mix(band + 1);
        for (std::size_t r = 0; r < bins_per_band; ++r) h = mix(h ^ signature.bins[band * bins_per_band + r]);
        // 32 bits name a band: a collision only adds a candidate, which the signature rejects.
        terms.push_back(std::string(prefix::story_band) + hex(h >> 32U, 8));
    }
    return terms;
}

std::optional<std::string> copy_passage_term(std::string_view text) {
    std::uint64_t h = 0;
    std::size_t words = 0;
    for_each_word_hash(text, [&](std::uint64_t w) {
        h = mix(h ^ w);
        ++words;
    });
    if (words < copy_passage_min_words) return std::nullopt;
    return std::string(prefix::copy_passage) + hex(h);
}

std::string serialize_signature(const Signature& signature) {
    std::string out;
    out.reserve(minhash_bins * 4);
    for (const std::uint32_t v : signature.bins)
        for (unsigned shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFFU);
    return out;
}

std::optional<Signature> parse_signature(std::string_view value) {
    if (value.size() != minhash_bins * 4) return std::nullopt;
    Signature sig;
    for (std::size_t i = 0; i < minhash_bins; ++i) {
        std::uint32_t v = 0;
        for (unsigned k = 0; k < 4; ++k) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(value[i * 4 + k])) << (8U * k);
        sig.bins[i] = v;
    }
    return sig;
}

void add_similarity_terms(Xapian::Document& doc, std::string_view passage_text, const Signature* signature) {
    if (auto term = copy_passage_term(passage_text)) doc.add_boolean_term(*term);
    if (signature == nullptr) return;
    doc.add_value(slot::signature, serialize_signature(*signature));
    for (const std::string& term : band_terms(*signature)) doc.add_boolean_term(term);
}

}  // namespace cite::index
