#include "cite/index/compact.hpp"

#include "cite/error.hpp"
#include "cite/index/index_writer.hpp"
#include "cite/index/schema.hpp"

#include <algorithm>
#include <set>
#include <span>
#include <string>

namespace cite::index {

namespace {

namespace fs = std::filesystem;

// What to keep of a metadata entry found in more than one source (Xapian's default keeps the
// first source's). Called by Xapian during the compaction. Conflicts are only noted: an
// exception thrown through Xapian's compaction leaks its cursors, so the caller refuses the
// result afterwards (refused()).
class MergeRules : public Xapian::Compactor {
  public:
    std::string resolve_duplicate_metadata(const std::string& stored_key, std::size_t count,
                                           const std::string tags[]) override {
        const std::span<const std::string> values(tags, count);
        // Glass passes the key as it stores it, after the two bytes that mark user metadata.
        constexpr std::string_view user_metadata("\0\xc0", 2);
        std::string_view key = stored_key;
        if (key.starts_with(user_metadata)) key.remove_prefix(user_metadata.size());
        if (key == metadata_key::schema) {
            for (const std::string& v : values)
                if (std::find(m_schemas.begin(), m_schemas.end(), v) == m_schemas.end()) m_schemas.push_back(v);
        } else if (key.starts_with(metadata_key::file)) {
            // Named by its key (a very long name is shortened there) rather than by parsing a
            // record that might be damaged; multipass may report it once per pass.
            m_twice.insert(std::string(key.substr(metadata_key::file.size())));
        } else if (key == metadata_key::aliases) {
            try {
                std::vector<passage::AliasGroup> groups;
                for (const std::string& v : values) add_alias_groups(groups, v);
                return serialize_alias_groups(groups);
            } catch (const Error& e) {
                m_damaged = std::string("unreadable alias groups: ") + e.what();
            }
        }
        // The analyzer version is set from the merged file records afterwards; document
        // records repeat only with their file.
        return values.front();
    }

    // Why the merged database must not be kept; "" if it may.
    [[nodiscard]] std::string refused() const {
        if (!m_damaged.empty()) return m_damaged;
        if (m_schemas.size() > 1) {
            std::string listed;
            for (const std::string& v : m_schemas) listed += (listed.empty() ? "" : ", ") + v;
            return "the databases have different schema versions (" + listed + "): re-index the older ones before merging";
        }
        if (!m_twice.empty()) {
            const std::string more = m_twice.size() == 1 ? "" : " (and " + std::to_string(m_twice.size() - 1) + " more files)";
            return "'" + *m_twice.begin() + "'" + more +
                   " is indexed in more than one of the databases: its passages would be there twice";
        }
        return "";
    }

  private:
    std::vector<std::string> m_schemas;
    std::set<std::string> m_twice;
    std::string m_damaged;
};

}  // namespace

void compact_database(Xapian::Database set, const fs::path& dest, const fs::path& named) {
    std::error_code ec;
    if (fs::exists(dest, ec)) throw IndexError("'" + dest.string() + "' exists; give a new database path");
    auto write = [&] {
        MergeRules rules;
        set.compact(dest.string(), Xapian::DBCOMPACT_MULTIPASS, 0, rules);
        if (const std::string why = rules.refused(); !why.empty()) throw IndexError(why);
        // The oldest analyzer of any merged file, as the indexer would store it: a source's
        // own label only speaks for that source's files.
        const std::string key(metadata_key::analyzer);
        const Xapian::Database merged(dest.string());
        const std::string oldest = std::to_string(oldest_analyzer_version(merged));
        if (merged.get_metadata(key) != oldest) {
            Xapian::WritableDatabase out(dest.string(), Xapian::DB_OPEN);
            out.set_metadata(key, oldest);
            out.commit();
        }
    };
    try {
        write();
    } catch (const Xapian::Error& e) {
        fs::remove_all(dest, ec);
        throw IndexError("cannot merge into '" + named.string() + "': " + e.get_description());
    } catch (...) {
        fs::remove_all(dest, ec);
        throw;
    }
}

void compact_databases(const std::vector<fs::path>& sources, const fs::path& given) {
    std::error_code ec;
    // "archive.db/" names archive.db: the temporary directory goes beside it, not inside.
    fs::path dest = given.lexically_normal();
    if (!dest.has_filename()) dest = dest.parent_path();
    if (fs::exists(dest, ec)) throw IndexError("'" + given.string() + "' exists; give a new database path");
    Xapian::Database set;
    for (const fs::path& source : sources) {
        if (!fs::exists(source, ec)) throw IndexError("no database at '" + source.string() + "'");
        try {
            set.add_database(Xapian::Database(source.string()));
        } catch (const Xapian::Error& e) {
            throw IndexError("cannot open database '" + source.string() + "': " + e.get_description());
        }
    }
    // Written beside `dest` and renamed when complete: a merge cut short leaves no database
    // at `dest` (the next merge to the same place removes the leftover).
    const fs::path partial = dest.parent_path() / (dest.filename().string() + ".merging");
    fs::remove_all(partial, ec);
    compact_database(set, partial, dest);
    fs::rename(partial, dest, ec);
    if (ec) {
        const std::string why = ec.message();
        fs::remove_all(partial, ec);
        throw IndexError("cannot move the merged database to '" + dest.string() + "': " + why);
    }
}

}  // namespace cite::index
