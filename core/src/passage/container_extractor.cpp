#include "cite/passage/container_extractor.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"
#include "cite/passage/html_extractor.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>

namespace cite::passage {

namespace {

constexpr std::string_view zip_magic = "PK\x03\x04";

std::string mib(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// A zip archive in memory whose directory has been checked against the limits.
class Zip {
  public:
    Zip(std::string_view bytes, const ZipLimits& limits) : m_limits(limits) {
        if (bytes.size() > limits.max_bytes) throw CorpusError("the file is larger than the " + mib(limits.max_bytes) + " limit");
        if (!bytes.starts_with(zip_magic)) throw CorpusError("not a zip archive, as a " + kind_hint() + " must be");
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source) m_zip = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!m_zip) {
            if (source) zip_source_free(source);
            const std::string why = zip_error_strerror(&error);
            zip_error_fini(&error);
            throw CorpusError("damaged zip archive: " + why);
        }
        zip_error_fini(&error);
        // A constructor that throws runs no destructor: the archive is let go here.
        try {
            check_directory();
        } catch (...) {
            zip_discard(m_zip);
            throw;
        }
    }
    ~Zip() {
        if (m_zip) zip_discard(m_zip);
    }
    Zip(const Zip&) = delete;
    Zip& operator=(const Zip&) = delete;

