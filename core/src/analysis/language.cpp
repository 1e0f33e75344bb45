#include "cite/analysis/language.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <climits>
#include <memory>
#include <mutex>
#include <vector>

extern "C" {
#include <fingerprint.h>
}

namespace cite::analysis {
namespace {

struct LetterCounts {
    std::size_t latin = 0;
    std::size_t cyrillic = 0;
    std::size_t other = 0;
    std::size_t kazakh = 0;
};

LetterCounts count_letters(std::string_view text) {
    LetterCounts n;
    const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
    const auto length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
        UChar32 c;
        U8_NEXT(bytes, i, length, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        if (script == USCRIPT_LATIN) ++n.latin;
        else if (script == USCRIPT_CYRILLIC) {
            ++n.cyrillic;
            if (is_kazakh_letter(static_cast<char32_t>(c))) ++n.kazakh;
        } else ++n.other;
    }
    return n;
}

// Below this many letters the n-gram models are not asked.
constexpr std::size_t min_letters_for_ngrams = 100;

// libexttextcat's fingerprints of the languages of one script, loaded once. Only languages
// written in the script are compared: across scripts the letters alone decide.
class NgramModels {
  public:
    explicit NgramModels(const std::vector<std::string>& languages) {
        for (const std::string& language : languages) {
            void* model = fp_Init(language.c_str());
            if (!model) continue;
            fp_SetProperty(model, TCPROP_UTF8AWARE, TC_TRUE);
            if (fp_Read(model, (std::string(model_directory) + language + ".lm").c_str(), max_ngrams) == 0) {
                fp_Done(model);
                continue;
            }
            m_models.push_back({language, model});
        }
    }
    ~NgramModels() {
        for (const Model& m : m_models) fp_Done(m.handle);
    }
    NgramModels(const NgramModels&) = delete;
    NgramModels& operator=(const NgramModels&) = delete;

    // The closest language, or `fallback` without models or when the text gives no n-grams.
    std::string closest(std::string_view text, const std::string& fallback) const {
        if (m_models.empty()) return fallback;
        void* sample = fp_Init("sample");
        if (!sample) return fallback;
        fp_SetProperty(sample, TCPROP_UTF8AWARE, TC_TRUE);
        fp_SetProperty(sample, TCPROP_MINIMUM_DOCUMENT_SIZE, 1);
        std::string best = fallback;
        // Its fingerprint of the first few kilobytes: enough for a language, and bounded.
        const std::size_t size = std::min<std::size_t>(text.size(), 4096);
        if (fp_Create(sample, text.data(), static_cast<uint4>(size), max_ngrams) != 0) {
            sint4 best_score = INT_MAX;
            for (const Model& m : m_models) {
                const sint4 score = fp_Compare(m.handle, sample, INT_MAX);
                if (score < best_score) {
                    best_score = score;
                    best = m.language;
                }
            }
        }
        fp_Done(sample);
        return best;
    }

  private:
    static constexpr const char* model_directory = "/usr/share/libexttextcat/";
    static constexpr int max_ngrams = 400;
    struct Model {
        std::string language;
        void* handle;
    };
    std::vector<Model> m_models;
};

std::mutex& models_mutex() {
    static std::mutex m;
    return m;
}

const NgramModels& cyrillic_models() {
    static const NgramModels models({"ru", "kk", "uk", "be", "bg", "ky", "tt", "mn", "mk", "sr-Cyrl"});
    return models;
}

const NgramModels& latin_models() {
    static const NgramModels models({"en", "de", "fr", "es", "it", "pt", "nl", "tr", "pl", "uz"});
    return models;
}

}  // namespace

bool is_kazakh_letter(char32_t c) {
    switch (c) {
    case U'ә': case U'Ә': case U'ғ': case U'Ғ': case U'қ': case U'Қ': case U'ң': case U'Ң':
    case U'ө': case U'Ө': case U'ұ': case U'Ұ': case U'ү': case U'Ү': case U'һ': case U'Һ':
    case U'і': case U'І':
        return true;
    default: return false;
    }
}

std::string dominant_script(std::string_view text) {
    const LetterCounts n = count_letters(text);
    if (n.latin + n.cyrillic + n.other == 0) return {};
    if (n.cyrillic >= n.latin && n.cyrillic >= n.other) return "Cyrl";
    if (n.latin >= n.other) return "Latn";
    return "Other";
}

std::string identify_language(std::string_view text) {
    const LetterCounts n = count_letters(text);
    const std::size_t letters = n.latin + n.cyrillic + n.other;
    if (letters == 0) return "und";
    const bool cyrillic = n.cyrillic >= n.latin && n.cyrillic >= n.other;
    const bool latin = !cyrillic && n.latin >= n.other;
    if (!cyrillic && !latin) return "und";
    if (cyrillic && n.kazakh * 50 >= n.cyrillic) return "kk";
    const std::string fallback = cyrillic ? "ru" : "en";
    if (letters < min_letters_for_ngrams) return fallback;
    // fp_Compare reads the models only, but libexttextcat promises nothing about threads.
    const std::lock_guard lock(models_mutex());
    return (cyrillic ? cyrillic_models() : latin_models()).closest(text, fallback);
}

}  // namespace cite::analysis
