#include "cite/index/document_builder.hpp"

#include "cite/analysis/language.hpp"
#include "cite/analysis/quantity.hpp"
#include "cite/passage/dates.hpp"
#include "cite/index/schema.hpp"

namespace cite::index {

std::uint32_t add_field_terms(Xapian::Document& doc, std::string_view field_prefix,
                              std::string_view text, analysis::Analyzer& analyzer,
                              std::uint32_t position_offset) {
    const std::string prefix(field_prefix);
    const std::string stem_prefix = std::string(prefix::stem) + prefix;
    std::uint32_t last = position_offset;
    for (const analysis::Token& t : analyzer.analyze(text)) {
        last = position_offset + t.position;
        doc.add_posting(prefix + t.term, last);
        if (!t.stem.empty()) doc.add_term(stem_prefix + t.stem);
        if (!t.cased.empty()) doc.add_posting(prefix + cased_term(t.cased), last, 0);
    }
    return last;
}

Xapian::Document build_document(const passage::Passage& passage, const passage::DocumentMeta& meta,
                                analysis::Analyzer& analyzer) {
    Xapian::Document doc;
    const std::string stem_prefix(prefix::stem);
    const std::string key_prefix(prefix::transliteration);
    const std::string script = analysis::dominant_script(passage.text);
    // In Latin-script passages the keys add nothing to the document length (wdf 0), so that
    // English ranking is exactly what it was without them; a match through a key alone then
    // weighs nothing and ranks after the passages that hold the word itself.
    const Xapian::termcount key_wdf = script == "Latn" ? 0 : 1;
    const auto tokens = analyzer.analyze(passage.text);
    for (const analysis::Token& t : tokens) {
        doc.add_posting(t.term, t.position);
        if (!t.stem.empty()) doc.add_term(stem_prefix + t.stem);
        // Beside the folded term, for case-sensitive search (`case:US`, acronyms). With no
        // wdf: positions only, so passage lengths, and the weights that normalise by them,
        // stay what the words make them (the folded term weighs a case-sensitive word).
        if (!t.cased.empty()) doc.add_posting(cased_term(t.cased), t.position, 0);
        for (const std::string& key : t.keys) doc.add_posting(key_prefix + key, t.position, key_wdf);
    }
    doc.add_boolean_term(std::string(prefix::language) + analysis::identify_language(passage.text));
    if (!script.empty()) doc.add_boolean_term(std::string(prefix::script) + script);
    // Quantities by normalised value, so "six million tons" is found by "6 million tons".
    for (const analysis::Quantity& q : analysis::find_quantities(passage.text, tokens)) {
        doc.add_term(quantity_term(q.unit, q.value));
        doc.add_term(quantity_value_term(q.value));
        if (q.value_to) {
            doc.add_term(quantity_term(q.unit, *q.value_to));
            doc.add_term(quantity_value_term(*q.value_to));
        }
        doc.add_boolean_term(quantity_unit_term(q.unit));
    }
    add_field_terms(doc, prefix::title, meta.title, analyzer);
    // Each name is its own phrase: a position gap keeps a phrase from spanning two of them.
    constexpr std::uint32_t gap = 8;
    std::uint32_t last = 0;
    for (const std::string& author : meta.authors)
        last = add_field_terms(doc, prefix::author, author, analyzer, last + gap);
    last = add_field_terms(doc, prefix::publisher, meta.publisher, analyzer);
    add_field_terms(doc, prefix::publisher, meta.container_title, analyzer, last + gap);

    doc.add_boolean_term(unique_term(passage));
    doc.add_boolean_term(source_term(passage.source));
    doc.add_value(slot::corpus_order, corpus_order_value(passage));
    if (const auto days = passage::day_span(meta.date)) {
        doc.add_value(slot::date_first, days->first);
        doc.add_value(slot::date_last, days->last);
    }
    doc.set_data(serialize_passage(passage));
    return doc;
}

}  // namespace cite::index