    /// The inflated bytes of entry `name`, or nothing when there is no such entry.
    [[nodiscard]] std::optional<std::string> read(const std::string& name) const {
        const zip_int64_t index = zip_name_locate(m_zip, name.c_str(), 0);
        if (index < 0) return std::nullopt;
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(m_zip, static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            throw CorpusError("damaged zip archive: no size for '" + name + "'");
        if (st.size > m_limits.max_entry_bytes)
            throw CorpusError("zip bomb? '" + name + "' inflates to " + std::to_string(st.size) + " bytes, over the " +
                              mib(m_limits.max_entry_bytes) + " limit");
        zip_file_t* file = zip_fopen_index(m_zip, static_cast<zip_uint64_t>(index), 0);
        if (!file) throw CorpusError("damaged zip archive: cannot open '" + name + "': " + zip_strerror(m_zip));
        std::string out(static_cast<std::size_t>(st.size), '\0');
        std::size_t filled = 0;
        // One byte more than declared: an entry that inflates beyond its declared size is refused.
        char extra = 0;
        zip_int64_t got = 0;
        while (filled < out.size() && (got = zip_fread(file, out.data() + filled, out.size() - filled)) > 0)
            filled += static_cast<std::size_t>(got);
        const bool more = got >= 0 && zip_fread(file, &extra, 1) > 0;
        const bool failed = got < 0;
        const std::string why = failed ? zip_file_strerror(file) : std::string();
        zip_fclose(file);
        if (failed) throw CorpusError("damaged zip archive: cannot inflate '" + name + "': " + why);
        if (more) throw CorpusError("zip bomb? '" + name + "' inflates to more than its declared size");
        out.resize(filled);
        return out;
    }

  private:
    static std::string kind_hint() { return "DOCX, ODT or EPUB file"; }

    // Refuses a zip bomb from its directory alone: entry count, declared sizes and ratios.
    void check_directory() const {
        const zip_int64_t entries = zip_get_num_entries(m_zip, 0);
        if (entries < 0 || static_cast<std::uint64_t>(entries) > m_limits.max_entries)
            throw CorpusError("zip bomb? " + std::to_string(entries) + " entries, over the limit of " +
                              std::to_string(m_limits.max_entries));
        std::uint64_t total = 0;
        for (zip_int64_t i = 0; i < entries; ++i) {
            zip_stat_t st;
            zip_stat_init(&st);
            if (zip_stat_index(m_zip, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
            if (!(st.valid & ZIP_STAT_SIZE)) continue;
            total += st.size;
            if (total > m_limits.max_total_bytes)
                throw CorpusError("zip bomb? its entries inflate to over " + mib(m_limits.max_total_bytes));
            constexpr std::uint64_t small = std::uint64_t{1} << 20;
            if (st.size > small && (st.valid & ZIP_STAT_COMP_SIZE) &&
                st.size / std::max<std::uint64_t>(st.comp_size, 1) > m_limits.max_ratio)
                throw CorpusError("zip bomb? '" + std::string(st.name ? st.name : "?") + "' inflates " +
                                  std::to_string(st.size / std::max<std::uint64_t>(st.comp_size, 1)) +
                                  " times, over the ratio limit of " + std::to_string(m_limits.max_ratio));
        }
    }

    ZipLimits m_limits;
    zip_t* m_zip = nullptr;
};

struct XmlDocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocFree>;

// No network, no external entities expanded (no XML_PARSE_NOENT), libxml2's default depth and
// size limits (no XML_PARSE_HUGE): a hostile part fails to parse, and is named.
XmlDoc parse_xml(const std::string& bytes, const std::string& part) {
    XmlDoc doc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (!doc || !xmlDocGetRootElement(doc.get())) throw CorpusError("'" + part + "' is not well-formed XML");
    return doc;
}

XmlDoc required_xml(const Zip& zip, const std::string& part, std::string_view kind) {
    const std::optional<std::string> bytes = zip.read(part);
    if (!bytes) throw CorpusError("not a " + std::string(kind) + " file: it has no '" + part + "'");
    return parse_xml(*bytes, part);
}

std::optional<XmlDoc> optional_xml(const Zip& zip, const std::string& part) {
    const std::optional<std::string> bytes = zip.read(part);
    if (!bytes) return std::nullopt;
    return parse_xml(*bytes, part);
}

// A part that only adds to the text (a table of contents, styles): null when the archive lacks
// it or it is not well-formed, and the document is read without it.
XmlDoc lenient_xml(const Zip& zip, const std::string& part) {
    const std::optional<std::string> bytes = zip.read(part);
    if (!bytes) return nullptr;
    XmlDoc doc(xmlReadMemory(bytes->data(), static_cast<int>(bytes->size()), nullptr, nullptr,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
    if (doc && !xmlDocGetRootElement(doc.get())) doc.reset();
    return doc;
}

bool is_element(const xmlNode* n) { return n && n->type == XML_ELEMENT_NODE; }

std::string_view local_name(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

std::string_view ns_of(const xmlNode* n) {
    return n->ns && n->ns->href ? std::string_view(reinterpret_cast<const char*>(n->ns->href)) : std::string_view();
}

bool is(const xmlNode* n, std::string_view ns, std::string_view name) {
    return is_element(n) && local_name(n) == name && ns_of(n) == ns;
}

std::string attribute(const xmlNode* n, const char* name, const char* ns = nullptr) {
    xmlChar* value = ns ? xmlGetNsProp(n, reinterpret_cast<const xmlChar*>(name), reinterpret_cast<const xmlChar*>(ns))
                        : xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!value) return {};
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

std::string node_text(const xmlNode* n) {
    xmlChar* content = xmlNodeGetContent(n);
    if (!content) return {};
    std::string out(reinterpret_cast<const char*>(content));
    xmlFree(content);
    return out;
}

template <typename OnElement>
void for_each_descendant(const xmlNode* n, OnElement&& on_element) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (!is_element(c)) continue;
        on_element(c);
        for_each_descendant(c, on_element);
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// White space collapsed to single spaces, except the '\n' of explicit line breaks; trimmed.
std::string tidy(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == '\n') {
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += '\n';
            space = false;
        } else if (is_space(c)) {
            space = true;
        } else {
            if (space && !out.empty() && out.back() != '\n') out += ' ';
            space = false;
            out += c;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    while (!out.empty() && out.front() == '\n') out.erase(0, 1);
    return out;
}

// All white space collapsed to single spaces, trimmed: a title on one line.
std::string one_line(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (!is_space(c)) out += c;
        else if (!out.empty() && out.back() != ' ') out += ' ';
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// Builds the text layer: one paragraph at a time.
class LayerBuilder {
  public:
    void add(std::string_view paragraph) {
        std::string text = tidy(paragraph);
        if (text.empty()) return;
        if (analysis::find_invalid_utf8(text)) text = analysis::escape_invalid_utf8(text);
        if (!m_out.text.empty()) m_out.text += "\n\n";
        const std::size_t begin = m_out.text.size();
        m_out.text += text;
        m_out.paragraphs.push_back({begin, m_out.text.size()});
        if (m_chapter != 0) m_out.paragraph_chapters.push_back(m_chapter);
    }
    /// The chapter the paragraphs added from now on come from (EPUB); 0 for none.
    void set_chapter(std::uint32_t chapter) { m_chapter = chapter; }
    ContainerText& result() { return m_out; }

  private:
    ContainerText m_out;
    std::uint32_t m_chapter = 0;
};

// --- DOCX ---------------------------------------------------------------------------------

constexpr std::string_view w_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view dc_ns = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view dcterms_ns = "http://purl.org/dc/terms/";

// The text of a w:p: runs' w:t, tabs and breaks; deleted text (tracked changes, accepted) and
// field instructions left out; a paragraph nested in it (a text box) comes after it.
void docx_paragraph_text(const xmlNode* n, std::string& out, std::vector<const xmlNode*>& nested) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || !is_element(c) || ns_of(c) != w_ns) {
            if (is_element(c)) docx_paragraph_text(c, out, nested);  // other namespaces: look inside
            continue;
        }
        const std::string_view name = local_name(c);
        if (name == "t") out += node_text(c);
        else if (name == "tab") out += ' ';
        else if (name == "br" || name == "cr") out += '\n';
        else if (name == "p") nested.push_back(c);
        else if (name == "del" || name == "delText" || name == "instrText" || name == "rPr" || name == "pPr") continue;
        else docx_paragraph_text(c, out, nested);
    }
}

// Heading paragraphs (each is its own paragraph, as every w:p and text:h is): the first with
// the Title style and the first level-1 heading, the document's title when its properties
// give none (as a web page's h1 is).
struct Headings {
    std::string title;  ///< the first Title-style paragraph's text
    std::string first;  ///< the first level-1 heading's text

    void note(int level, const std::string& text) {
        if (level == title_level && title.empty()) title = one_line(text);
        else if (level == 1 && first.empty()) first = one_line(text);
    }
    [[nodiscard]] std::string best() const { return title.empty() ? first : title; }

    static constexpr int title_level = 0;  ///< the Title style; headings are 1-9, body text -1
};

// A DOCX outline level (w:outlineLvl: 0-8, 9 body text) as a heading level (1-9, -1).
int docx_outline_level(const std::string& value) {
    if (value.size() != 1 || value[0] < '0' || value[0] > '8') return -1;
    return value[0] - '0' + 1;
}

// word/styles.xml's paragraph styles that are headings, by style id: by the style's name,
// which Word keeps in English ("heading 1".."heading 9", "Title") while ids are localised,
// else by its outline level.
std::map<std::string, int> docx_heading_styles(const Zip& zip) {
    std::map<std::string, int> levels;
    const XmlDoc doc = lenient_xml(zip, "word/styles.xml");
    if (!doc) return levels;
    for_each_descendant(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
        if (!is(n, w_ns, "style") || attribute(n, "type", w_ns.data()) != "paragraph") return;
        int level = -1;
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (is(c, w_ns, "name")) {
                const std::string name = analysis::ascii_lower(attribute(c, "val", w_ns.data()));
                if (name == "title") level = Headings::title_level;
                else if (name.size() == 9 && name.starts_with("heading ") && name[8] >= '1' && name[8] <= '9')
                    level = name[8] - '0';
            } else if (is(c, w_ns, "pPr") && level < 0) {
                for (const xmlNode* o = c->children; o; o = o->next)
                    if (is(o, w_ns, "outlineLvl")) level = docx_outline_level(attribute(o, "val", w_ns.data()));
            }
        }
        if (level >= 0) levels[attribute(n, "styleId", w_ns.data())] = level;
    });
    return levels;
}

// A w:p's heading level: its own w:outlineLvl, else its style's; -1 for body text.
int docx_paragraph_level(const xmlNode* p, const std::map<std::string, int>& styles) {
    int level = -1;
    for (const xmlNode* c = p->children; c; c = c->next) {
        if (!is(c, w_ns, "pPr")) continue;
        for (const xmlNode* o = c->children; o; o = o->next) {
            if (is(o, w_ns, "outlineLvl")) return docx_outline_level(attribute(o, "val", w_ns.data()));
            if (is(o, w_ns, "pStyle"))
                if (const auto s = styles.find(attribute(o, "val", w_ns.data())); s != styles.end()) level = s->second;
        }
    }
    return level;
}

void docx_blocks(const xmlNode* n, LayerBuilder& layer, const std::map<std::string, int>& styles = {},
                 Headings* headings = nullptr) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (!is_element(c)) continue;
        if (is(c, w_ns, "p")) {
            std::string text;
            std::vector<const xmlNode*> nested;
            docx_paragraph_text(c, text, nested);
            if (headings) headings->note(docx_paragraph_level(c, styles), text);
            layer.add(text);
            for (const xmlNode* p : nested) {
                std::string inner;
                std::vector<const xmlNode*> deeper;
                docx_paragraph_text(p, inner, deeper);
                layer.add(inner);
            }
        } else if (is(c, w_ns, "del")) {
            continue;  // a deleted paragraph
        } else if (is(c, w_ns, "footnote") || is(c, w_ns, "endnote")) {
            const std::string type = attribute(c, "type", w_ns.data());
            if (type == "separator" || type == "continuationSeparator" || type == "continuationNotice") continue;
            docx_blocks(c, layer);
        } else {
            docx_blocks(c, layer, styles, headings);
        }
    }
}

std::string first_of(const xmlNode* root, std::string_view ns, std::string_view name) {
    std::string found;
    bool done = false;
    for_each_descendant(root, [&](const xmlNode* n) {
        if (!done && is(n, ns, name)) {
            found = tidy(node_text(n));
            done = !found.empty();
        }
    });
    return found;
}

std::vector<std::string> all_of(const xmlNode* root, std::string_view ns, std::string_view name) {
    std::vector<std::string> found;
    for_each_descendant(root, [&](const xmlNode* n) {
        if (is(n, ns, name))
            if (std::string text = tidy(node_text(n)); !text.empty()) found.push_back(std::move(text));
    });
    return found;
}

std::string date_part(const std::string& value) {
    // "2020-08-12T10:00:00Z" → "2020-08-12"; a year or year-month stays as it is.
    std::string date = value.substr(0, std::min<std::size_t>(value.size(), 10));
    const bool ok = date.size() >= 4 && std::all_of(date.begin(), date.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    return ok ? date : std::string();
}

ContainerText read_docx(const Zip& zip) {
    LayerBuilder layer;
    const XmlDoc body = required_xml(zip, "word/document.xml", "DOCX");
    Headings headings;
    docx_blocks(xmlDocGetRootElement(body.get()), layer, docx_heading_styles(zip), &headings);
    for (const char* part : {"word/footnotes.xml", "word/endnotes.xml"})
        if (const std::optional<XmlDoc> notes = optional_xml(zip, part)) docx_blocks(xmlDocGetRootElement(notes->get()), layer);
    ContainerText& out = layer.result();
    if (const std::optional<XmlDoc> core = optional_xml(zip, "docProps/core.xml")) {
        const xmlNode* root = xmlDocGetRootElement(core->get());
        out.meta.title = first_of(root, dc_ns, "title");
        out.meta.authors = all_of(root, dc_ns, "creator");
        out.meta.date = date_part(first_of(root, dcterms_ns, "created"));
        out.meta.language = first_of(root, dc_ns, "language");
    }
    if (out.meta.title.empty()) out.meta.title = headings.best();
    return std::move(out);
}

// --- ODT ----------------------------------------------------------------------------------

constexpr std::string_view text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
constexpr std::string_view meta_ns = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";

// The text of a text:p or text:h: white space as ODF collapses it, text:s, tabs and line
// breaks; notes and nested paragraphs (frames) come after the body, tracked deletions and
// annotations are left out.
void odt_paragraph_text(const xmlNode* n, std::string& out, std::vector<const xmlNode*>& nested,
                        std::vector<const xmlNode*>& notes) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            out += reinterpret_cast<const char*>(c->content);
            continue;
        }
        if (!is_element(c)) continue;
        const std::string_view name = local_name(c);
        if (ns_of(c) == text_ns && name == "s") {
            const std::string count = attribute(c, "c", text_ns.data());
            const std::size_t n_spaces = count.empty() ? 1 : std::min<std::size_t>(std::strtoul(count.c_str(), nullptr, 10), 1000);
            out += std::string(std::max<std::size_t>(n_spaces, 1), ' ');
        } else if (ns_of(c) == text_ns && name == "tab") {
            out += ' ';
        } else if (ns_of(c) == text_ns && name == "line-break") {
            out += '\n';
        } else if (ns_of(c) == text_ns && name == "note") {
            notes.push_back(c);
        } else if (ns_of(c) == text_ns && (name == "p" || name == "h")) {
            nested.push_back(c);
        } else if (ns_of(c) == office_ns && name == "annotation") {
            continue;
        } else if (ns_of(c) == text_ns && (name == "tracked-changes" || name == "note-citation")) {
            continue;
        } else {
            odt_paragraph_text(c, out, nested, notes);
        }
    }
}

