#include "cite/passage/html_extractor.hpp"

#include "cite/analysis/utf8.hpp"
#include "cite/error.hpp"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace cite::passage {
namespace {

// ---------------------------------------------------------------------------------------
// Small helpers over libxml2's tree.

bool is_element(const xmlNode* n) { return n && n->type == XML_ELEMENT_NODE; }

std::string_view tag(const xmlNode* n) {
    return is_element(n) && n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}

std::string attr(const xmlNode* n, const char* name) {
    if (!is_element(n)) return {};
    xmlChar* value = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (!value) return {};
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

bool has_attr(const xmlNode* n, const char* name) {
    return is_element(n) && xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr;
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Text with runs of white space as one space, trimmed (NBSP kept as a character, as
// browsers keep it).
std::string collapse(std::string_view s) {
    std::string out;
    bool space = false;
    for (const char c : s) {
        if (is_space(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

void text_of(const xmlNode* n, std::string& out) {
    for (const xmlNode* c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content) out += reinterpret_cast<const char*>(c->content);
        } else if (is_element(c)) {
            text_of(c, out);
        }
    }
}

// textContent with white space collapsed: Readability's _getInnerText.
std::string inner_text(const xmlNode* n) {
    std::string raw;
    if (n->type == XML_TEXT_NODE) {
        if (n->content) raw = reinterpret_cast<const char*>(n->content);
    } else {
        text_of(n, raw);
    }
    return collapse(raw);
}

// Characters (code points), as JavaScript's length counts them closely enough.
std::size_t char_count(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::vector<xmlNode*> element_children(const xmlNode* n) {
    std::vector<xmlNode*> out;
    for (xmlNode* c = n->children; c; c = c->next)
        if (is_element(c)) out.push_back(c);
    return out;
}

void collect(xmlNode* n, const std::set<std::string, std::less<>>& tags, std::vector<xmlNode*>& out) {
    for (xmlNode* c = n->children; c; c = c->next) {
        if (!is_element(c)) continue;
        if (tags.contains(tag(c))) out.push_back(c);
        collect(c, tags, out);
    }
}

std::vector<xmlNode*> descendants(xmlNode* n, std::initializer_list<const char*> names) {
    std::set<std::string, std::less<>> tags;
    for (const char* t : names) tags.insert(t);
    std::vector<xmlNode*> out;
    collect(n, tags, out);
    return out;
}

bool has_ancestor(const xmlNode* n, std::string_view name, int max_depth = 3) {
    int depth = 0;
    for (const xmlNode* p = n->parent; is_element(p); p = p->parent) {
        if (max_depth > 0 && depth++ >= max_depth) return false;
        if (tag(p) == name) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------
// Readability's patterns (Readability.js REGEXPS), matched on "class id".

const std::regex& re(const char* pattern) {
    // One per pattern, built once; std::regex is safe to match from several threads.
    static std::mutex mutex;
    static std::map<const char*, std::unique_ptr<std::regex>> cache;
    const std::lock_guard lock(mutex);
    auto& slot = cache[pattern];
    if (!slot) slot = std::make_unique<std::regex>(pattern, std::regex::icase | std::regex::optimize);
    return *slot;
}

constexpr const char* unlikely_candidates =
    "-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|"
    "menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|"
    "pagination|pager|popup|yom-remote";
constexpr const char* maybe_candidate = "and|article|body|column|content|main|mathjax|shadow";
constexpr const char* positive = "article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story";
constexpr const char* negative =
    "-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|"
    "outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget";
constexpr const char* byline_pattern = "byline|author|dateline|writtenby|p-author";
constexpr const char* share_pattern = "(\\b|_)(share|sharedaddy)(\\b|_)";

bool search(const std::string& text, const char* pattern) {
    return !text.empty() && std::regex_search(text, re(pattern));
}

const std::set<std::string, std::less<>> unlikely_roles = {"menu",  "menubar",     "complementary", "navigation",
                                                           "alert", "alertdialog", "dialog"};
const std::set<std::string, std::less<>> div_to_p_elems = {"blockquote", "dl", "div", "img", "ol",
                                                           "p",          "pre", "table", "ul"};
const std::set<std::string, std::less<>> phrasing = {
    "abbr",  "audio", "b",    "bdo",     "br",     "button", "cite",   "code",     "data", "datalist",
    "dfn",   "em",    "embed", "i",      "img",    "input",  "kbd",    "label",    "mark", "math",
    "meter", "noscript", "object", "output", "progress", "q", "ruby", "samp", "script", "select",
    "small", "span",  "strong", "sub",   "sup",    "textarea", "time", "var",      "wbr"};
const std::set<std::string, std::less<>> tags_to_score = {"section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"};

bool is_phrasing(const xmlNode* n) {
    if (n->type == XML_TEXT_NODE) return true;
    if (!is_element(n)) return true;  // comments and the like are carried along
    if (phrasing.contains(tag(n))) return true;
    if (tag(n) == "a" || tag(n) == "del" || tag(n) == "ins") {
        for (const xmlNode* c = n->children; c; c = c->next)
            if (!is_phrasing(c)) return false;
        return true;
    }
    return false;
}

bool has_child_block_element(const xmlNode* n) {
    for (const xmlNode* c = n->children; c; c = c->next)
        if (is_element(c) && (div_to_p_elems.contains(tag(c)) || has_child_block_element(c))) return true;
    return false;
}

bool is_whitespace_node(const xmlNode* n) {
    if (n->type == XML_TEXT_NODE) return !n->content || collapse(reinterpret_cast<const char*>(n->content)).empty();
    return tag(n) == "br";
}

// Readability's _textSimilarity: the share of b's words that a also has, by length.
double text_similarity(const std::string& a, const std::string& b) {
    auto tokens = [](const std::string& s) {
        std::vector<std::string> out;
        std::string cur;
        for (const char c : analysis::ascii_lower(s)) {
            if (std::isalnum(static_cast<unsigned char>(c)) || (static_cast<unsigned char>(c) & 0x80)) {
                cur += c;
            } else if (!cur.empty()) {
                out.push_back(std::move(cur));
                cur.clear();
            }
        }
        if (!cur.empty()) out.push_back(std::move(cur));
        return out;
    };
    const auto ta = tokens(a);
    const auto tb = tokens(b);
    if (ta.empty() || tb.empty()) return 0;
    const std::set<std::string> sa(ta.begin(), ta.end());
    std::size_t all = 0;
    std::size_t unique = 0;
    for (const std::string& t : tb) {
        all += t.size() + 1;
        if (!sa.contains(t)) unique += t.size() + 1;
    }
    return 1.0 - static_cast<double>(unique) / static_cast<double>(all);
}

std::size_t word_count(const std::string& s) {
    std::size_t n = 0;
    bool in = false;
    for (const char c : s) {
        const bool space = is_space(static_cast<unsigned char>(c));
        if (!space && !in) ++n;
        in = !space;
    }
    return n;
}

// ---------------------------------------------------------------------------------------
// Metadata.

struct MetaValues {
    std::map<std::string, std::string> values;      // first value of each normalised name
    std::vector<std::string> citation_authors;      // every citation_author
    std::string title;                              // <title>
    std::string canonical;                          // <link rel=canonical>
    nlohmann::json ld;                              // the JSON-LD article object, if any
};

bool article_type(const nlohmann::json& type) {
    static const std::set<std::string> types = {
        "Article", "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
        "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report",
        "SatiricalArticle", "ScholarlyArticle", "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting",
        "LiveBlogPosting", "DiscussionForumPosting", "TechArticle", "APIReference", "WebPage"};
    if (type.is_string()) return types.contains(type.get<std::string>());
    if (type.is_array())
        for (const auto& t : type)
            if (t.is_string() && types.contains(t.get<std::string>())) return true;
    return false;
}

void find_ld_article(const nlohmann::json& j, nlohmann::json& out, int depth = 0) {
    if (!out.is_null() || depth > 8) return;
    if (j.is_array()) {
        for (const auto& e : j) find_ld_article(e, out, depth + 1);
    } else if (j.is_object()) {
        if (const auto t = j.find("@type"); t != j.end() && article_type(*t) &&
                                            !(t->is_string() && t->get<std::string>() == "WebPage" && !j.contains("headline"))) {
            out = j;
            return;
        }
        if (const auto g = j.find("@graph"); g != j.end()) find_ld_article(*g, out, depth + 1);
    }
}

void read_meta(xmlNode* n, MetaValues& m) {
    for (xmlNode* c = n->children; c; c = c->next) {
        if (!is_element(c)) continue;
        const std::string_view name = tag(c);
        if (name == "meta") {
            const std::string content = collapse(attr(c, "content"));
            if (content.empty()) continue;
            std::vector<std::string> keys;
            // property may list several names separated by spaces ("og:title dc:title").
            const std::string property = analysis::ascii_lower(attr(c, "property"));
            for (std::size_t i = 0; i < property.size();) {
                const std::size_t e = std::min(property.find(' ', i), property.size());
                if (e > i) keys.push_back(property.substr(i, e - i));
                // Readability reads article:author from a property only, wherever it stands in
                // it ("og:article:author"); a <meta name="article:author"> is not its author.
                if (e > i && property.substr(i, e - i).ends_with("article:author")) keys.push_back("property:article:author");
                i = e + 1;
            }
            std::string meta_name = analysis::ascii_lower(attr(c, "name"));
            meta_name.erase(std::remove_if(meta_name.begin(), meta_name.end(), [](char ch) { return is_space(static_cast<unsigned char>(ch)); }),
                            meta_name.end());
            std::replace(meta_name.begin(), meta_name.end(), '.', ':');
            if (!meta_name.empty()) keys.push_back(meta_name);
            const std::string itemprop = analysis::ascii_lower(attr(c, "itemprop"));
            if (!itemprop.empty()) keys.push_back("itemprop:" + itemprop);
            for (const std::string& key : keys) {
                if (key == "citation_author") m.citation_authors.push_back(content);
                // The last of a name wins, as in Readability (a property after a name).
                m.values[key] = content;
            }
        } else if (name == "title" && m.title.empty()) {
            m.title = inner_text(c);
        } else if (name == "link" && m.canonical.empty() && analysis::ascii_lower(attr(c, "rel")) == "canonical") {
            m.canonical = attr(c, "href");
        } else if (name == "script" && analysis::ascii_lower(attr(c, "type")) == "application/ld+json" && m.ld.is_null()) {
            std::string raw;
            text_of(c, raw);
            // CDATA wrappers and stray comments are common around JSON-LD: from the first
            // bracket to the last.
            for (const char* marker : {"<![CDATA[", "]]>"})
                for (std::size_t at; (at = raw.find(marker)) != std::string::npos;) raw.erase(at, std::strlen(marker));
            const std::size_t from = raw.find_first_of("{[");
            const std::size_t to = raw.find_last_of("}]");
            if (from == std::string::npos || to == std::string::npos || to < from) continue;
            const auto parsed = nlohmann::json::parse(raw.substr(from, to - from + 1), nullptr, false);
            if (!parsed.is_discarded()) find_ld_article(parsed, m.ld);
        }
        if (name != "meta" && name != "link" && name != "title") read_meta(c, m);
    }
}

std::string json_string(const nlohmann::json& j, const char* key) {
    if (!j.is_object()) return {};
    const auto it = j.find(key);
    if (it == j.end()) return {};
    if (it->is_string()) return collapse(it->get<std::string>());
    if (it->is_object()) return json_string(*it, "name");
    if (it->is_array() && !it->empty()) {
        if ((*it)[0].is_string()) return collapse((*it)[0].get<std::string>());
        if ((*it)[0].is_object()) return json_string((*it)[0], "name");
    }
    return {};
}

std::vector<std::string> json_authors(const nlohmann::json& j) {
    std::vector<std::string> out;
    if (!j.is_object()) return out;
    const auto it = j.find("author");
    if (it == j.end()) return out;
    auto add = [&](const nlohmann::json& a) {
        if (a.is_string()) out.push_back(collapse(a.get<std::string>()));
        else if (a.is_object()) {
            if (std::string name = json_string(a, "name"); !name.empty()) out.push_back(std::move(name));
        }
    };
    if (it->is_array()) {
        for (const auto& a : *it) add(a);
    } else {
        add(*it);
    }
    out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
    return out;
}

std::string first_of(const MetaValues& m, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (const auto it = m.values.find(key); it != m.values.end() && !it->second.empty()) return it->second;
    return {};
}

// Readability's _getArticleTitle: the <title> without the site's name.
std::string title_from_document(const std::string& original, xmlNode* root) {
    std::string title = original;
    bool hierarchical = false;
    static const std::regex separators(R"( [\|\-\\/>»] )");
    static const std::regex before_last(R"((.*)[\|\-\\/>»] .*)");
    static const std::regex after_first(R"([^\|\-\\/>»]*[\|\-\\/>»](.*))");
    if (std::regex_search(original, separators)) {
        hierarchical = std::regex_search(original, std::regex(R"( [\\/>»] )"));
        title = std::regex_replace(original, before_last, "$1", std::regex_constants::format_first_only);
        if (word_count(title) < 3)
            title = std::regex_replace(original, after_first, "$1", std::regex_constants::format_first_only);
    } else if (original.find(": ") != std::string::npos) {
        bool match = false;
        for (xmlNode* h : descendants(root, {"h1", "h2"}))
            if (inner_text(h) == collapse(original)) match = true;
        if (!match) {
            title = original.substr(original.rfind(':') + 1);
            if (word_count(title) < 3) {
                title = original.substr(original.find(':') + 1);
            } else if (word_count(original.substr(0, original.find(':'))) > 5) {
                title = original;
            }
        }
    } else if (original.size() > 150 || original.size() < 15) {
        const auto h1s = descendants(root, {"h1"});
        if (h1s.size() == 1) title = inner_text(h1s[0]);
    }
    title = collapse(title);
    const std::size_t words = word_count(title);
    if (words <= 4 && (!hierarchical || words != word_count(std::regex_replace(original, separators, " ")) - 1))
        title = collapse(original);
    return title;
}

std::string date_part(const std::string& value) {
    static const std::regex iso(R"(^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)");
    std::smatch m;
    if (!std::regex_search(value, m, iso)) return {};
    std::string out = m[1].str();
    if (m[2].matched) out += "-" + m[2].str();
    if (m[3].matched) out += "-" + m[3].str();
    return out;
}

std::string doi_of(std::string value) {
    value = collapse(value);
    for (const char* prefix : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"})
        if (analysis::ascii_lower(value).starts_with(prefix)) value.erase(0, std::strlen(prefix));
    return value.starts_with("10.") ? value : std::string();
}

// ---------------------------------------------------------------------------------------
// The content-scoring extractor.

struct Flags {
    bool strip_unlikely = true;
    bool weight_classes = true;
    bool clean_conditionally = true;
};

class Readability {
  public:
    Readability(xmlDocPtr doc, Flags flags, std::string title, bool byline_known)
        : m_doc(doc), m_flags(flags), m_title(std::move(title)), m_byline_known(byline_known) {}

    ~Readability() {
        for (xmlNode* n : m_trash) xmlFreeNode(n);
    }
    Readability(const Readability&) = delete;
    Readability& operator=(const Readability&) = delete;

    // The article: a node in the document (or made for it); nullptr if the page has no body.
    xmlNode* grab() {
        xmlNode* root = xmlDocGetRootElement(m_doc);
        if (!root) return nullptr;
        remove_tags(root, {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas"});
        xmlNode* body = find_body(root);
        std::vector<xmlNode*> to_score = prepare_nodes(root);
        xmlNode* top = score_and_pick(to_score, body);
        xmlNode* article = gather(top);
        prep_article(article);
        return article;
    }

    [[nodiscard]] const std::string& byline() const { return m_byline; }

  private:
    static xmlNode* find_body(xmlNode* root) {
        if (tag(root) == "body") return root;
        for (xmlNode* c = root->children; c; c = c->next)
            if (tag(c) == "body") return c;
        return root;
    }

    void remove(xmlNode* n) {
        xmlUnlinkNode(n);
        m_trash.push_back(n);
    }

    void remove_tags(xmlNode* n, std::initializer_list<const char*> names) {
        for (xmlNode* d : descendants(n, names)) remove(d);
        // Comments render as nothing, but would count as phrasing content below.
    }

    [[nodiscard]] static std::string match_string(const xmlNode* n) { return attr(n, "class") + " " + attr(n, "id"); }

    int class_weight(const xmlNode* n) const {
        if (!m_flags.weight_classes) return 0;
        int weight = 0;
        for (const char* name : {"class", "id"}) {
            const std::string value = attr(n, name);
            if (search(value, negative)) weight -= 25;
            if (search(value, positive)) weight += 25;
        }
        return weight;
    }

    static bool probably_visible(const xmlNode* n) {
        const std::string style = analysis::ascii_lower(attr(n, "style"));
        std::string compact;
        for (const char c : style)
            if (!is_space(static_cast<unsigned char>(c))) compact += c;
        if (compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos)
            return false;
        if (has_attr(n, "hidden")) return false;
        if (attr(n, "aria-hidden") == "true" && attr(n, "class").find("fallback-image") == std::string::npos)
            return false;
        return true;
    }

    // Link text's share of a node's text; a link to a fragment of the page counts 0.3.
    static double link_density(const xmlNode* n) {
        const std::size_t length = char_count(inner_text(n));
        if (length == 0) return 0;
        double links = 0;
        for (xmlNode* a : descendants(const_cast<xmlNode*>(n), {"a"})) {
            const std::string href = attr(a, "href");
            const double coefficient = !href.empty() && href[0] == '#' ? 0.3 : 1.0;
            links += static_cast<double>(char_count(inner_text(a))) * coefficient;
        }
        return links / static_cast<double>(length);
    }

    void find_byline_within(xmlNode* n) {
        for (xmlNode* c = n->children; c && m_byline.empty() && !m_byline_known; c = c->next) {
            if (!is_element(c) || !probably_visible(c)) continue;
            if (!is_byline(c, match_string(c))) find_byline_within(c);
        }
    }

    bool is_byline(const xmlNode* n, const std::string& match) {
        if (m_byline_known || !m_byline.empty()) return false;
        const bool candidate = analysis::ascii_lower(attr(n, "rel")) == "author" ||
                               analysis::ascii_lower(attr(n, "itemprop")).find("author") != std::string::npos ||
                               search(match, byline_pattern);
        if (!candidate) return false;
        std::string text = inner_text(n);
        if (text.empty() || char_count(text) >= 100) return false;
        // The name inside a byline that also holds a date or a role.
        for (xmlNode* d : descendants(const_cast<xmlNode*>(n), {"span", "a", "div", "p", "strong", "b"}))
            if (analysis::ascii_lower(attr(d, "itemprop")).find("name") != std::string::npos && !inner_text(d).empty()) {
                text = inner_text(d);
                break;
            }
        m_byline = text;
        return true;
    }

    static bool without_content(const xmlNode* n) {
        if (!inner_text(n).empty()) return false;
        for (const xmlNode* c = n->children; c; c = c->next)
            if (is_element(c) && tag(c) != "br" && tag(c) != "hr") return false;
        return true;
    }

    static xmlNode* next_node(xmlNode* n, bool skip_children) {
        if (!skip_children)
            for (xmlNode* c = n->children; c; c = c->next)
                if (is_element(c)) return c;
        for (xmlNode* p = n; p; p = p->parent) {
            for (xmlNode* s = p->next; s; s = s->next)
                if (is_element(s)) return s;
            if (!is_element(p->parent)) break;
        }
        return nullptr;
    }

    xmlNode* new_element(const char* name) {
        return xmlNewDocNode(m_doc, nullptr, reinterpret_cast<const xmlChar*>(name), nullptr);
    }

    // Runs of phrasing content directly in a div become paragraphs (Readability does so too).
    void wrap_phrasing(xmlNode* div) {
        xmlNode* p = nullptr;
        for (xmlNode* c = div->children; c;) {
            xmlNode* next = c->next;
            if (is_phrasing(c)) {
                if (!p) {
                    if (!is_whitespace_node(c)) {
                        p = new_element("p");
                        xmlAddPrevSibling(c, p);
                        xmlUnlinkNode(c);
                        xmlAddChild(p, c);
                    }
                } else {
                    xmlUnlinkNode(c);
                    xmlAddChild(p, c);
                }
            } else {
                p = nullptr;
            }
            c = next;
        }
    }

    std::vector<xmlNode*> prepare_nodes(xmlNode* root) {
        std::vector<xmlNode*> to_score;
        bool title_header_seen = false;
        for (xmlNode* n = root; n;) {
            const std::string_view name = tag(n);
            const std::string match = match_string(n);
            auto drop = [&] {
                xmlNode* next = next_node(n, true);
                remove(n);
                n = next;
            };
            if (name != "html" && name != "body" && !probably_visible(n)) {
                drop();
                continue;
            }
            if (attr(n, "aria-modal") == "true" && attr(n, "role") == "dialog") {
                drop();
                continue;
            }
            if (is_byline(n, match)) {
                drop();
                continue;
            }
            if (!title_header_seen && (name == "h1" || name == "h2") && !m_title.empty() &&
                text_similarity(m_title, inner_text(n)) > 0.75) {
                title_header_seen = true;
                drop();
                continue;
            }
            if (m_flags.strip_unlikely) {
                if (search(match, unlikely_candidates) && !search(match, maybe_candidate) && !has_ancestor(n, "table") &&
                    !has_ancestor(n, "code") && name != "body" && name != "a" && name != "html") {
                    drop();
                    continue;
                }
                if (unlikely_roles.contains(analysis::ascii_lower(attr(n, "role")))) {
                    drop();
                    continue;
                }
                if (name == "nav" || name == "aside" || name == "form") {
                    // Dropped here, earlier than Readability does (it cleans them out of the
                    // article only): the byline it would have found inside is looked for first.
                    find_byline_within(n);
                    drop();
                    continue;
                }
            }
            if ((name == "div" || name == "section" || name == "header" || name == "h1" || name == "h2" ||
                 name == "h3" || name == "h4" || name == "h5" || name == "h6") &&
                without_content(n)) {
                drop();
                continue;
            }
            if (tags_to_score.contains(name)) to_score.push_back(n);
            if (name == "div") {
                wrap_phrasing(n);
                const auto children = element_children(n);
                bool only_text_besides = true;
                for (const xmlNode* c = n->children; c; c = c->next)
                    if (c->type == XML_TEXT_NODE && !is_whitespace_node(c)) only_text_besides = false;
                if (children.size() == 1 && tag(children[0]) == "p" && only_text_besides && link_density(n) < 0.25) {
                    // The div is only a wrapper of one paragraph: score the paragraph.
                    xmlNode* p = children[0];
                    xmlUnlinkNode(p);
                    xmlReplaceNode(n, p);
                    m_trash.push_back(n);
                    to_score.push_back(p);
                    n = next_node(p, false);
                    continue;
                }
                if (!has_child_block_element(n)) {
                    xmlNodeSetName(n, reinterpret_cast<const xmlChar*>("p"));
                    to_score.push_back(n);
                }
            }
            n = next_node(n, false);
        }
        return to_score;
    }

    double& score(xmlNode* n) {
        auto [it, inserted] = m_scores.try_emplace(n, 0.0);
        if (inserted) {
            const std::string_view name = tag(n);
            double s = 0;
            if (name == "div") s = 5;
            else if (name == "pre" || name == "td" || name == "blockquote") s = 3;
            else if (name == "address" || name == "ol" || name == "ul" || name == "dl" || name == "dd" ||
                     name == "dt" || name == "li" || name == "form")
                s = -3;
            else if (name == "h1" || name == "h2" || name == "h3" || name == "h4" || name == "h5" || name == "h6" ||
                     name == "th")
                s = -5;
            it->second = s + class_weight(n);
            m_candidates.push_back(n);
        }
        return it->second;
    }

    bool scored(xmlNode* n) const { return m_scores.contains(n); }

    xmlNode* score_and_pick(const std::vector<xmlNode*>& to_score, xmlNode* body) {
        for (xmlNode* n : to_score) {
            if (!is_element(n->parent)) continue;
            const std::string text = inner_text(n);
            const std::size_t length = char_count(text);
            if (length < 25) continue;
            double content = 1;
            content += static_cast<double>(std::count(text.begin(), text.end(), ',') + 1);
            content += static_cast<double>(std::min<std::size_t>(length / 100, 3));
            int level = 0;
            for (xmlNode* a = n->parent; is_element(a) && level < 5; a = a->parent, ++level) {
                if (tag(a) == "html") break;
                const double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;
                score(a) += content / divider;
            }
        }
        // Scale by link density; keep the best few.
        std::vector<std::pair<double, xmlNode*>> top;
        for (xmlNode* c : m_candidates) {
            double& s = m_scores[c];
            s *= 1 - link_density(c);
            top.emplace_back(s, c);
        }
        std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        if (top.size() > 5) top.resize(5);

        xmlNode* best = top.empty() ? nullptr : top[0].second;
        if (!best || best == body || tag(best) == "html") {
            // Everything in the body, in a new div.
            xmlNode* div = new_element("div");
            for (xmlNode* c = body->children; c;) {
                xmlNode* next = c->next;
                xmlUnlinkNode(c);
                xmlAddChild(div, c);
                c = next;
            }
            xmlAddChild(body, div);
            score(div);
            return div;
        }
        // Several good candidates under one ancestor: the ancestor holds the article.
        std::vector<std::vector<xmlNode*>> alternatives;
        for (std::size_t i = 1; i < top.size(); ++i) {
            if (top[0].first <= 0 || top[i].first / top[0].first < 0.75) continue;
            std::vector<xmlNode*> ancestors;
            for (xmlNode* a = top[i].second->parent; is_element(a); a = a->parent) ancestors.push_back(a);
            alternatives.push_back(std::move(ancestors));
        }
        if (alternatives.size() >= 3) {
            for (xmlNode* p = best->parent; is_element(p) && tag(p) != "body"; p = p->parent) {
                const auto holding = std::count_if(alternatives.begin(), alternatives.end(), [&](const auto& list) {
                    return std::find(list.begin(), list.end(), p) != list.end();
                });
                if (holding >= 3) {
                    best = p;
                    break;
                }
            }
        }
        score(best);
        // A parent scoring higher holds more of the article.
        double last = m_scores[best];
        const double threshold = last / 3;
        for (xmlNode* p = best->parent; is_element(p) && tag(p) != "body" && tag(p) != "html"; p = p->parent) {
            if (!scored(p)) continue;
            const double s = m_scores[p];
            if (s < threshold) break;
            if (s > last) {
                best = p;
                break;
            }
            last = s;
        }
        // The only child of its parent: take the parent.
        for (xmlNode* p = best->parent; is_element(p) && tag(p) != "body" && tag(p) != "html" &&
                                        element_children(p).size() == 1;
             p = best->parent)
            best = p;
        score(best);
        return best;
    }

    // The best candidate and its siblings that look like part of the same article.
    xmlNode* gather(xmlNode* best) {
        xmlNode* article = new_element("div");
        xmlNode* parent = best->parent;
        const double best_score = m_scores[best];
        const double threshold = std::max(10.0, best_score * 0.2);
        const std::string best_class = attr(best, "class");
        std::vector<xmlNode*> siblings = is_element(parent) ? element_children(parent) : std::vector<xmlNode*>{best};
        for (xmlNode* s : siblings) {
            bool append = s == best;
            if (!append) {
                double bonus = 0;
                if (!best_class.empty() && attr(s, "class") == best_class) bonus += best_score * 0.2;
                if (scored(s) && m_scores[s] + bonus >= threshold) {
                    append = true;
                } else if (tag(s) == "p") {
                    const double density = link_density(s);
                    const std::string text = inner_text(s);
                    const std::size_t length = char_count(text);
                    static const std::regex sentence_end(R"(\.( |$))");
                    if (length > 80 && density < 0.25) append = true;
                    else if (length < 80 && length > 0 && density == 0 && std::regex_search(text, sentence_end))
                        append = true;
                }
            }
            if (append) {
                xmlUnlinkNode(s);
                xmlAddChild(article, s);
            }
        }
        m_trash.push_back(article);  // not part of the document: freed with the extractor
        return article;
    }

    static std::size_t count_tag(xmlNode* n, const char* name) { return descendants(n, {name}).size(); }

    bool data_table(xmlNode* table) const {
        if (attr(table, "role") == "presentation" || attr(table, "datatable") == "0") return false;
        if (!attr(table, "summary").empty()) return true;
        if (!descendants(table, {"caption", "thead", "tfoot", "th", "colgroup", "col"}).empty()) return true;
        if (!descendants(table, {"table"}).empty()) return false;
        return count_tag(table, "tr") >= 10;
    }

    bool in_data_table(xmlNode* n) const {
        for (xmlNode* p = n; is_element(p); p = p->parent)
            if (tag(p) == "table" && data_table(p)) return true;
        return false;
    }

    // Readability's _cleanConditionally: drops blocks that look like furniture.
    void clean_conditionally(xmlNode* article, const char* name) {
        if (!m_flags.clean_conditionally) return;
        auto nodes = descendants(article, {name});
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
            xmlNode* n = *it;
            if (!n->parent) continue;  // removed with an ancestor: see remove() below
            const bool is_list = std::string_view(name) == "ul" || std::string_view(name) == "ol";
            if (std::string_view(name) == "table" && data_table(n)) continue;
            if (in_data_table(n) || has_ancestor(n, "code", 0)) continue;
            const int weight = class_weight(n);
            if (weight < 0) {
                remove(n);
                continue;
            }
            const std::string text = inner_text(n);
            if (std::count(text.begin(), text.end(), ',') >= 10) continue;
            const double p = static_cast<double>(count_tag(n, "p"));
            const double img = static_cast<double>(count_tag(n, "img"));
            const double li = static_cast<double>(count_tag(n, "li")) - 100;
            const double input = static_cast<double>(count_tag(n, "input"));
            std::size_t heading_chars = 0;
            for (xmlNode* h : descendants(n, {"h1", "h2", "h3", "h4", "h5", "h6"})) heading_chars += char_count(inner_text(h));
            const std::size_t length = char_count(text);
            const double heading_density = length ? static_cast<double>(heading_chars) / static_cast<double>(length) : 0;
            const double embeds = static_cast<double>(descendants(n, {"object", "embed", "iframe"}).size());
            const double density = link_density(n);
            bool list_like = is_list;
            if (!list_like && length > 0) {
                std::size_t list_chars = 0;
                for (xmlNode* l : descendants(n, {"ul", "ol"})) list_chars += char_count(inner_text(l));
                list_like = static_cast<double>(list_chars) / static_cast<double>(length) > 0.9;
            }
            const bool in_figure = has_ancestor(n, "figure", 0);
            const bool drop =
                (img > 1 && p / img < 0.5 && !in_figure) || (!list_like && li > p) || (input > std::floor(p / 3)) ||
                (!list_like && heading_density < 0.9 && length < 25 && (img == 0 || img > 2) && !in_figure) ||
                (!list_like && weight < 25 && density > 0.2) || (weight >= 25 && density > 0.5) ||
                ((embeds == 1 && length < 75) || embeds > 1);
            if (drop) remove(n);
        }
    }

    void prep_article(xmlNode* article) {
        clean_conditionally(article, "form");
        clean_conditionally(article, "fieldset");
        remove_tags(article, {"footer", "link", "aside", "input", "textarea", "select", "button", "nav"});
        for (xmlNode* n : descendants(article, {"div", "section", "p", "span", "ul", "aside", "figure"}))
            if (n->parent && search(match_string(n), share_pattern) && char_count(inner_text(n)) < 500) remove(n);
        // A lone h2 that repeats the title is the page's header.
        const auto h2s = descendants(article, {"h2"});
        if (h2s.size() == 1 && !m_title.empty()) {
            const std::string text = inner_text(h2s[0]);
            const double diff = std::abs(static_cast<double>(char_count(text)) - static_cast<double>(char_count(m_title)));
            if (diff / std::max<double>(1, static_cast<double>(char_count(m_title))) < 0.5 &&
                text_similarity(m_title, text) > 0.75)
                remove(h2s[0]);
        }
        clean_conditionally(article, "table");
        clean_conditionally(article, "ul");
        clean_conditionally(article, "div");
        for (xmlNode* h : descendants(article, {"h1", "h2"}))
            if (h->parent && class_weight(h) < 0) remove(h);
        for (xmlNode* p : descendants(article, {"p"})) {
            if (!p->parent) continue;
            if (descendants(p, {"img", "embed", "object", "iframe"}).empty() && inner_text(p).empty()) remove(p);
        }
    }

    xmlDocPtr m_doc;
    Flags m_flags;
    std::string m_title;
    bool m_byline_known;
    std::string m_byline;
    std::unordered_map<xmlNode*, double> m_scores;
    std::vector<xmlNode*> m_candidates;
    std::vector<xmlNode*> m_trash;
};

// ---------------------------------------------------------------------------------------
// Rendering: the text a browser shows, one paragraph per block.

const std::set<std::string, std::less<>> block_tags = {
    "address", "article", "aside",  "blockquote", "caption", "dd",     "details", "dialog", "div",  "dl",
    "dt",      "fieldset", "figcaption", "figure", "footer", "form",   "h1",      "h2",     "h3",   "h4",
    "h5",      "h6",      "header", "hgroup",     "hr",      "li",     "main",    "nav",    "ol",   "p",
    "pre",     "section", "summary", "table",     "tbody",   "td",     "tfoot",   "th",     "thead", "tr",
    "ul",      "center",  "body",   "html"};
const std::set<std::string, std::less<>> skipped_tags = {"script", "style",  "noscript", "template", "head",
                                                         "title",  "button", "select",   "textarea", "svg",
                                                         "iframe", "object", "embed",    "input",    "math"};

class Renderer {
  public:
    void render(const xmlNode* n) {
        walk(n);
        flush();
    }

    HtmlPage take(HtmlPage page) {
        page.text = std::move(m_text);
        page.paragraphs = std::move(m_paragraphs);
        return page;
    }

  private:
    void walk(const xmlNode* n) {
        for (const xmlNode* c = n->children; c; c = c->next) {
            if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                if (c->content) add_text(reinterpret_cast<const char*>(c->content));
                continue;
            }
            if (!is_element(c)) continue;
            const std::string_view name = tag(c);
            if (skipped_tags.contains(name)) continue;
            if (name == "br") {
                line_break();
                continue;
            }
            const bool block = block_tags.contains(name);
            if (block) flush();
            if (name == "pre") {
                ++m_pre;
                walk(c);
                --m_pre;
            } else {
                walk(c);
            }
            if (block) flush();
        }
    }

    void add_text(std::string_view s) {
        for (const char c : s) {
            if (m_pre == 0 && is_space(static_cast<unsigned char>(c))) {
                m_space = !m_current.empty() && m_current.back() != '\n';
                continue;
            }
            if (m_pre > 0 && c == '\r') continue;
            if (m_space) m_current += ' ';
            m_space = false;
            m_current += c;
        }
    }

    void line_break() {
        m_space = false;
        while (!m_current.empty() && m_current.back() == ' ') m_current.pop_back();
        if (!m_current.empty() && m_current.back() != '\n') m_current += '\n';
    }

    void flush() {
        m_space = false;
        // Trimmed of white space (a paragraph of only line breaks is empty).
        std::size_t begin = 0;
        std::size_t end = m_current.size();
        while (begin < end && is_space(static_cast<unsigned char>(m_current[begin]))) ++begin;
        while (end > begin && is_space(static_cast<unsigned char>(m_current[end - 1]))) --end;
        if (end > begin) {
            if (!m_text.empty()) m_text += "\n\n";
            // Blank lines inside a pre would read as paragraph breaks: one newline each.
            std::string para;
            for (std::size_t i = begin; i < end; ++i) {
                if (m_current[i] == '\n' && !para.empty() && para.back() == '\n') continue;
                para += m_current[i];
            }
            m_paragraphs.push_back({m_text.size(), m_text.size() + para.size()});
            m_text += para;
        }
        m_current.clear();
    }

    std::string m_text;
    std::vector<analysis::ByteRange> m_paragraphs;
    std::string m_current;
    bool m_space = false;
    int m_pre = 0;
};

struct DocDeleter {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

Doc parse(std::string_view html) {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
    // RECOVER: a browser's reading of broken markup; NONET: never fetch anything. Without
    // XML_PARSE_HUGE the parser stops descending at 256 levels, which bounds our recursion.
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                        HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS;
    return Doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options & ~HTML_PARSE_NOBLANKS));
}

DocumentMeta metadata(const MetaValues& m, xmlNode* root, std::string& byline) {
    DocumentMeta meta;
    const nlohmann::json& ld = m.ld;
    std::string ld_title = json_string(ld, "headline");
    if (ld_title.empty()) ld_title = json_string(ld, "name");
    meta.title = first_of(m, {"citation_title"});
    if (meta.title.empty()) meta.title = ld_title;
    if (meta.title.empty())
        meta.title = first_of(m, {"dc:title", "dcterm:title", "og:title", "weibo:article:title", "weibo:webpage:title",
                                  "title", "twitter:title", "parsely-title"});
    if (meta.title.empty() && root) meta.title = title_from_document(m.title, root);

    if (!m.citation_authors.empty()) {
        meta.authors = m.citation_authors;
    } else if (auto names = json_authors(ld); !names.empty()) {
        meta.authors = std::move(names);
    } else if (std::string a = first_of(m, {"dc:creator", "dcterm:creator", "author", "parsely-author"}); !a.empty()) {
        meta.authors.push_back(a);
    } else if (std::string profile = first_of(m, {"property:article:author"});
               !profile.empty() && !profile.starts_with("http://") && !profile.starts_with("https://")) {
        // article:author is often the author's profile page, which is no name.
        meta.authors.push_back(profile);
    }
    if (!meta.authors.empty()) {
        byline.clear();
        for (const std::string& a : meta.authors) byline += (byline.empty() ? "" : ", ") + a;
    }
    std::string date = first_of(m, {"citation_publication_date", "citation_date", "citation_online_date"});
    if (date.empty()) date = json_string(ld, "datePublished");
    if (date.empty())
        date = first_of(m, {"article:published_time", "parsely-pub-date", "dc:date", "dcterm:date", "dcterms:date",
                            "date", "itemprop:datepublished", "og:published_time", "pubdate"});
    meta.date = date_part(date);
    meta.container_title = first_of(m, {"citation_journal_title", "citation_conference_title"});
    if (meta.container_title.empty()) meta.container_title = first_of(m, {"og:site_name"});
    if (meta.container_title.empty() && ld.is_object() && ld.contains("publisher"))
        meta.container_title = json_string(ld, "publisher");
    meta.publisher = first_of(m, {"citation_publisher", "dc:publisher", "dcterm:publisher"});
    if (meta.publisher.empty() && ld.is_object() && ld.contains("publisher")) meta.publisher = json_string(ld, "publisher");
    meta.doi = doi_of(first_of(m, {"citation_doi", "dc:identifier", "dcterm:identifier", "prism:doi"}));
    meta.url = m.canonical;
    if (meta.url.empty()) meta.url = first_of(m, {"og:url"});
    if (meta.url.empty()) meta.url = json_string(ld, "url");
    if (meta.url.find("://") == std::string::npos) meta.url.clear();  // relative: not a usable address
    return meta;
}

}  // namespace

bool looks_like_html(std::string_view head) {
    std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const std::string start = analysis::ascii_lower(head.substr(0, 2048));
    while (i < start.size() && is_space(static_cast<unsigned char>(start[i]))) ++i;
    const std::string_view s = std::string_view(start).substr(i);
    if (s.starts_with("<!doctype html") || s.starts_with("<html") || s.starts_with("<head") ||
        s.starts_with("<body"))
        return true;
    // XHTML and pages saved with a leading comment or XML declaration.
    if (s.starts_with("<?xml") || s.starts_with("<!--"))
        return start.find("<html") != std::string::npos;
    return false;
}

HtmlPage extract_html(std::string_view html, const HtmlLimits& limits) {
    if (html.size() > limits.max_bytes || html.size() > static_cast<std::size_t>(INT_MAX))
        throw CorpusError("web page of " + std::to_string(html.size()) + " bytes is over the limit of " +
                          std::to_string(limits.max_bytes) + " bytes");
    HtmlPage page;
    Doc first = parse(html);
    if (!first) return page;
    xmlNode* root = xmlDocGetRootElement(first.get());
    if (!root) return page;
    MetaValues values;
    read_meta(root, values);
    page.meta = metadata(values, root, page.byline);
    const std::string title = page.meta.title;
    const bool byline_known = !page.byline.empty();
    first.reset();

    // Readability's retries: with fewer of its rules while the text found is short.
    constexpr std::size_t enough = 500;
    HtmlPage best;
    for (const Flags flags : {Flags{true, true, true}, Flags{false, true, true}, Flags{false, false, true},
                              Flags{false, false, false}}) {
        Doc doc = parse(html);
        if (!doc) break;
        Readability readability(doc.get(), flags, title, byline_known);
        xmlNode* article = readability.grab();
        if (!article) break;
        Renderer renderer;
        renderer.render(article);
        HtmlPage attempt = renderer.take(page);
        if (!byline_known && !readability.byline().empty()) attempt.byline = readability.byline();
        const std::size_t length = char_count(attempt.text);
        if (length >= enough) return attempt;
        if (char_count(best.text) < length || best.text.empty()) best = std::move(attempt);
    }
    if (best.text.empty() && best.meta.title.empty()) best.meta = page.meta;
    if (best.byline.empty()) best.byline = page.byline;
    return best;
}

}  // namespace cite::passage