constexpr std::string_view style_ns = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";

// An ODT paragraph's heading level: text:h's text:outline-level (1 when absent); the Title
// style (ODF's internal style names are not localised; an automatic style names it as its
// parent) for a text:p; -1 for body text.
int odt_paragraph_level(const xmlNode* p, const std::map<std::string, std::string>& parents) {
    if (is(p, text_ns, "h")) {
        const std::string level = attribute(p, "outline-level", text_ns.data());
        return level.size() == 1 && level[0] >= '1' && level[0] <= '9' ? level[0] - '0' : level.empty() ? 1 : -1;
    }
    std::string style = attribute(p, "style-name", text_ns.data());
    if (const auto parent = parents.find(style); parent != parents.end()) style = parent->second;
    return style == "Title" ? Headings::title_level : -1;
}

void odt_blocks(const xmlNode* n, LayerBuilder& layer, std::vector<const xmlNode*>& notes,
                const std::map<std::string, std::string>& parents = {}, Headings* headings = nullptr) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (!is_element(c)) continue;
        if (is(c, text_ns, "p") || is(c, text_ns, "h")) {
            std::string text;
            std::vector<const xmlNode*> nested;
            odt_paragraph_text(c, text, nested, notes);
            if (headings) headings->note(odt_paragraph_level(c, parents), text);
            layer.add(text);
            for (const xmlNode* p : nested) {
                std::string inner;
                std::vector<const xmlNode*> deeper;
                odt_paragraph_text(p, inner, deeper, notes);
                layer.add(inner);
            }
        } else if (is(c, text_ns, "tracked-changes") || is(c, office_ns, "annotation")) {
            continue;
        } else {
            odt_blocks(c, layer, notes, parents, headings);
        }
    }
}

ContainerText read_odt(const Zip& zip) {
    LayerBuilder layer;
    const XmlDoc content = required_xml(zip, "content.xml", "ODT");
    std::vector<const xmlNode*> notes;
    const xmlNode* root = xmlDocGetRootElement(content.get());
    std::map<std::string, std::string> parents;  // automatic style → the style it derives from
    for_each_descendant(root, [&](const xmlNode* n) {
        if (is(n, style_ns, "style"))
            parents[attribute(n, "name", style_ns.data())] = attribute(n, "parent-style-name", style_ns.data());
    });
    Headings headings;
    for_each_descendant(root, [&](const xmlNode* n) {
        if (is(n, office_ns, "text")) odt_blocks(n, layer, notes, parents, &headings);
    });
    for (std::size_t i = 0; i < notes.size(); ++i)  // a note's own notes are appended as found
        for (const xmlNode* c = notes[i]->children; c; c = c->next)
            if (is(c, text_ns, "note-body")) odt_blocks(c, layer, notes);
    ContainerText& out = layer.result();
    if (const std::optional<XmlDoc> meta = optional_xml(zip, "meta.xml")) {
        const xmlNode* m = xmlDocGetRootElement(meta->get());
        out.meta.title = first_of(m, dc_ns, "title");
        out.meta.authors = all_of(m, meta_ns, "initial-creator");
        if (out.meta.authors.empty()) out.meta.authors = all_of(m, dc_ns, "creator");
        out.meta.date = date_part(first_of(m, meta_ns, "creation-date"));
        if (out.meta.date.empty()) out.meta.date = date_part(first_of(m, dc_ns, "date"));
        out.meta.language = first_of(m, dc_ns, "language");
    }
    if (out.meta.title.empty()) out.meta.title = headings.best();
    return std::move(out);
}

// --- EPUB ---------------------------------------------------------------------------------

constexpr std::string_view container_ns = "urn:oasis:names:tc:opendocument:xmlns:container";
constexpr std::string_view opf_ns = "http://www.idpf.org/2007/opf";

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto hex = [](char c) -> int {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        };
        if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// `href` (relative to the package file's folder `base`) as a path in the zip: '.' and '..'
// resolved, a fragment dropped.
std::string zip_path(const std::string& base, std::string_view href) {
    href = href.substr(0, std::min(href.find('#'), href.size()));
    std::vector<std::string> parts;
    const std::string joined = base + percent_decode(href);
    std::size_t pos = 0;
    while (pos <= joined.size()) {
        const std::size_t end = std::min(joined.find('/', pos), joined.size());
        const std::string part = joined.substr(pos, end - pos);
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        pos = end + 1;
    }
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
    return out;
}

bool has_token(std::string_view list, std::string_view token) {
    std::size_t pos = 0;
    while (pos < list.size()) {
        const std::size_t end = std::min(list.find_first_of(" \t\n\r", pos), list.size());
        if (list.substr(pos, end - pos) == token) return true;
        pos = end + 1;
    }
    return false;
}

// The folder of a part in the zip, with its '/'; empty at the root.
std::string folder_of(const std::string& part) {
    return part.find('/') == std::string::npos ? std::string() : part.substr(0, part.rfind('/') + 1);
}

constexpr std::string_view ops_ns = "http://www.idpf.org/2007/ops";
constexpr std::string_view ncx_ns = "http://www.daisy.org/z3986/2005/ncx/";

// The titles an EPUB 3 navigation document gives its chapters: the links of its `toc` nav
// (else of its first nav), the first link to a part naming it. A nav that cannot be read
// gives none: the chapters are still read.
void nav_titles(const Zip& zip, const std::string& part, std::map<std::string, std::string>& toc) {
    const XmlDoc doc = lenient_xml(zip, part);
    if (!doc) return;
    const xmlNode* nav = nullptr;
    for_each_descendant(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
        if (local_name(n) != "nav") return;
        if (has_token(attribute(n, "type", ops_ns.data()), "toc")) {
            if (!nav || !has_token(attribute(nav, "type", ops_ns.data()), "toc")) nav = n;
        } else if (!nav) {
            nav = n;
        }
    });
    if (!nav) return;
    const std::string base = folder_of(part);
    for_each_descendant(nav, [&](const xmlNode* n) {
        if (local_name(n) != "a") return;
        const std::string href = attribute(n, "href");
        if (href.empty()) return;
        toc.try_emplace(zip_path(base, href), one_line(node_text(n)));
    });
}

// The titles an EPUB 2 NCX gives its chapters (navPoint: navLabel/text, content@src); after
// the nav's, so that the nav wins where both name a part.
void ncx_titles(const Zip& zip, const std::string& part, std::map<std::string, std::string>& toc) {
    const XmlDoc doc = lenient_xml(zip, part);
    if (!doc) return;
    const std::string base = folder_of(part);
    for_each_descendant(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
        if (!is(n, ncx_ns, "navPoint")) return;
        std::string label, src;
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (is(c, ncx_ns, "content") && src.empty()) src = attribute(c, "src");
            if (is(c, ncx_ns, "navLabel") && label.empty())
                for (const xmlNode* t = c->children; t; t = t->next)
                    if (is(t, ncx_ns, "text") && label.empty()) label = one_line(node_text(t));
        }
        if (!src.empty()) toc.try_emplace(zip_path(base, src), label);
    });
}

// A chapter's first heading (h1-h6), as text; empty when it has none or cannot be read.
std::string first_heading(const std::string& chapter) {
    XmlDoc doc(htmlReadMemory(chapter.data(), static_cast<int>(chapter.size()), nullptr, "UTF-8",
                              HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING));
    if (!doc || !xmlDocGetRootElement(doc.get())) return {};
    std::string title;
    for_each_descendant(xmlDocGetRootElement(doc.get()), [&](const xmlNode* n) {
        const std::string_view name = local_name(n);
        if (title.empty() && name.size() == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6')
            title = one_line(node_text(n));
    });
    return title;
}

ContainerText read_epub(const Zip& zip) {
    const XmlDoc container = required_xml(zip, "META-INF/container.xml", "EPUB");
    std::string package_path;
    for_each_descendant(xmlDocGetRootElement(container.get()), [&](const xmlNode* n) {
        if (package_path.empty() && is(n, container_ns, "rootfile")) package_path = attribute(n, "full-path");
    });
    if (package_path.empty()) throw CorpusError("not an EPUB file: META-INF/container.xml names no package");
    const XmlDoc package = required_xml(zip, package_path, "EPUB");
    const std::string base = package_path.find('/') == std::string::npos
                                 ? std::string()
                                 : package_path.substr(0, package_path.rfind('/') + 1);
    const xmlNode* root = xmlDocGetRootElement(package.get());
    std::map<std::string, std::string> manifest;  // id → href
    std::vector<std::string> spine;
    std::string nav_href, ncx_id;
    for_each_descendant(root, [&](const xmlNode* n) {
        if (is(n, opf_ns, "item")) {
            manifest[attribute(n, "id")] = attribute(n, "href");
            if (nav_href.empty() && has_token(attribute(n, "properties"), "nav")) nav_href = attribute(n, "href");
        } else if (is(n, opf_ns, "spine")) {
            ncx_id = attribute(n, "toc");
        } else if (is(n, opf_ns, "itemref") && attribute(n, "linear") != "no") {
            spine.push_back(attribute(n, "idref"));
        }
    });
    std::map<std::string, std::string> toc;  // zip path → title
    if (!nav_href.empty()) nav_titles(zip, zip_path(base, nav_href), toc);
    if (const auto ncx = manifest.find(ncx_id); !ncx_id.empty() && ncx != manifest.end())
        ncx_titles(zip, zip_path(base, ncx->second), toc);
    LayerBuilder layer;
    ContainerText& out = layer.result();
    for (std::size_t i = 0; i < spine.size(); ++i) {
        const auto chapter_number = static_cast<std::uint32_t>(i + 1);
        out.chapter_titles.emplace_back();
        const auto item = manifest.find(spine[i]);
        if (item == manifest.end()) continue;
        const std::string part = zip_path(base, item->second);
        const std::optional<std::string> chapter = zip.read(part);
        if (!chapter) continue;  // a spine item the archive lacks: the rest is still read
        const auto entry = toc.find(part);
        out.chapter_titles.back() = entry != toc.end() ? entry->second : first_heading(*chapter);
        HtmlPage page = extract_html(*chapter);
        layer.set_chapter(chapter_number);
        for (const analysis::ByteRange& range : page.paragraphs) layer.add(std::string_view(page.text).substr(range.begin, range.size()));
    }
    out.meta.title = first_of(root, dc_ns, "title");
    out.meta.authors = all_of(root, dc_ns, "creator");
    out.meta.date = date_part(first_of(root, dc_ns, "date"));
    out.meta.publisher = first_of(root, dc_ns, "publisher");
    out.meta.language = first_of(root, dc_ns, "language");
    return std::move(out);
}

}  // namespace

bool container_kind(std::string_view file_name, std::string_view head, ContainerKind& kind) {
    // EPUB and ODT start with an uncompressed "mimetype" entry naming their kind.
    if (head.starts_with(zip_magic) && head.size() > 38 && head.substr(30, 8) == "mimetype") {
        const std::string_view rest = head.substr(38, 64);
        if (rest.starts_with("application/epub+zip")) {
            kind = ContainerKind::epub;
            return true;
        }
        if (rest.starts_with("application/vnd.oasis.opendocument.text") &&
            !rest.starts_with("application/vnd.oasis.opendocument.text-")) {
            kind = ContainerKind::odt;
            return true;
        }
    }
    const std::string lower = analysis::ascii_lower(file_name);
    for (const auto& [ext, k] : {std::pair{".docx", ContainerKind::docx}, std::pair{".odt", ContainerKind::odt},
                                 std::pair{".epub", ContainerKind::epub}}) {
        if (lower.ends_with(ext)) {
            kind = k;
            return true;
        }
    }
    return false;
}

ContainerText extract_container(std::string_view bytes, ContainerKind kind, const ZipLimits& limits) {
    const Zip zip(bytes, limits);
    ContainerText out;
    switch (kind) {
        case ContainerKind::docx: out = read_docx(zip); break;
        case ContainerKind::odt: out = read_odt(zip); break;
        case ContainerKind::epub: out = read_epub(zip); break;
    }
    if (out.paragraphs.empty()) throw CorpusError("no text found in the document");
    return out;
}

}  // namespace cite::passage
